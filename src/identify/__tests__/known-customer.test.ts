/**
 * The known customer at load: through the Identify subscriptions once, after initialize and
 * before the page's events, hashed like any identify().
 */
import type { Analytics } from '@segment/analytics-next'
import { destination } from '../..'
import { presets } from '../../presets'
import { generatePlugins } from '../../runtime'
import {
  PIXEL_CODE,
  deliver,
  loadPlugins,
  queued,
  resetPage,
  sha256,
  subscriptionsOf,
  useWebCrypto
} from '../../__tests__/support/page'
import { knownCustomer } from '../known-customer'

function user(id: string | null, traits: Record<string, unknown> | undefined, anonymousId: string | null = 'anon-1') {
  return { id: () => id, anonymousId: () => anonymousId, traits: () => traits }
}

describe('knownCustomer', () => {
  it('is the identify event of the stored user ID and traits', () => {
    expect(knownCustomer(user('user-42', { email: 'jane@example.com' }))).toEqual([
      { type: 'identify', userId: 'user-42', anonymousId: 'anon-1', traits: { email: 'jane@example.com' } }
    ])
  })

  it('is there with traits but no user ID, or a user ID but no traits', () => {
    expect(knownCustomer(user(null, { email: 'jane@example.com' }))).toHaveLength(1)
    expect(knownCustomer(user('user-42', {}))).toEqual([
      { type: 'identify', userId: 'user-42', anonymousId: 'anon-1', traits: {} }
    ])
  })

  it.each([
    ['nothing is stored', user(null, {})],
    ['the user was reset', user(null, undefined, 'new-anonymous-id')]
  ])('is none when %s', (_, stored) => {
    expect(knownCustomer(stored)).toEqual([])
  })
})

describe('at load, through the runtime', () => {
  const stored = user('user-42', { email: ' Jane@Example.com ', phone: '+1 (213) 373-4253' })
  const hashedCustomer = {
    sha256_email: sha256('jane@example.com'),
    sha256_phone_number: sha256('+12133734253'),
    external_id: sha256('user-42')
  }
  // No user ID or traits of its own: any identify call comes from the known customer.
  const purchase = {
    type: 'track',
    event: 'Order Completed',
    messageId: 'msg-1',
    properties: { order_id: 'o-1', revenue: 10, currency: 'USD' }
  }

  beforeEach(() => {
    useWebCrypto()
    resetPage()
  })

  async function loadWith(
    subscribed: typeof presets,
    customer = stored,
    settings: Record<string, unknown> = {},
    options: Record<string, unknown> = {}
  ) {
    const plugins = generatePlugins(destination, {
      pixelCode: PIXEL_CODE,
      autoPageView: false,
      ...settings,
      subscriptions: subscriptionsOf(subscribed)
    } as never)
    const analytics = {
      user: () => customer,
      options: { integrations: { 'TikTok Pixel': options } }
    } as unknown as Analytics
    return loadPlugins(plugins, analytics)
  }

  const identifyCalls = () => queued().filter((call) => call[0] === 'identify')

  it('sends the stored customer once, hashed, before the first event of the page', async () => {
    const plugins = await loadWith(presets)
    await deliver(plugins, purchase)
    expect(queued()).toEqual([
      ['identify', hashedCustomer],
      ['track', 'CompletePayment', { value: 10, currency: 'USD', order_id: 'o-1' }, { event_id: 'msg-1' }]
    ])
    await deliver(plugins, { ...purchase, messageId: 'msg-2' })
    expect(identifyCalls()).toHaveLength(1)
  })

  it('sends nothing without an enabled Identify subscription', async () => {
    const plugins = await loadWith(presets.filter((preset) => preset.partnerAction !== 'identify'))
    await deliver(plugins, purchase)
    expect(identifyCalls()).toEqual([])
  })

  it("goes before the page view on load, which waits for the customer's digests", async () => {
    const plugins = await loadWith(presets, stored, { autoPageView: true })
    await deliver(plugins, purchase)
    expect(queued().map((call) => call[0])).toEqual(['identify', 'page', 'track'])
    expect(queued()[0]).toEqual(['identify', hashedCustomer])
  })

  it("goes before the Page View mapping's first page view too", async () => {
    const plugins = await loadWith(presets)
    await deliver(plugins, { type: 'page', messageId: 'page-1', properties: {} })
    expect(queued().map((call) => call.slice(0, 2))).toEqual([
      ['identify', hashedCustomer],
      ['track', 'Pageview']
    ])
  })

  it("runs on a workspace without an Identify mapping only with the site's identify option, through the package's preset", async () => {
    const catalogOnly = presets.filter((preset) => preset.partnerAction !== 'identify')
    const plugins = await loadWith(catalogOnly, stored, { autoPageView: true }, { identify: true })
    await deliver(plugins, purchase)
    expect(queued().map((call) => call[0])).toEqual(['identify', 'page', 'track'])
    expect(queued()[0]).toEqual(['identify', hashedCustomer])
  })

  const registration = presets.find((preset) => preset.name === 'Complete Registration')!
  it.each([
    ['the Complete Registration preset triggered by identify calls', {}],
    ['such a mapping with an event ID of its own', { event_id: 'registered' }]
  ])('never goes through Report Web Event, even with %s', async (_, extraMapping) => {
    const identifyTriggered = {
      ...registration,
      subscribe: 'type = "identify"',
      mapping: { ...(registration.mapping as object), ...extraMapping }
    } as (typeof presets)[number]
    const catalogOnly = presets.filter((preset) => preset.partnerAction !== 'identify')
    for (const options of [{}, { identify: true }]) {
      resetPage()
      const plugins = await loadWith([...catalogOnly, identifyTriggered], stored, {}, options)
      await deliver(plugins, purchase)
      expect(
        queued()
          .filter((call) => call[0] === 'track')
          .map((call) => call[1])
      ).toEqual(['CompletePayment'])
    }
  })

  it('sends nothing when analytics.js knows no customer', async () => {
    const plugins = await loadWith(presets, user(null, {}))
    await deliver(plugins, purchase)
    expect(queued().map((call) => call[0])).toEqual(['track'])
  })

  it('goes through the Identify mapping as saved', async () => {
    const onlyEmail = presets.map((preset) =>
      preset.partnerAction === 'identify' ? { ...preset, mapping: { email: { '@path': '$.traits.email' } } } : preset
    )
    const plugins = await loadWith(onlyEmail)
    await deliver(plugins, purchase)
    expect(queued().map((call) => call.slice(0, 2))).toEqual([
      ['identify', { sha256_email: sha256('jane@example.com') }],
      ['track', 'CompletePayment']
    ])
  })

  it('is held with the pixel when a consent category is set, and revoked with it', async () => {
    const plugins = await loadWith(presets, stored, { consentCategory: 'Advertising' })
    await deliver(plugins, {
      ...purchase,
      context: { consent: { categoryPreferences: { Advertising: false } } }
    })
    expect(queued().map((call) => call[0])).toEqual(['holdConsent', 'identify', 'revokeConsent'])
  })
})
