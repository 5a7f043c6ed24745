/**
 * Everything the destination adds, on the workspaces customers have today (Segment's own TikTok
 * Pixel catalog entry: four settings, two actions, the presets' fifteen subscriptions), loaded both
 * ways, with Segment.io on: from the workspace alone, then with the site's options.
 */
import { destinationLogs, type Event, identifyCall, MODES, pageCall, sha256, trackCall } from './support/expectations'
import { PIXEL_CODE, type Shop, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { segmentApi, type SegmentApi } from './support/segment-api'
import { todaysWorkspace, type WorkspaceOptions } from './support/workspace'

const h = useHarness()

const CLICK = 'E.C.P.WorkspaceClick'
const TTP = '2YjWorkspaceTtpCookie'
const EMAIL = ' Jane.Doe@Example.COM '
const traits = {
  email: EMAIL,
  phone: '(415) 555-0101',
  first_name: 'Jane',
  address: { city: 'San Francisco', country: 'US' }
}
const ORDER = {
  order_id: 'o-1',
  products: [
    { product_id: 'a', price: 10, quantity: 2 },
    { product_id: 'b', price: '5.5' }
  ]
}

describe.each(MODES)('%s', (mode) => {
  /** A shop on the workspace, Segment's API answered here, on a page opened once that is in place. */
  async function openShop(workspace: WorkspaceOptions = {}, query = ''): Promise<{ shop: Shop; api: SegmentApi }> {
    const options = todaysWorkspace(workspace)
    const shop = await h.openShop({
      ...options,
      mode,
      snippetPage: true,
      loadOptions: {
        integrations: { 'Segment.io': true, ...(options.loadOptions?.integrations as object) },
        // The first page's events, refused before Segment's API is answered here, are not resent from
        // the next page, where they would arrive in any order with that page's own.
        retryQueue: false
      }
    })
    await shop.context.addCookies([{ name: '_ttp', value: TTP, url: shop.origin }])
    const api = await segmentApi(shop)
    await reload(shop, query)
    return { shop, api }
  }

  async function reload(shop: Shop, query = ''): Promise<void> {
    await shop.page.goto(shop.url + query, { waitUntil: 'load' })
    await shop.page.waitForFunction(() => window.__shop?.ready === true)
  }

  const purchase = (shop: Shop, extra: Record<string, unknown> = {}): Promise<Event> =>
    analyticsCall(shop.page, 'track', 'Order Completed', ORDER, { context: { traits }, ...extra })

  const expectedPurchase = (event: Event) => [
    identifyCall({
      sha256_email: sha256('jane.doe@example.com'),
      // A national number, given the calling code of the address's country.
      sha256_phone_number: sha256('+14155550101'),
      external_id: sha256(event.anonymousId as string),
      first_name: 'jane',
      city: 'sanfrancisco',
      country: 'us'
    }),
    trackCall(
      'CompletePayment',
      {
        contents: [
          { content_id: 'a', price: 10, quantity: 2 },
          { content_id: 'b', price: 5.5 }
        ],
        content_type: 'product',
        // No value given: the sum of the products.
        value: 25.5,
        currency: 'USD',
        order_id: 'o-1'
      },
      event
    )
  ]

  const keysOf = (event: Event): unknown => event.integrations?.['TikTok Conversions']

  test('the catalog entry alone: clean, hashed events and one page view; no keys for a source without TikTok Conversions', async () => {
    const { shop, api } = await openShop({}, `?ttclid=${CLICK}`)
    const order = await purchase(shop)
    await drain(shop.page, PIXEL_CODE)

    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...expectedPurchase(order)])
    expect(keysOf(await api.event('Order Completed'))).toBeUndefined()
    expect(keysOf(await api.event('page'))).toBeUndefined()
    expect(destinationLogs(shop)).toEqual([])
    expect(shop.pageErrors).toEqual([])
  })

  test("with TikTok Conversions on the source, its events carry the click ID and _ttp; the pixel's are the same", async () => {
    const { shop, api } = await openShop({ eventsApi: true }, `?ttclid=${CLICK}`)
    const order = await purchase(shop)
    const optedOut = await analyticsCall(
      shop.page,
      'track',
      'Not For Conversions',
      {},
      {
        integrations: { 'Tiktok Conversions': false }
      }
    )
    await drain(shop.page, PIXEL_CODE)

    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...expectedPurchase(order)])
    expect(keysOf(await api.event('Order Completed'))).toEqual({ ttclid: CLICK, ttp: TTP })
    expect(keysOf(await api.event('page'))).toEqual({ ttclid: CLICK, ttp: TTP })
    // Switched off for that event: never widened.
    expect((await api.event('Not For Conversions')).integrations).toEqual({
      'Segment.io': true,
      'Tiktok Conversions': false
    })
    expect(keysOf(optedOut)).toBeUndefined()
  })

  test('with Consent Management, the pixel is held from load, granted by every category, revoked by one; the keys follow', async () => {
    const consent = (preferences: Record<string, boolean>) => ({
      context: { traits, consent: { categoryPreferences: preferences } }
    })
    const { shop, api } = await openShop({ eventsApi: true, consentCategories: ['C0004', 'C0002'] }, `?ttclid=${CLICK}`)
    await analyticsCall(shop.page, 'track', 'Partly Answered', {}, consent({ C0004: true }))
    const granted = await purchase(shop, consent({ C0004: true, C0002: true }))
    await drain(shop.page, PIXEL_CODE)
    const held = [{ method: 'holdConsent', args: [] }, pageCall(), { method: 'grantConsent', args: [] }]
    expect(await shop.calls(PIXEL_CODE)).toEqual([...held, ...expectedPurchase(granted)])

    // Revoked, the pixel takes nothing more (not even the marker): wait for the revocation itself.
    await analyticsCall(shop.page, 'track', 'Order Completed', ORDER, consent({ C0004: true, C0002: false }))
    const calls = await shop.waitForCalls(PIXEL_CODE, held.length + 3)
    expect(calls.slice(held.length + 2)).toEqual([{ method: 'revokeConsent', args: [] }])
    expect(keysOf(await api.event('Partly Answered'))).toBeUndefined()
    expect(keysOf(granted)).toEqual({ ttclid: CLICK, ttp: TTP })
    const denied = api.sent.filter((event) => event.event === 'Order Completed').at(-1) as Event
    expect(keysOf(denied)).toBeUndefined()
  })

  test("the site's options: the known customer before the load's page view, the keys forced on, consent categories", async () => {
    const options = { identify: true, eventsApiMatchKeys: true, consentCategories: ['Advertising'] }
    const { shop, api } = await openShop({ options })
    await analyticsCall(
      shop.page,
      'identify',
      'user-42',
      { email: EMAIL },
      {
        context: { consent: { categoryPreferences: { Advertising: true } } }
      }
    )
    await reload(shop, `?ttclid=${CLICK}`)
    await analyticsCall(
      shop.page,
      'track',
      'Signed Up',
      {},
      { context: { consent: { categoryPreferences: { Advertising: true } } } }
    )
    await drain(shop.page, PIXEL_CODE)

    const customer = identifyCall({ sha256_email: sha256('jane.doe@example.com'), external_id: sha256('user-42') })
    const calls = await shop.calls(PIXEL_CODE)
    expect(calls.slice(0, 4)).toEqual([
      { method: 'holdConsent', args: [] },
      customer,
      pageCall(),
      { method: 'grantConsent', args: [] }
    ])
    expect(calls.filter((call) => call.method === 'page')).toHaveLength(1)
    expect(keysOf(await api.event('Signed Up'))).toEqual({ ttclid: CLICK, ttp: TTP })
  })

  test('options apply where the CDN lists no TikTok Pixel entry; an invalid one is reported by name and the rest runs', async () => {
    const { shop, api } = await openShop({
      withoutIntegrationEntry: true,
      options: { eventsApiMatchKeys: true, identify: 'yes' }
    })
    await analyticsCall(shop.page, 'track', 'Product Viewed', { product_id: 'a' })
    await drain(shop.page, PIXEL_CODE)

    expect(keysOf(await api.event('Product Viewed'))).toEqual({ ttp: TTP })
    const errors = destinationLogs(shop).filter((entry) => entry.type === 'error')
    // One per page load: the shop was opened, then loaded again.
    const invalid = expect.stringContaining('[TikTok Pixel] the option identify must be true or false')
    expect(errors.map((entry) => entry.text)).toEqual([invalid, invalid])
  })
})
