/**
 * Whatever the page holds in `window.ttq` before the destination starts: nothing, TikTok's own
 * stub or script (for this pixel or another), or something else entirely.
 *
 * End to end in Chromium with the real analytics-next and the built destination
 * (dist/web/tiktok-pixel.js); each test asserts exactly what TikTok's script (the events.js
 * emulator), the page and analytics.js end up with.
 */

import {
  destinationLogs,
  type Event,
  eventsJs,
  expectNoLogsOrPageErrors,
  HOLD_TIKTOK_SCRIPT,
  pageCall,
  recorded,
  registerRecorder,
  searchCalls,
  tiktokScriptsInDom,
  waitForPixel
} from './support/expectations'
import { PIXEL_CODE, PIXEL_CODE_2, type Shop, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { tiktokBaseCode } from './support/tiktok-base-code'

const h = useHarness()

describe('whatever window.ttq holds at start, initialize neither hangs nor throws', () => {
  /** Opens the shop (analytics.js must load without an error), then requires a track to resolve. */
  async function openAndUse(options: Parameters<typeof h.openShop>[0]): Promise<{ shop: Shop; event: Event }> {
    const shop = await h.openShop(options)
    const event = await analyticsCall(shop.page, 'track', 'Products Searched', { query: 'hostile' })
    expect(event).toMatchObject({ type: 'track', event: 'Products Searched' })
    return { shop, event }
  }

  test('nothing: the base code is installed and the pixel loaded', async () => {
    const { shop, event } = await openAndUse({})
    await shop.waitForCalls(PIXEL_CODE, 3)
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(event)])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expectNoLogsOrPageErrors(shop)
  })

  test("TikTok's stub (base code, no pixel loaded): reused, not replaced", async () => {
    const { shop, event } = await openAndUse({
      headHtml: tiktokBaseCode({ then: "ttq.siteMark = 'site stub'" })
    })
    await shop.waitForCalls(PIXEL_CODE, 3)
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(event)])
    expect(await shop.page.evaluate(() => (window as any).ttq.siteMark)).toBe('site stub')
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expectNoLogsOrPageErrors(shop)
  })

  test("TikTok's script already loaded for another pixel: reused, that pixel gets nothing from us", async () => {
    const { shop, event } = await openAndUse({
      // Parser-blocking: events.js (the emulator) has run before analytics.js starts.
      headHtml: tiktokBaseCode() + `<script src="${eventsJs(PIXEL_CODE_2)}"></script>`
    })
    await shop.waitForCalls(PIXEL_CODE, 3)
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(event)])
    expect(await shop.calls(PIXEL_CODE_2)).toEqual([])
    const state = await shop.emulator()
    expect(state?.pixels[PIXEL_CODE]).toMatchObject({ loads: 1, scriptLoads: 1, options: { limited_data_use: false } })
    expect(state?.pixels[PIXEL_CODE_2]).toMatchObject({ loads: 1, scriptLoads: 1 })
    expect(state?.orphanCalls).toEqual([])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE_2), eventsJs(PIXEL_CODE)])
    expectNoLogsOrPageErrors(shop)
  })

  /** [label, script setting window.ttq, typeof window.ttq afterwards, whether the error names window.ttq] */
  const unrelated: Array<[string, string, string, boolean]> = [
    ['42', 'window.ttq = 42', 'number', true],
    ['{}', 'window.ttq = {}', 'object', true],
    ["'x'", "window.ttq = 'x'", 'string', true],
    ['null', 'window.ttq = null', 'object', true],
    ['a function', 'window.ttq = function ttq() { return 1 }', 'function', true],
    [
      'an object whose getters throw',
      `window.ttq = {
        get load() { throw new Error('getter load') },
        get instance() { throw new Error('getter instance') },
        get _i() { throw new Error('getter _i') },
        get push() { throw new Error('getter push') }
      }`,
      'object',
      false
    ],
    [
      'a proxy that throws on every access',
      `window.ttq = new Proxy({}, {
        get: function () { throw new Error('proxy get') },
        has: function () { throw new Error('proxy has') },
        set: function () { throw new Error('proxy set') },
        defineProperty: function () { throw new Error('proxy defineProperty') },
        getPrototypeOf: function () { throw new Error('proxy getPrototypeOf') },
        ownKeys: function () { throw new Error('proxy ownKeys') }
      })`,
      'object',
      false
    ],
    [
      'a window.ttq accessor that throws',
      `Object.defineProperty(window, 'ttq', { configurable: true, get: function () { throw new Error('ttq getter') } })`,
      'throws',
      false
    ]
  ]

  /** Records what window.ttq is, and its own keys, right after the page's script set it. */
  const remember = `
    try { window.__ttqBefore = { value: window.ttq, keys: Object.getOwnPropertyNames(Object(window.ttq)) } }
    catch (e) { window.__ttqBefore = null }
  `

  test.each(unrelated)(
    '%s: left alone, one console error, nothing sent, analytics.js carries on',
    async (label, js, type, namesTtq) => {
      const { shop } = await openAndUse({ initScript: `${js}\n${remember}` })
      await registerRecorder(shop.page)
      await analyticsCall(shop.page, 'page')
      await drain(shop.page)

      const logs = destinationLogs(shop)
      expect(logs).toHaveLength(1)
      expect(logs[0]!.type).toBe('error')
      if (namesTtq) expect(logs[0]!.text).toContain('window.ttq')
      expect(await recorded(shop.page)).toEqual(['page:'])
      const after = await shop.page.evaluate(() => {
        const w = window as any
        let type: string
        try {
          type = typeof w.ttq
        } catch {
          return { type: 'throws' }
        }
        const before = w.__ttqBefore
        if (!before) return { type, uninspectable: true }
        return {
          type,
          same: Object.is(w.ttq, before.value),
          keys: JSON.stringify(Object.getOwnPropertyNames(Object(w.ttq))) === JSON.stringify(before.keys)
        }
      })
      expect(after).toEqual(
        type === 'throws'
          ? { type }
          : label.includes('proxy')
            ? { type, uninspectable: true }
            : { type, same: true, keys: true }
      )
      if (type !== 'throws') {
        expect(await shop.page.evaluate(() => (window as any).TiktokAnalyticsObject)).toBeUndefined()
      }
      expect(shop.tiktokRequests).toEqual([])
      expect(await tiktokScriptsInDom(shop.page)).toBe(0)
      expect(shop.pageErrors).toEqual([])
      expect(await shop.page.evaluate(() => window.__shop?.rejections)).toEqual([])
    }
  )
})

