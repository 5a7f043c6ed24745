/**
 * Issue 10 parts 1 and 2, end to end in Chromium with the real analytics-next and the built
 * destination.
 *
 * Part 1, with Segment.io on: TikTok's click ID (`ttclid`) and cookie (`_ttp`) reach Segment's
 * API under `integrations['TikTok Conversions']`, where Segment's TikTok Conversions (Events API)
 * destination reads them. The request to api.segment.io is answered here; what it carried is
 * resolved with mapping-kit through that destination's public default mappings.
 *
 * Part 2: the customer analytics.js remembers goes through the Identify preset once at load,
 * hashed, before the page's events; nothing of it after `analytics.reset()`.
 *
 * Run: `npm run build && npx jest --selectProjects browser -- e2e/attribution`.
 */
import { transform } from '@segment/actions-core/mapping-kit'
import type { EmulatorCall } from '../devkit/emulator'
import { type Event, identifyCall, pageCall, sha256, trackCall, waitForPixel } from './support/expectations'
import { PIXEL_CODE, type Shop, type ShopOptions, useHarness } from './support/harness'
import { analyticsCall } from './support/page'
import { segmentApi, type SegmentApi } from './support/segment-api'
import { presetSubscriptions } from './support/subscriptions'

const h = useHarness()

/**
 * The defaults of Segment's TikTok Conversions destination for these two fields (action-destinations,
 * tiktok-conversions/reportWebEvent/fields/common_fields.ts), as public data.
 */
const EVENTS_API_DEFAULTS = {
  ttclid: {
    '@if': {
      exists: { '@path': '$.properties.ttclid' },
      then: { '@path': '$.properties.ttclid' },
      else: { '@path': '$.integrations.TikTok Conversions.ttclid' }
    }
  },
  ttp: {
    '@if': {
      exists: { '@path': '$.properties.ttp' },
      then: { '@path': '$.properties.ttp' },
      else: { '@path': '$.integrations.TikTok Conversions.ttp' }
    }
  }
}

/** What Segment's TikTok Conversions destination would send TikTok as ttclid and ttp for `event`. */
const eventsApiKeys = (event: Event): Record<string, unknown> =>
  transform(EVENTS_API_DEFAULTS, event as never) as Record<string, unknown>

const CLICK = 'E.C.P.CvoBxn0TqXY6Vb2n'
const NEWER_CLICK = 'E.C.P.Newer8d7Zq1'
const TTP = '2YjZ2WcT3kQzUi8Ht2pLg6nFvXa'
const DAY = 24 * 60 * 60 * 1000
const CLICKED_AT = new Date('2026-03-02T10:00:00Z')

/** A shop with Segment.io on; the first page has no click. */
async function openShop(options: ShopOptions = {}): Promise<{ shop: Shop; api: SegmentApi }> {
  const shop = await h.openShop({
    ...options,
    loadOptions: { ...options.loadOptions, integrations: { 'Segment.io': true } }
  })
  return { shop, api: await segmentApi(shop) }
}

/** Opens the shop page again (a reload, or the next page when `query` is empty) and waits for analytics.js. */
async function visit(shop: Shop, query = ''): Promise<void> {
  await shop.page.goto(shop.url + query, { waitUntil: 'load' })
  await shop.page.waitForFunction(() => window.__shop?.ready === true)
}

const setTtpCookie = (shop: Shop): Promise<void> =>
  shop.context.addCookies([{ name: '_ttp', value: TTP, url: shop.origin }])

const track = (shop: Shop, name: string, properties = {}, options?: Record<string, unknown>): Promise<Event> =>
  options === undefined
    ? analyticsCall(shop.page, 'track', name, properties)
    : analyticsCall(shop.page, 'track', name, properties, options)

