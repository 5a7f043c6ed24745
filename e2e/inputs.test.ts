/**
 * What the site and the workspace hand the destination, at the edges: settings.subscriptions of the wrong shape,
 * fields that cannot be used, currencies that are no ISO 4217 code, and Limited Data Use on a pixel the site's own
 * base code loaded.
 *
 * End to end in Chromium with the real analytics-next and the built destination (dist/web/tiktok-pixel.js); each
 * test asserts what TikTok's script (the events.js emulator) and the console end up with.
 */
import {
  destinationLogs,
  type Event,
  eventsJs,
  expectNoLogsOrPageErrors,
  externalId,
  HOLD_TIKTOK_SCRIPT,
  identifyCall,
  pageCall,
  searchCalls,
  sha256,
  trackCall,
  waitForPixel
} from './support/expectations'
import { PIXEL_CODE, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { tiktokBaseCode } from './support/tiktok-base-code'

const h = useHarness()

const warningFor = (field: string, expected: string): { type: string; text: string } => ({
  type: 'warning',
  text: `[TikTok Pixel] field ${field} is not ${expected}: it is left out, and the rest of the event is sent.`
})

describe('settings.subscriptions of the wrong shape', () => {
  test('the JSON text of the list: the mappings run as from the list, with no message', async () => {
    const shop = await h.openShop({ subscriptionsSetting: (list) => JSON.stringify(list) })
    await waitForPixel(shop.page, PIXEL_CODE)
    const search = await analyticsCall(shop.page, 'track', 'Products Searched', { query: 'shoes' })
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(search)])
    expectNoLogsOrPageErrors(shop)
  })

  test.each([
    ['an object', (list: unknown[]) => ({ ...list }), 'is an object, not a list of subscriptions'],
    [
      'text that is no JSON list',
      (list: unknown[]) => JSON.stringify(list).slice(1),
      'is text that is not a JSON list'
    ],
    ['a number', () => 15, 'is a number, not a list of subscriptions']
  ])('%s: one console error naming the problem; analytics.js carries on', async (_, setting, problem) => {
    const shop = await h.openShop({ subscriptionsSetting: setting })
    const search = await analyticsCall(shop.page, 'track', 'Products Searched', { query: 'shoes' })
    expect(search).toMatchObject({ event: 'Products Searched' })
    const logs = destinationLogs(shop)
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatchObject({ type: 'error' })
    expect(logs[0]!.text).toContain(`[TikTok Pixel] settings.subscriptions ${problem}`)
    expect(shop.pageErrors).toEqual([])
  })

  test.each([
    ['before the valid ones', (list: unknown[]) => [null, 'Search', 42, { partnerAction: 'reportWebEvent' }, ...list]],
    ['after them', (list: unknown[]) => [...list, { name: 'No trigger', partnerAction: 'identify', enabled: true }]],
    ['in JSON text', (list: unknown[]) => JSON.stringify([['not one'], ...list])]
  ])('entries that are no subscriptions, %s: one console error, the valid ones run', async (_, setting) => {
    const shop = await h.openShop({ subscriptionsSetting: setting })
    await waitForPixel(shop.page, PIXEL_CODE)
    const search = await analyticsCall(shop.page, 'track', 'Products Searched', { query: 'shoes' })
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(search)])
    const logs = destinationLogs(shop)
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatchObject({ type: 'error' })
    expect(logs[0]!.text).toMatch(
      /^\[TikTok Pixel\] \d+ of the \d+ entries of settings\.subscriptions are not subscriptions/
    )
    expect(shop.pageErrors).toEqual([])
  })
})

