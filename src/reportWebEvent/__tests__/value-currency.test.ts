/**
 * Value and currency: the value from the contents when the mapping gives none (issue 13), `USD`
 * whenever a value goes without a currency, and a malformed currency left out with one warning
 * (issue 10, compatibility with Segment's destination).
 */
import { contentsValue, reportWebEventCalls } from '../calls'
import type { Payload } from '../generated-types'

const properties = (payload: Record<string, unknown>): unknown =>
  reportWebEventCalls({ event: 'X', ...payload } as unknown as Payload).find((call) => call[0] === 'track')?.[2]

describe('value from the contents when the mapping gives none', () => {
  it('is the sum of price × quantity, quantity 1 when missing', () => {
    expect(
      properties({
        contents: [
          { content_id: 'a', price: 19.99, quantity: 2 },
          { content_id: 'b', price: '5' },
          { content_id: 'c', quantity: 4 }
        ]
      })
    ).toEqual({
      contents: [
        { content_id: 'a', price: 19.99, quantity: 2 },
        { content_id: 'b', price: 5 },
        { content_id: 'c', quantity: 4 }
      ],
      value: 44.98,
      currency: 'USD'
    })
  })

  it.each([
    [[{ price: 0.1, quantity: 3 }], 0.3],
    [[{ price: 0.1 }, { price: 0.2 }], 0.3],
    [[{ price: 19.99, quantity: 3 }], 59.97],
    [[{ price: 1.005, quantity: 1000 }], 1005],
    [[{ price: 0.07, quantity: 0.5 }], 0.035],
    [[{ price: 1e-7, quantity: 3 }], 3e-7],
    [[{ price: 0 }], 0],
    [[{ price: 5, quantity: 0 }], 0],
    [[{ price: -2 }, { price: 3 }], 1]
  ])('%j gives %p, free of floating-point noise', (contents, expected) => {
    expect(contentsValue(contents)).toBe(expected)
  })

  it('is left out when no item has a price', () => {
    expect(contentsValue([{ quantity: 2 }, {}])).toBeUndefined()
    expect(contentsValue(undefined)).toBeUndefined()
    expect(properties({ contents: [{ content_id: 'a', quantity: 2 }] })).toEqual({
      contents: [{ content_id: 'a', quantity: 2 }]
    })
  })

  it('is left out, with its currency, when the sum overflows (found by the fuzz test)', () => {
    const contents = [{ content_id: 'a', price: -3.4e108, quantity: -5.3e199 }]
    expect(contentsValue(contents)).toBeUndefined()
    expect(contentsValue([{ price: 1e308 }, { price: 1e308 }])).toBeUndefined()
    expect(properties({ contents })).toEqual({ contents })
  })

  it.each([
    ['0', 0, 0],
    ['a number', 12, 12],
    ['a numeric string', '7.5', 7.5]
  ])('never replaces a value the mapping gives: %s', (_, value, expected) => {
    expect(properties({ value, contents: [{ price: 10, quantity: 2 }] })).toMatchObject({ value: expected })
  })

  it.each([
    ['absent', undefined],
    ['null', null],
    ['empty', ''],
    ['not a number', 'n/a']
  ])('computes it when the mapped value is %s', (_, value) => {
    expect(properties({ value, contents: [{ price: 10, quantity: 2 }] })).toMatchObject({ value: 20 })
  })

  it("keeps the event's currency", () => {
    expect(properties({ currency: 'eur', contents: [{ price: 10 }] })).toMatchObject({ value: 10, currency: 'EUR' })
  })
})

describe('currency', () => {
  it('is USD when a value goes without one', () => {
    expect(properties({ value: 5 })).toEqual({ value: 5, currency: 'USD' })
    expect(properties({ value: 0 })).toEqual({ value: 0, currency: 'USD' })
  })

  it('is never sent without a value unless the mapping gives it', () => {
    expect(properties({ query: 'q' })).toEqual({ query: 'q' })
    expect(properties({ currency: 'GBP' })).toEqual({ currency: 'GBP' })
  })

  it('that is not an ISO 4217 code is left out, not replaced by USD, with one warning for all such events', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
    // A fresh module: its warning is given once per page.
    jest.resetModules()
    const fresh = await import('../calls')
    const track = (currency: unknown) =>
      fresh.reportWebEventCalls({ event: 'X', value: 5, currency } as unknown as Payload)[0][2]
    // Three letters that are no currency, other text, a number, other kinds: none becomes USD.
    for (const currency of ['XYZ', 'ABC', 'xyz', 'dollars', 'US$', 840, {}, true, ['ABC']]) {
      expect(track(currency)).toEqual({ value: 5 })
    }
    expect(track('eur')).toEqual({ value: 5, currency: 'EUR' })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0][0]).toBe(
      '[TikTok Pixel] field currency is not an ISO 4217 currency code (such as USD): it is left out, and the rest of the event is sent.'
    )
    warn.mockRestore()
  })
})

describe('ISO 4217 codes', () => {
  /** A fresh module: it asks the browser for its list once. */
  const freshCurrency = async (): Promise<typeof import('../../normalize').currency> => {
    jest.resetModules()
    return (await import('../../normalize')).currency
  }

  it("are the browser's, asked once", async () => {
    const supported = jest.spyOn(Intl, 'supportedValuesOf')
    const currency = await freshCurrency()
    expect(['USD', 'eur', ' JPY ', 'ZWG', 'XYZ', 'ABC', 'XXX'].map(currency)).toEqual([
      'USD',
      'EUR',
      'JPY',
      'ZWG',
      undefined,
      undefined,
      undefined
    ])
    expect(supported).toHaveBeenCalledTimes(1)
    supported.mockRestore()
  })

  it.each([
    ['has no list of them', undefined],
    [
      'cannot list them',
      () => {
        throw new RangeError('unsupported')
      }
    ]
  ])('are any three letters where the browser %s', async (_, replacement) => {
    const original = Intl.supportedValuesOf
    Object.defineProperty(Intl, 'supportedValuesOf', { value: replacement, configurable: true, writable: true })
    try {
      const currency = await freshCurrency()
      expect(['usd', 'XYZ', 'US$', 'EURO'].map(currency)).toEqual(['USD', 'XYZ', undefined, undefined])
    } finally {
      Object.defineProperty(Intl, 'supportedValuesOf', { value: original, configurable: true, writable: true })
    }
  })
})