describe('click ID and cookie for the Events API', () => {
  test('a click landing: ttclid and _ttp reach Segment and resolve through the Events API defaults', async () => {
    const { shop, api } = await openShop()
    await setTtpCookie(shop)
    await visit(shop, `?utm_source=tiktok&ttclid=${CLICK}`)
    await analyticsCall(shop.page, 'page')
    await track(shop, 'Order Completed', { order_id: 'o-1', revenue: 25 })

    const purchase = await api.event('Order Completed')
    expect(purchase.integrations['TikTok Conversions']).toEqual({ ttclid: CLICK, ttp: TTP })
    expect(eventsApiKeys(purchase)).toEqual({ ttclid: CLICK, ttp: TTP })
    expect(eventsApiKeys(await api.event('page'))).toEqual({ ttclid: CLICK, ttp: TTP })
    expect(shop.pageErrors).toEqual([])
  })

  test("a _ttp that TikTok's script sets after the page loaded reaches the events that follow", async () => {
    const { shop, api } = await openShop()
    await visit(shop)
    await track(shop, 'Before The Cookie')
    // As events.js does, once its script has run.
    await shop.page.evaluate((ttp) => void (document.cookie = `_ttp=${ttp}; path=/`), TTP)
    await track(shop, 'After The Cookie')

    expect(eventsApiKeys(await api.event('Before The Cookie'))).toEqual({})
    expect(eventsApiKeys(await api.event('After The Cookie'))).toEqual({ ttp: TTP })
  })

  test('the next page and a reload still carry the click; a week after it, it is gone', async () => {
    const { shop, api } = await openShop()
    await shop.context.clock.setFixedTime(CLICKED_AT)
    await visit(shop, `?ttclid=${CLICK}`)
    await track(shop, 'Landing')

    await shop.context.clock.setFixedTime(new Date(CLICKED_AT.getTime() + 3 * DAY))
    await visit(shop)
    await track(shop, 'Next Page')
    // The landing URL again (a reload days later) is the same click: its week does not restart.
    await shop.context.clock.setFixedTime(new Date(CLICKED_AT.getTime() + 7 * DAY - 60_000))
    await visit(shop, `?ttclid=${CLICK}`)
    await track(shop, 'Reload')

    await shop.context.clock.setFixedTime(new Date(CLICKED_AT.getTime() + 7 * DAY))
    await visit(shop)
    await track(shop, 'A Week Later')

    expect(eventsApiKeys(await api.event('Landing'))).toEqual({ ttclid: CLICK })
    expect(eventsApiKeys(await api.event('Next Page'))).toEqual({ ttclid: CLICK })
    expect(eventsApiKeys(await api.event('Reload'))).toEqual({ ttclid: CLICK })
    const late = await api.event('A Week Later')
    expect(late.integrations?.['TikTok Conversions']).toBeUndefined()
    expect(eventsApiKeys(late)).toEqual({})
  })

  test('a newer click replaces the remembered one', async () => {
    const { shop, api } = await openShop()
    await visit(shop, `?ttclid=${CLICK}`)
    await track(shop, 'First Click')
    await visit(shop, `?ttclid=${NEWER_CLICK}`)
    await track(shop, 'Second Click')
    await visit(shop)
    await track(shop, 'After Both')

    expect(eventsApiKeys(await api.event('First Click'))).toEqual({ ttclid: CLICK })
    expect(eventsApiKeys(await api.event('Second Click'))).toEqual({ ttclid: NEWER_CLICK })
    expect(eventsApiKeys(await api.event('After Both'))).toEqual({ ttclid: NEWER_CLICK })
  })

  test('values the site set are kept; events that turn TikTok Conversions off are left alone', async () => {
    const { shop, api } = await openShop()
    await setTtpCookie(shop)
    await visit(shop, `?ttclid=${CLICK}`)
    await track(shop, 'Site Click', {}, { integrations: { 'TikTok Conversions': { ttclid: 'site-click-id' } } })
    await track(shop, 'Site Property', { ttclid: 'property-click-id' })
    await track(shop, 'Conversions Off', {}, { integrations: { 'TikTok Conversions': false } })
    await track(shop, 'All Off', {}, { integrations: { All: false, 'Segment.io': true } })
    const onlyConversions = { All: false, 'Segment.io': true, 'TikTok Conversions': true }
    await track(shop, 'Only Conversions On', {}, { integrations: onlyConversions })

    expect((await api.event('Site Click')).integrations['TikTok Conversions']).toEqual({
      ttclid: 'site-click-id',
      ttp: TTP
    })
    expect(eventsApiKeys(await api.event('Site Property'))).toEqual({ ttclid: 'property-click-id', ttp: TTP })
    expect((await api.event('Conversions Off')).integrations['TikTok Conversions']).toBe(false)
    const allOff = await api.event('All Off')
    expect(allOff.integrations).toEqual({ All: false, 'Segment.io': true })
    expect(eventsApiKeys(allOff)).toEqual({})
    expect((await api.event('Only Conversions On')).integrations).toEqual({
      ...onlyConversions,
      'TikTok Conversions': { ttclid: CLICK, ttp: TTP }
    })
  })

  describe('with a consent category', () => {
    const consent = (value: boolean): Record<string, unknown> => ({
      context: { consent: { categoryPreferences: { Advertising: value } } }
    })

    test('nothing stored or attached until granted; revoking forgets the click', async () => {
      const { shop, api } = await openShop({ settings: { consentCategory: 'Advertising' } })
      await setTtpCookie(shop)
      await visit(shop, `?ttclid=${CLICK}`)
      await track(shop, 'Denied Landing', {}, consent(false))
      await track(shop, 'No Answer')
      await visit(shop)
      await track(shop, 'Granted Later', {}, consent(true))

      expect(eventsApiKeys(await api.event('Denied Landing'))).toEqual({})
      expect(eventsApiKeys(await api.event('No Answer'))).toEqual({})
      // The click was never stored: only the cookie, now that consent is granted.
      expect(eventsApiKeys(await api.event('Granted Later'))).toEqual({ ttp: TTP })

      await visit(shop, `?ttclid=${NEWER_CLICK}`)
      await track(shop, 'Granted Landing', {}, consent(true))
      await track(shop, 'Revoked', {}, consent(false))
      await visit(shop)
      await track(shop, 'Granted Again', {}, consent(true))

      expect(eventsApiKeys(await api.event('Granted Landing'))).toEqual({ ttclid: NEWER_CLICK, ttp: TTP })
      expect(eventsApiKeys(await api.event('Revoked'))).toEqual({})
      expect(eventsApiKeys(await api.event('Granted Again'))).toEqual({ ttp: TTP })
    })
  })

  test("works when TikTok's script is blocked", async () => {
    const { shop, api } = await openShop({ tiktokBlocked: true })
    await setTtpCookie(shop)
    await visit(shop, `?ttclid=${CLICK}`)
    await track(shop, 'Order Completed', { order_id: 'o-2', revenue: 5 })
    await visit(shop)
    await track(shop, 'Product Viewed', { product_id: 'p-1' })

    expect(shop.tiktokRequests.length).toBeGreaterThan(0)
    expect(await shop.page.evaluate(() => window.__tiktokEmulator === undefined)).toBe(true)
    expect(eventsApiKeys(await api.event('Order Completed'))).toEqual({ ttclid: CLICK, ttp: TTP })
    expect(eventsApiKeys(await api.event('Product Viewed'))).toEqual({ ttclid: CLICK, ttp: TTP })
  })
})