describe('fields that cannot be used', () => {
  test('left out of an event that is sent, one warning per field and kind, naming the field and never the value', async () => {
    const shop = await h.openShop()
    await waitForPixel(shop.page, PIXEL_CODE)
    const malformed = {
      order_id: 'order-7',
      value: {},
      currency: 'XYZ',
      products: 'sku-oops',
      phone: 4155550101,
      email: 'jane.doe@example.com'
    }
    // The same kinds of problem twice (a value that is no number: an object, then NaN): warned once each.
    const orders: Event[] = []
    for (const value of [{}, NaN]) {
      orders.push(await analyticsCall(shop.page, 'track', 'Order Completed', { ...malformed, value }))
    }
    const search = await analyticsCall(shop.page, 'track', 'Products Searched', { query: { text: 'shoes' } })
    await drain(shop.page, PIXEL_CODE)

    expect(await shop.calls(PIXEL_CODE)).toEqual([
      pageCall(),
      ...orders.flatMap((order) => [
        identifyCall({ sha256_email: sha256('jane.doe@example.com'), ...externalId(order) }),
        trackCall('CompletePayment', { order_id: 'order-7' }, order)
      ]),
      identifyCall(externalId(search)),
      trackCall('Search', undefined, search)
    ])
    expect(destinationLogs(shop)).toEqual([
      warningFor(
        'phone_number',
        'in E.164 (+ and the country code) and address.country names no country whose numbers it fits'
      ),
      warningFor('contents[]', 'an object'),
      warningFor('value', 'a number'),
      warningFor('currency', 'an ISO 4217 currency code (such as USD)'),
      warningFor('query', 'text or a number')
    ])
    for (const log of destinationLogs(shop)) expect(log.text).not.toMatch(/4155550101|XYZ|sku-oops|shoes|jane/)
    expect(shop.pageErrors).toEqual([])
  })

  test.each(['ABC', 'XYZ', 'QQQ'])(
    'currency %s, three letters but no ISO 4217 code, is left out with a warning',
    async (code) => {
      const shop = await h.openShop()
      await waitForPixel(shop.page, PIXEL_CODE)
      const order = await analyticsCall(shop.page, 'track', 'Order Completed', { value: 12, currency: code })
      const euros = await analyticsCall(shop.page, 'track', 'Order Completed', { value: 12, currency: 'eur' })
      await drain(shop.page, PIXEL_CODE)
      const tracks = (await shop.calls(PIXEL_CODE)).filter((call) => call.args[0] === 'CompletePayment')
      expect(tracks).toEqual([
        trackCall('CompletePayment', { value: 12 }, order),
        trackCall('CompletePayment', { value: 12, currency: 'EUR' }, euros)
      ])
      expect(destinationLogs(shop)).toEqual([warningFor('currency', 'an ISO 4217 currency code (such as USD)')])
    }
  )
})

describe("Limited Data Use with the site's own base code", () => {
  test("set in the pixel's load options while TikTok's script has not run: TikTok's script reads it", async () => {
    const shop = await h.openShop({
      settings: { ldu: true },
      initScript: HOLD_TIKTOK_SCRIPT,
      headHtml: tiktokBaseCode({ pixels: [{ code: PIXEL_CODE, options: { partner: 'Site' } }], page: true })
    })
    const search = await analyticsCall(shop.page, 'track', 'Products Searched', { query: 'ldu' })
    expect(await shop.page.evaluate(() => (window as any).__heldTikTokScripts())).toBe(1)
    await shop.page.evaluate(() => (window as any).__releaseTikTok())
    await waitForPixel(shop.page, PIXEL_CODE)
    await drain(shop.page, PIXEL_CODE)

    const state = await shop.emulator()
    expect(state?.pixels[PIXEL_CODE]).toMatchObject({
      loads: 1,
      options: { partner: 'Site', limited_data_use: true }
    })
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(search)])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expectNoLogsOrPageErrors(shop)
  })

  test("TikTok's script already ran: not applied, one warning saying how to set it; events still sent", async () => {
    const shop = await h.openShop({
      settings: { ldu: true },
      // Parser-blocking: events.js (the emulator) has run before analytics.js starts.
      headHtml: tiktokBaseCode({ pixels: [PIXEL_CODE], page: true }) + `<script src="${eventsJs(PIXEL_CODE)}"></script>`
    })
    await waitForPixel(shop.page, PIXEL_CODE)
    const search = await analyticsCall(shop.page, 'track', 'Products Searched', { query: 'ldu' })
    await drain(shop.page, PIXEL_CODE)

    const state = await shop.emulator()
    expect(state?.pixels[PIXEL_CODE]?.options).toEqual({})
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(search)])
    const logs = destinationLogs(shop)
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatchObject({ type: 'warning' })
    expect(logs[0]!.text).toContain(`Limited Data Use is not applied to pixel ${PIXEL_CODE}`)
    expect(logs[0]!.text).toContain('limited_data_use: true')
    expect(shop.pageErrors).toEqual([])
  })

  test('without Limited Data Use the site pixel keeps its options', async () => {
    const shop = await h.openShop({
      initScript: HOLD_TIKTOK_SCRIPT,
      headHtml: tiktokBaseCode({ pixels: [PIXEL_CODE] })
    })
    await shop.page.evaluate(() => (window as any).__releaseTikTok())
    await waitForPixel(shop.page, PIXEL_CODE)
    expect((await shop.emulator())?.pixels[PIXEL_CODE]?.options).toEqual({})
    expectNoLogsOrPageErrors(shop)
  })
})
