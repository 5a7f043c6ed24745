import { webcrypto } from 'node:crypto'
import { hashUser } from '../hash'
import { consent, destinationWith, methods } from './support/destination'
import { PIXEL_CODE, queued, resetPage, sha256, useWebCrypto } from './support/page'

function withoutWebCrypto(): void {
  Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined, configurable: true })
}

describe('hashing', () => {
  beforeEach(useWebCrypto)

  it('sends SHA-256 digests of the normalised e-mail, phone and external ID under TikTok’s pre-hashed keys', async () => {
    const user = await hashUser({ email: 'jane@example.com', phone_number: '+14155550101', external_id: 'user-1' })
    expect(user).toEqual({
      sha256_email: sha256('jane@example.com'),
      sha256_phone_number: sha256('+14155550101'),
      external_id: sha256('user-1')
    })
    expect(sha256('jane@example.com')).toBe('8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d')
  })

  it('normalises before hashing, so the same address always gives the same digest', async () => {
    resetPage()
    const send = await destinationWith({})
    await send({ event: 'Lead', context: { traits: { email: '  Jane@Example.COM ' } } })
    expect(queued()[0]).toEqual(['identify', { sha256_email: sha256('jane@example.com') }])
  })

  it('passes a value that already is a SHA-256 hex digest through unchanged', async () => {
    const digest = sha256('jane@example.com').toUpperCase()
    const phoneDigest = sha256('+14155550101')
    expect(await hashUser({ email: digest, phone_number: phoneDigest, external_id: phoneDigest })).toEqual({
      sha256_email: digest,
      sha256_phone_number: phoneDigest,
      external_id: phoneDigest
    })
  })

  it('hashes a repeated value once', async () => {
    const digest = jest.spyOn(webcrypto.subtle, 'digest')
    await hashUser({ email: 'repeat@example.com' })
    await hashUser({ email: 'repeat@example.com' })
    const third = hashUser({ email: 'repeat@example.com' })
    expect(third).not.toBeInstanceOf(Promise)
    expect(digest).toHaveBeenCalledTimes(1)
    digest.mockRestore()
  })

  it('leaves no raw e-mail, phone or user ID in window.ttq', async () => {
    resetPage()
    const send = await destinationWith({})
    await send({
      event: 'Lead',
      userId: 'customer-77',
      context: { traits: { email: 'raw@example.com', phone: '+447700900123' } }
    })
    const everything = JSON.stringify(window.ttq) + JSON.stringify(queued())
    expect(queued()).toHaveLength(2)
    for (const raw of ['raw@example.com', '447700900123', 'customer-77']) expect(everything).not.toContain(raw)
  })

  it('keeps events in order when one waits for a digest and the next does not', async () => {
    resetPage()
    const send = await destinationWith({})
    const first = send({ event: 'First', context: { traits: { email: 'not-hashed-before@example.com' } } })
    const second = send({ event: 'Second' })
    await Promise.all([first, second])
    expect(
      queued().map((call) => `${call[0]} ${call[1] && typeof call[1] === 'string' ? call[1] : ''}`.trim())
    ).toEqual(['identify', 'track First', 'track Second'])
  })
})

describe('a failing Web Crypto', () => {
  beforeEach(() => {
    useWebCrypto()
    resetPage()
  })

  it('falls back to the plain keys for that value and holds back no later event', async () => {
    const digest = jest.spyOn(webcrypto.subtle, 'digest').mockRejectedValueOnce(new Error('digest failed'))
    const send = await destinationWith({})
    const first = send({ event: 'First', context: { traits: { email: 'broken-digest@example.com' } } })
    const second = send({ event: 'Second', context: { traits: { email: 'working-digest@example.com' } } })
    await Promise.all([first, second])
    digest.mockRestore()
    expect(queued()).toEqual([
      ['identify', { email: 'broken-digest@example.com' }],
      ['track', 'First', undefined, { event_id: expect.any(String) }],
      ['identify', { sha256_email: sha256('working-digest@example.com') }],
      ['track', 'Second', undefined, { event_id: expect.any(String) }]
    ])
  })
})

describe('hashing without Web Crypto (plain-http pages)', () => {
  beforeEach(withoutWebCrypto)
  afterAll(useWebCrypto)

  it('sends the normalised values under the plain keys, which the pixel hashes itself', async () => {
    expect(await hashUser({ email: 'jane@example.com', phone_number: '+14155550101', external_id: 'user-1' })).toEqual({
      email: 'jane@example.com',
      phone_number: '+14155550101',
      external_id: 'user-1'
    })
  })

  it('still keeps a digest under its sha256_ key, so it is not hashed twice', () => {
    const digest = sha256('jane@example.com')
    expect(hashUser({ email: digest })).toEqual({ sha256_email: digest })
  })
})

describe('consent', () => {
  beforeEach(() => {
    useWebCrypto()
    resetPage()
  })

  it('holds the pixel before anything else, grants and revokes once per change, and withholds refused events', async () => {
    const send = await destinationWith({ consentCategory: 'Advertising', autoPageView: true })
    await send({ event: 'Before', ...consent() })
    await send({ event: 'Granted', ...consent(true) })
    await send({ event: 'Still granted', ...consent(true) })
    await send({ event: 'Refused', ...consent(false) })
    await send({ event: 'Refused again', ...consent(false) })
    await send({ event: 'Unknown while revoked', ...consent() })
    await send({ event: 'Granted again', ...consent(true) })
    expect(methods()).toEqual([
      'holdConsent',
      'page',
      'track Before',
      'grantConsent',
      'track Granted',
      'track Still granted',
      'revokeConsent',
      'grantConsent',
      'track Granted again'
    ])
  })

  it('changes nothing when no consent category is set', async () => {
    const send = await destinationWith({})
    await send({ event: 'Refused', ...consent(false) })
    expect(methods()).toEqual(['track Refused'])
  })

  it("queues the consent calls on an older base code's stub that lacks them, as its methods would", async () => {
    const ttq = [] as unknown as unknown[] & Record<string, unknown>
    const olderMethods = ['page', 'track', 'identify', 'instances', 'debug', 'on', 'off', 'once', 'ready', 'alias']
    const defer = (target: Record<string, unknown> & unknown[], method: string): void => {
      target[method] = (...args: unknown[]) => target.push([method, ...args])
    }
    olderMethods.forEach((method) => defer(ttq, method))
    ttq.methods = olderMethods
    ttq.setAndDefer = defer
    const instances: Record<string, unknown[] & Record<string, unknown>> = {}
    ttq._i = instances
    ttq.instance = (code: string) => {
      const queue = instances[code] ?? (instances[code] = [] as never)
      olderMethods.forEach((method) => defer(queue, method))
      return queue
    }
    ttq.load = (code: string) => void (instances[code] = [] as never)
    window.ttq = ttq as never
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined)

    const send = await destinationWith({ consentCategory: 'Advertising' })
    await send({ event: 'Held' })
    await send({ event: 'Granted', ...consent(true) })
    await send({ event: 'Refused', ...consent(false) })
    expect(errors).not.toHaveBeenCalled()
    errors.mockRestore()
    expect(methods()).toEqual(['holdConsent', 'track Held', 'grantConsent', 'track Granted', 'revokeConsent'])
  })

  it('leaves Limited Data Use to ttq.load, independent of consent', async () => {
    await destinationWith({ consentCategory: 'Advertising', ldu: true })
    expect(window.ttq?._o?.[PIXEL_CODE]).toEqual({ limited_data_use: true })
  })
})
