/**
 * The failure modes of docs/maintainers.md, end to end in Chromium with the real analytics-next: TikTok's script
 * blocked, TikTok's base code already on the page, two destinations with two pixel codes, and an
 * invalid pixel code. Asserts exactly what TikTok's script (the events.js emulator) received.
 *
 * Runs against the build: `npm run build && npx jest --selectProjects browser -- e2e/failure-modes`.
 */
import type { EmulatorCall } from '../devkit/emulator'
import {
  destinationLogs,
  type Event,
  eventsJs,
  expectNoLogsOrPageErrors,
  externalId,
  identifyCall,
  MODES,
  pageCall,
  recorded,
  registerRecorder,
  sha256,
  trackCall,
  waitForConsole,
  waitForPixel
} from './support/expectations'
import { PIXEL_CODE, PIXEL_CODE_2, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { tiktokBaseCode } from './support/tiktok-base-code'

const h = useHarness()

const order = {
  order_id: 'o-4004',
  revenue: 42,
  currency: 'usd',
  email: 'shopper@example.com',
  products: [{ product_id: 'sku-1', name: 'Linen Shirt', price: 42, quantity: 1 }]
}
const orderProperties = {
  contents: [{ content_id: 'sku-1', content_name: 'Linen Shirt', price: 42, quantity: 1 }],
  content_type: 'product',
  value: 42,
  currency: 'USD',
  order_id: 'o-4004'
}
const orderCalls = (event: Event): EmulatorCall[] => [
  identifyCall({ sha256_email: sha256('shopper@example.com'), ...externalId(event) }),
  trackCall('CompletePayment', orderProperties, event)
]

// ------------------------------------------------------------------------------------------------

describe("TikTok's script blocked", () => {
  test.each(MODES)('%s: nothing is recorded or left queued, one warning, analytics.js carries on', async (mode) => {
    const shop = await h.openShop({ mode, tiktokBlocked: true })
    await registerRecorder(shop.page)

    const sent: Event[] = []
    sent.push(await analyticsCall(shop.page, 'track', 'Order Completed', order))
    sent.push(await analyticsCall(shop.page, 'identify', 'user-9', { email: 'blocked@example.com' }))
    await waitForConsole(shop, (m) => m.type === 'warning' && m.text.includes("TikTok's script"))
    sent.push(await analyticsCall(shop.page, 'track', 'Product Added', { product_id: 'sku-2', email: 'x@example.com' }))
    sent.push(await analyticsCall(shop.page, 'page'))
    sent.push(await analyticsCall(shop.page, 'track', 'Order Completed', order))
    expect(sent.map((e) => e.type)).toEqual(['track', 'identify', 'track', 'page', 'track'])
    await drain(shop.page)

    expect(await shop.emulator()).toBeNull()
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    const queues = await shop.page.evaluate((code) => {
      const ttq = (window as unknown as { ttq: unknown[] & { _i: Record<string, unknown[]> } }).ttq
      return { global: Array.from(ttq), pixel: Array.from(ttq._i[code]!), codes: Object.keys(ttq._i) }
    }, PIXEL_CODE)
    expect(queues).toEqual({ global: [], pixel: [], codes: [PIXEL_CODE] })
    expect(destinationLogs(shop)).toEqual([
      {
        type: 'warning',
        text: `[TikTok Pixel] TikTok's script did not load (ad blocker or network); events for pixel ${PIXEL_CODE} are dropped.`
      }
    ])
    expect(await recorded(shop.page)).toEqual([
      'track:Order Completed',
      'identify:',
      'track:Product Added',
      'page:',
      'track:Order Completed'
    ])
    expect(shop.pageErrors).toEqual([])
    expect(shop.blockedRequests).toEqual([])
  })
})

describe("TikTok's base code already on the page for the same pixel", () => {
  test.each(MODES)('%s: reused: one script request, one load, one page view, events still arrive', async (mode) => {
    const shop = await h.openShop({
      mode,
      snippetPage: true,
      headHtml: tiktokBaseCode({ pixels: [{ code: PIXEL_CODE, options: { limited_data_use: true } }], page: true })
    })
    await waitForPixel(shop.page, PIXEL_CODE)
    await drain(shop.page, PIXEL_CODE)
    // The site's own page view, and no second one (neither `page` nor the snippet's Pageview).
    // (Identify calls are left out here; the exact on-load calls are asserted in e2e/destination.)
    const onLoad = await shop.calls(PIXEL_CODE)
    expect(onLoad.filter((c) => c.method !== 'identify')).toEqual([pageCall()])

    const event = await analyticsCall(shop.page, 'track', 'Order Completed', order)
    await drain(shop.page, PIXEL_CODE)
    expect((await shop.calls(PIXEL_CODE)).slice(onLoad.length)).toEqual(orderCalls(event))

    const state = await shop.emulator()
    // The site's load, with the site's options, kept: no second ttq.load.
    expect(state?.pixels[PIXEL_CODE]).toMatchObject({ options: { limited_data_use: true }, loads: 1, scriptLoads: 1 })
    expect(state?.log.filter((e) => e.via === 'load')).toEqual([])
    expect(state?.scriptUrls).toEqual([eventsJs(PIXEL_CODE)])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expect(
      await shop.page.evaluate(() => Array.from(document.scripts).filter((s) => s.src.includes('tiktok.com')).length)
    ).toBe(1)
    expectNoLogsOrPageErrors(shop)
  })

  test.each(MODES)('%s: exact calls with the base code on the page (no snippet page view)', async (mode) => {
    const shop = await h.openShop({ mode, headHtml: tiktokBaseCode({ pixels: [PIXEL_CODE], page: true }) })
    await waitForPixel(shop.page, PIXEL_CODE)
    const event = await analyticsCall(shop.page, 'track', 'Order Completed', order)
    await shop.page.evaluate(() => history.pushState({}, '', '/thank-you'))
    const pageView = await analyticsCall(shop.page, 'page')
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual([
      pageCall(),
      ...orderCalls(event),
      identifyCall(externalId(pageView)),
      trackCall('Pageview', undefined, pageView)
    ])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expect((await shop.emulator())?.pixels[PIXEL_CODE]).toMatchObject({ options: {}, loads: 1, scriptLoads: 1 })
  })
})

describe('two destinations with two pixel codes', () => {
  test.each(MODES)('%s: each pixel gets each event exactly once, with its own settings', async (mode) => {
    const shop = await h.openShop({
      mode,
      destinations: [
        { settings: { pixelCode: PIXEL_CODE, ldu: true } },
        { settings: { pixelCode: PIXEL_CODE_2, autoPageView: false } }
      ]
    })
    await waitForPixel(shop.page, PIXEL_CODE)
    await waitForPixel(shop.page, PIXEL_CODE_2)

    const first = await analyticsCall(shop.page, 'track', 'Order Completed', order)
    await shop.page.evaluate(() => history.pushState({}, '', '/account'))
    const pageView = await analyticsCall(shop.page, 'page')
    const search = await analyticsCall(shop.page, 'track', 'Products Searched', { query: 'tote' })
    const shared = (): EmulatorCall[] => [
      ...orderCalls(first),
      identifyCall(externalId(pageView)),
      trackCall('Pageview', undefined, pageView),
      identifyCall(externalId(search)),
      trackCall('Search', { query: 'tote' }, search)
    ]
    await shop.waitForCalls(PIXEL_CODE, 7)
    await shop.waitForCalls(PIXEL_CODE_2, 6)
    await drain(shop.page, PIXEL_CODE, PIXEL_CODE_2)

    expect({ [PIXEL_CODE]: await shop.calls(PIXEL_CODE), [PIXEL_CODE_2]: await shop.calls(PIXEL_CODE_2) }).toEqual({
      [PIXEL_CODE]: [pageCall(), ...shared()],
      [PIXEL_CODE_2]: shared()
    })
    const state = await shop.emulator()
    expect(state?.pixels[PIXEL_CODE]).toMatchObject({
      options: { limited_data_use: true },
      partner: 'Segment',
      loads: 1,
      scriptLoads: 1
    })
    expect(state?.pixels[PIXEL_CODE_2]).toMatchObject({
      options: { limited_data_use: false },
      partner: 'Segment',
      loads: 1,
      scriptLoads: 1
    })
    // Every call went to one pixel's instance: none on the global ttq (which reaches every pixel).
    expect(state?.log.filter((e) => e.via !== 'instance')).toEqual([])
    expect(state?.orphanCalls).toEqual([])
    expect([...shop.tiktokRequests].sort()).toEqual([eventsJs(PIXEL_CODE), eventsJs(PIXEL_CODE_2)].sort())
    expectNoLogsOrPageErrors(shop)
  })
})

describe('invalid pixel code', () => {
  test.each(MODES)(
    "%s: 'abc-123' is refused before any request; the other destination and plugins are unaffected",
    async (mode) => {
      const shop = await h.openShop({
        mode,
        destinations: [{ settings: { pixelCode: 'abc-123' } }, { settings: { pixelCode: PIXEL_CODE } }]
      })
      await registerRecorder(shop.page)
      const event = await analyticsCall(shop.page, 'track', 'Order Completed', order)
      expect(event).toMatchObject({ type: 'track', event: 'Order Completed' })
      await waitForPixel(shop.page, PIXEL_CODE)
      await shop.waitForCalls(PIXEL_CODE, 3)
      await drain(shop.page, PIXEL_CODE)

      expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...orderCalls(event)])
      const state = await shop.emulator()
      expect(Object.keys(state?.pixels ?? {})).toEqual([PIXEL_CODE])
      expect(state?.orphanCalls).toEqual([])
      expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
      expect(shop.requests.filter((url) => url.includes('abc-123'))).toEqual([])
      const errors = destinationLogs(shop).filter((m) => m.type === 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0]!.text).toContain('Pixel Code')
      expect(errors[0]!.text).toContain('"abc-123"')
      expect(destinationLogs(shop).filter((m) => m.type !== 'error')).toEqual([])
      expect(await recorded(shop.page)).toEqual(['track:Order Completed'])
      expect(shop.pageErrors).toEqual([])
    }
  )

  test.each(MODES)("%s: '<script>' alone: nothing injected, no request, analytics.track resolves", async (mode) => {
    const shop = await h.openShop({ mode, settings: { pixelCode: '<script>' } })
    await registerRecorder(shop.page)
    const event = await analyticsCall(shop.page, 'track', 'Order Completed', order)
    expect(event).toMatchObject({ type: 'track', event: 'Order Completed' })
    await analyticsCall(shop.page, 'page')
    await drain(shop.page)

    expect(shop.tiktokRequests).toEqual([])
    expect(await shop.emulator()).toBeNull()
    expect(
      await shop.page.evaluate(() => ({
        ttq: typeof (window as unknown as { ttq?: unknown }).ttq,
        scripts: Array.from(document.scripts).filter((s) => s.src.includes('tiktok.com')).length
      }))
    ).toEqual({ ttq: 'undefined', scripts: 0 })
    const logs = destinationLogs(shop)
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatchObject({ type: 'error' })
    expect(logs[0]!.text).toContain('Pixel Code')
    expect(await recorded(shop.page)).toEqual(['track:Order Completed', 'page:'])
    expect(shop.pageErrors).toEqual([])
  })
})
