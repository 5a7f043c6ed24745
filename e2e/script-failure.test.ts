/**
 * TikTok's script fails to load (an ad blocker, the network): noticed once, nothing piles up,
 * analytics.js carries on.
 *
 * End to end in Chromium with the real analytics-next and the built destination
 * (dist/web/tiktok-pixel.js); each test asserts exactly what TikTok's script (the events.js
 * emulator), the page and analytics.js end up with.
 */

import {
  destinationLogs,
  eventsJs,
  HOLD_TIKTOK_SCRIPT,
  recorded,
  registerRecorder,
  waitForConsole
} from './support/expectations'
import { PIXEL_CODE, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { tiktokBaseCode } from './support/tiktok-base-code'

const h = useHarness()

describe("TikTok's script fails to load", () => {
  test('detected once; 200 events queue nothing, all resolve, and another plugin gets them all', async () => {
    const shop = await h.openShop({ tiktokBlocked: true })
    await registerRecorder(shop.page)
    await waitForConsole(shop, (m) => m.type === 'warning' && m.text.includes('[TikTok Pixel]'))

    // Each track resolves: none waits for TikTok's script, which will never come.
    await shop.page.evaluate(async () => {
      const analytics = (window as any).analytics
      for (let i = 0; i < 200; i++) {
        await analytics.track('Order Completed', {
          order_id: `o${i}`,
          revenue: i,
          email: `shopper${i}@example.com`,
          phone: `+1415555${String(i).padStart(4, '0')}`
        })
      }
    })
    await drain(shop.page)

    const queues = await shop.page.evaluate((code) => {
      const ttq = (window as any).ttq
      return { global: ttq.length, pixel: ttq._i[code].length, codes: Object.keys(ttq._i) }
    }, PIXEL_CODE)
    expect(queues).toEqual({ global: 0, pixel: 0, codes: [PIXEL_CODE] })
    expect(await shop.resourceErrors()).toEqual([{ tag: 'script', url: eventsJs(PIXEL_CODE) }])
    expect(await shop.emulator()).toBeNull()
    expect(shop.consoleMessages.filter((m) => m.type === 'warning')).toEqual([
      {
        type: 'warning',
        text: `[TikTok Pixel] TikTok's script did not load (ad blocker or network); events for pixel ${PIXEL_CODE} are dropped.`
      }
    ])
    const seen = await recorded(shop.page)
    expect(seen).toHaveLength(200)
    expect(new Set(seen)).toEqual(new Set(['track:Order Completed']))
    expect(shop.pageErrors).toEqual([])
  })

  test("the site's own base code loaded the pixel: the failure is still noticed, nothing piles up", async () => {
    const shop = await h.openShop({
      tiktokBlocked: true,
      headHtml: tiktokBaseCode({ pixels: [PIXEL_CODE], page: true })
    })
    await shop.page.waitForFunction(() => (window.__shop?.resourceErrors.length ?? 0) > 0)
    for (let i = 0; i < 20; i++) {
      await analyticsCall(shop.page, 'track', 'Order Completed', { order_id: `o${i}`, email: `buyer${i}@example.com` })
    }
    await drain(shop.page)

    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    // This pixel's queue (the site's own global `ttq.page()` is not the destination's to remove).
    expect(await shop.page.evaluate((code) => (window as any).ttq._i[code].length, PIXEL_CODE)).toBe(0)
    expect(destinationLogs(shop)).toEqual([
      {
        type: 'warning',
        text: `[TikTok Pixel] TikTok's script did not load (ad blocker or network); events for pixel ${PIXEL_CODE} are dropped.`
      }
    ])
    expect(shop.pageErrors).toEqual([])
  })

  test('calls queued before the failure is noticed are removed from the queue', async () => {
    // The script is held while events queue up, then let through to fail.
    const shop = await h.openShop({ tiktokBlocked: true, initScript: HOLD_TIKTOK_SCRIPT })
    for (let i = 0; i < 3; i++) await analyticsCall(shop.page, 'track', 'Products Searched', { query: `q${i}` })
    expect(await shop.page.evaluate((code) => (window as any).ttq._i[code].length, PIXEL_CODE)).toBe(7)

    await shop.page.evaluate(() => (window as any).__releaseTikTok())
    await waitForConsole(shop, (m) => m.type === 'warning' && m.text.includes('[TikTok Pixel]'))
    for (let i = 3; i < 6; i++) await analyticsCall(shop.page, 'track', 'Products Searched', { query: `q${i}` })
    expect(await shop.page.evaluate((code) => (window as any).ttq._i[code].length, PIXEL_CODE)).toBe(0)
    expect(destinationLogs(shop).map((m) => m.type)).toEqual(['warning'])
    expect(shop.pageErrors).toEqual([])
  })
})