describe('the known customer on every page', () => {
  const USER_ID = 'user-1'
  const EMAIL = 'jane@example.com'
  const PHONE = '+14155550101'
  const CUSTOMER = { sha256_email: sha256(EMAIL), sha256_phone_number: sha256(PHONE), external_id: sha256(USER_ID) }
  const OLD_CUSTOMER_DIGESTS = Object.values(CUSTOMER)

  /** identify() on the first page, as a sign-in would; TikTok gets it on that page. */
  async function signIn(options: ShopOptions = {}): Promise<Shop> {
    const shop = await h.openShop(options)
    await waitForPixel(shop.page, PIXEL_CODE)
    await analyticsCall(shop.page, 'identify', USER_ID, { email: ' Jane@Example.com ', phone: '+1 (415) 555-0101' })
    return shop
  }

  /** The next page: waits for the pixel, sends a purchase and returns every call TikTok got there. */
  async function purchaseOnNextPage(shop: Shop): Promise<{ purchase: Event; calls: EmulatorCall[] }> {
    await visit(shop)
    await waitForPixel(shop.page, PIXEL_CODE)
    const purchase = await track(shop, 'Order Completed', { order_id: 'o-9', revenue: 30, currency: 'USD' })
    const expectedTrack = trackCall('CompletePayment', { value: 30, currency: 'USD', order_id: 'o-9' }, purchase)
    await shop.page.waitForFunction(
      ([code, id]) =>
        (window.__tiktokEmulator?.callsFor(code as string) ?? []).some(
          (call) => call.method === 'track' && JSON.stringify(call.args).includes(id as string)
        ),
      [PIXEL_CODE, purchase.messageId as string] as const,
      { polling: 25 }
    )
    const calls = await shop.calls(PIXEL_CODE)
    expect(calls.at(-1)).toEqual(expectedTrack)
    return { purchase, calls }
  }

  test('a reload sends the stored customer, hashed, once and before the page view and the purchase', async () => {
    const shop = await signIn()
    const { calls } = await purchaseOnNextPage(shop)
    expect(calls).toEqual([
      identifyCall(CUSTOMER),
      pageCall(),
      identifyCall({ external_id: sha256(USER_ID) }),
      calls.at(-1)
    ])
  })

  test('after reset() nothing of the previous customer is sent again', async () => {
    const shop = await signIn()
    await shop.page.evaluate(() => (window as unknown as { analytics: { reset(): void } }).analytics.reset())
    const { purchase, calls } = await purchaseOnNextPage(shop)
    expect(calls).toEqual([
      pageCall(),
      identifyCall({ external_id: sha256(purchase.anonymousId as string) }),
      calls.at(-1)
    ])
    const sent = JSON.stringify(calls)
    for (const digest of OLD_CUSTOMER_DIGESTS) expect(sent).not.toContain(digest)
  })

  test('nothing at load without an enabled Identify subscription', async () => {
    const subscriptions = presetSubscriptions().map((subscription) =>
      subscription.partnerAction === 'identify' ? { ...subscription, enabled: false } : subscription
    )
    const shop = await signIn({ subscriptions })
    const { calls } = await purchaseOnNextPage(shop)
    expect(calls).toEqual([pageCall(), identifyCall({ external_id: sha256(USER_ID) }), calls.at(-1)])
  })
})