// ------------------------------------------------------------------------------------------------

describe("TikTok's base code already on the page for the same pixel", () => {
  test('not loaded again: one script request, one load, one page view', async () => {
    const shop = await h.openShop({
      snippetPage: true,
      headHtml: tiktokBaseCode({ pixels: [PIXEL_CODE], page: true })
    })
    await waitForPixel(shop.page, PIXEL_CODE)
    const event = await analyticsCall(shop.page, 'track', 'Products Searched', { query: 'reuse' })
    await drain(shop.page, PIXEL_CODE)

    // The site's page view only: neither a second `page` nor the snippet page's Pageview.
    const calls = await shop.calls(PIXEL_CODE)
    expect(calls.filter((c) => c.method !== 'identify')).toEqual([pageCall(), searchCalls(event)[1]])
    expect(calls.slice(-2)).toEqual(searchCalls(event))
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expect(await tiktokScriptsInDom(shop.page)).toBe(1)
    const state = await shop.emulator()
    expect(state?.pixels[PIXEL_CODE]).toMatchObject({ loads: 1, scriptLoads: 1 })
    expect(state?.log.filter((e) => e.via === 'load')).toEqual([])
    expect(shop.pageErrors).toEqual([])
  })

  test("while the site's script is still in flight: its queued page view is kept, no second script", async () => {
    const shop = await h.openShop({
      initScript: HOLD_TIKTOK_SCRIPT,
      headHtml: tiktokBaseCode({ pixels: [PIXEL_CODE], page: true })
    })
    const event = await analyticsCall(shop.page, 'track', 'Products Searched', { query: 'in-flight' })
    // Only the site's own script was ever inserted.
    expect(await shop.page.evaluate(() => (window as any).__heldTikTokScripts())).toBe(1)

    await shop.page.evaluate(() => (window as any).__releaseTikTok())
    await shop.waitForCalls(PIXEL_CODE, 3)
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(event)])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expect((await shop.emulator())?.pixels[PIXEL_CODE]).toMatchObject({ loads: 1, scriptLoads: 1 })
    expect(shop.pageErrors).toEqual([])
  })
})
