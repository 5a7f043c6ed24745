/**
 * Tests of the browser test harness itself: the events.js emulator, request containment, the two
 * ways analytics-next gets the destination, and the insecure-context host. They run against the
 * built destination (dist/web/tiktok-pixel.js, metadata.json; `npm test` builds first).
 */
import { findChromium } from './support/browser'
import {
  analyticsCall,
  consoleMessages,
  emulatorCalls,
  isLocalUrl,
  PIXEL_CODE,
  PIXEL_CODE_2,
  presetSubscriptions,
  settle,
  useHarness,
  waitForCalls
} from './support/harness'
import { tiktokBaseCode } from './support/tiktok-base-code'
import type { Page } from 'playwright-core'
import { eventsJs } from './support/expectations'

jest.setTimeout(20_000)

const h = useHarness()

/** Runs `fn(ttq)` in the page. */
async function withTtq(page: Page, fn: string): Promise<unknown> {
  return page.evaluate(`(function (ttq) { ${fn} })(window.ttq)`)
}

async function waitForScriptLoads(page: Page, n: number): Promise<void> {
  await page.waitForFunction((count) => (window.__tiktokEmulator?.scriptLoads ?? 0) >= count, n, {
    timeout: 5000,
    polling: 25
  })
}

describe('events.js emulator', () => {
  test('drains the global and per-pixel stub queues, records per pixel, then records calls directly', async () => {
    const shop = await h.openShop({
      mode: 'none',
      headHtml: tiktokBaseCode({
        pixels: [{ code: PIXEL_CODE, options: { limited_data_use: true } }, PIXEL_CODE_2],
        then: `
          ttq._partner = 'Segment'
          ttq.holdConsent()
          ttq.instance(${JSON.stringify(PIXEL_CODE)}).track('ViewContent', { value: 1, contents: [{ content_id: 'sku-1' }] })
          ttq.instance(${JSON.stringify(PIXEL_CODE_2)}).page()
          ttq.identify({ email: 'a@example.com' })
          ttq.instance('CNEVERLOADED').track('LostBeforeLoad')
        `
      })
    })
    await waitForScriptLoads(shop.page, 2)

    // Both events.js requests (one per ttq.load) went to the emulator.
    expect([...shop.tiktokRequests].sort()).toEqual([eventsJs(PIXEL_CODE), eventsJs(PIXEL_CODE_2)].sort())

    const state = await shop.emulator()
    expect(state?.scriptLoads).toBe(2)
    expect(Object.keys(state?.pixels ?? {}).sort()).toEqual([PIXEL_CODE, PIXEL_CODE_2].sort())
    expect(state?.pixels[PIXEL_CODE]).toMatchObject({
      options: { limited_data_use: true },
      partner: 'Segment',
      loads: 1
    })
    expect(state?.pixels[PIXEL_CODE_2]).toMatchObject({ options: {}, partner: 'Segment', loads: 1 })
    // Global queue first (applies to every loaded pixel), then each pixel's own queue.
    expect(await emulatorCalls(shop.page, PIXEL_CODE)).toEqual([
      { method: 'holdConsent', args: [] },
      { method: 'identify', args: [{ email: 'a@example.com' }] },
      { method: 'track', args: ['ViewContent', { value: 1, contents: [{ content_id: 'sku-1' }] }] }
    ])
    expect(await emulatorCalls(shop.page, PIXEL_CODE_2)).toEqual([
      { method: 'holdConsent', args: [] },
      { method: 'identify', args: [{ email: 'a@example.com' }] },
      { method: 'page', args: [] }
    ])
    // A pixel that was never loaded is not invented (the base code dropped that call).
    expect(state?.orphanCalls).toEqual([])

    // The stubs are gone: calls are recorded synchronously, nothing is queued any more.
    const after = await withTtq(
      shop.page,
      `
      ttq.instance(${JSON.stringify(PIXEL_CODE)}).track('AddToCart', { value: 2 })
      ttq.grantConsent()
      ttq.instance('CNEVERLOADED').track('Lost', { value: 3 })
      const rec = window.__tiktokEmulator
      return {
        globalQueue: ttq.length,
        instanceQueue: ttq._i[${JSON.stringify(PIXEL_CODE)}].length,
        sameInstance: ttq.instance(${JSON.stringify(PIXEL_CODE)}) === ttq._i[${JSON.stringify(PIXEL_CODE)}],
        a: rec.callsFor(${JSON.stringify(PIXEL_CODE)}).slice(3),
        b: rec.callsFor(${JSON.stringify(PIXEL_CODE_2)}).slice(3),
        consent: rec.pixels[${JSON.stringify(PIXEL_CODE_2)}].consent,
        codes: rec.codes().sort(),
        orphans: rec.orphanCalls,
        lastVia: rec.log.slice(-3).map(function (e) { return [e.code, e.method, e.via] })
      }
    `
    )
    expect(after).toEqual({
      globalQueue: 0,
      instanceQueue: 0,
      sameInstance: true,
      a: [
        { method: 'track', args: ['AddToCart', { value: 2 }] },
        { method: 'grantConsent', args: [] }
      ],
      b: [{ method: 'grantConsent', args: [] }],
      consent: 'granted',
      // Calls on a pixel that was never loaded are lost, as with the real SDK; kept aside for debugging.
      codes: [PIXEL_CODE, PIXEL_CODE_2].sort(),
      orphans: [{ code: 'CNEVERLOADED', method: 'track', args: ['Lost', { value: 3 }] }],
      lastVia: [
        [PIXEL_CODE, 'track', 'instance'],
        [PIXEL_CODE, 'grantConsent', 'global'],
        [PIXEL_CODE_2, 'grantConsent', 'global']
      ]
    })
    expect(shop.pageErrors).toEqual([])
  })

  test('is idempotent when events.js loads again (a second pixel, or the same one re-requested)', async () => {
    const shop = await h.openShop({
      mode: 'none',
      headHtml: tiktokBaseCode({ pixels: [PIXEL_CODE], page: true })
    })
    await waitForCalls(shop.page, PIXEL_CODE, 1)

    // A second pixel loaded later: its own events.js arrives, its queue is drained, A keeps its record.
    await withTtq(
      shop.page,
      `ttq.load(${JSON.stringify(PIXEL_CODE_2)}); ttq.instance(${JSON.stringify(PIXEL_CODE_2)}).track('Search', { query: 'socks' })`
    )
    await waitForScriptLoads(shop.page, 2)
    await withTtq(shop.page, `ttq.track('ClickButton')`)

    // The same pixel loaded again: no second request, no reset of its queue or record.
    await withTtq(shop.page, `ttq.load(${JSON.stringify(PIXEL_CODE)})`)

    // The base code pasted again re-stubs ttq; the next events.js must drain that queue (once).
    await withTtq(shop.page, `ttq.page()`)
    await shop.page.addScriptTag({ content: baseCodeOnly() })
    await withTtq(shop.page, `ttq.track('Contact')`)
    await shop.page.addScriptTag({ url: eventsJs(PIXEL_CODE) })
    await waitForScriptLoads(shop.page, 3)

    const state = await shop.emulator()
    expect(state?.scriptLoads).toBe(3)
    expect(state?.scriptUrls).toEqual([eventsJs(PIXEL_CODE), eventsJs(PIXEL_CODE_2), eventsJs(PIXEL_CODE)])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE), eventsJs(PIXEL_CODE_2), eventsJs(PIXEL_CODE)])
    expect(state?.pixels[PIXEL_CODE]).toMatchObject({ loads: 2, scriptLoads: 2 })
    expect(state?.pixels[PIXEL_CODE_2]).toMatchObject({ loads: 1, scriptLoads: 1 })
    expect(await emulatorCalls(shop.page, PIXEL_CODE)).toEqual([
      { method: 'page', args: [] },
      { method: 'track', args: ['ClickButton'] },
      { method: 'page', args: [] },
      { method: 'track', args: ['Contact'] }
    ])
    expect(await emulatorCalls(shop.page, PIXEL_CODE_2)).toEqual([
      { method: 'track', args: ['Search', { query: 'socks' }] },
      { method: 'track', args: ['ClickButton'] },
      { method: 'page', args: [] },
      { method: 'track', args: ['Contact'] }
    ])
    expect(await withTtq(shop.page, 'return ttq.length')).toBe(0)
    expect(shop.pageErrors).toEqual([])
  })

  test('blocked mode aborts events.js like an ad blocker: the script fires error and nothing drains', async () => {
    const shop = await h.openShop({
      mode: 'none',
      tiktokBlocked: true,
      headHtml: tiktokBaseCode({ pixels: [PIXEL_CODE], page: true })
    })
    await shop.page.waitForFunction(() => (window.__shop?.resourceErrors.length ?? 0) > 0, undefined, { timeout: 5000 })

    expect(await shop.resourceErrors()).toEqual([{ tag: 'script', url: eventsJs(PIXEL_CODE) }])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expect(await shop.emulator()).toBeNull()
    // The stub keeps its queue: nobody drained it.
    expect(await withTtq(shop.page, 'return ttq.slice()')).toEqual([['page']])
    expect(shop.consoleMessages.some((m) => m.type === 'error' && m.text.includes('ERR_BLOCKED_BY_CLIENT'))).toBe(true)
  })
})

/** The base-code stub alone (no load), as a site would paste it a second time. */
function baseCodeOnly(): string {
  return tiktokBaseCode().replace(/^<script>|<\/script>$/g, '')
}

describe('containment', () => {
  test('no request leaves the machine: the destination runs end to end and stray requests are caught', async () => {
    const shop = await h.openShop({ snippetPage: true })

    const event = await analyticsCall(shop.page, 'track', 'Order Completed', {
      order_id: 'o-1',
      revenue: 42,
      currency: 'USD',
      products: [{ product_id: 'sku-1', price: 42, quantity: 1 }]
    })
    expect(event).toMatchObject({ type: 'track', event: 'Order Completed' })
    await waitForCalls(shop.page, PIXEL_CODE, 1)
    await settle(shop.page)

    expect(shop.blockedRequests).toEqual([])
    expect(shop.tiktokRequests.length).toBeGreaterThan(0)
    for (const url of shop.tiktokRequests) expect(url).toBe(eventsJs(PIXEL_CODE))
    expect(shop.requests.length).toBeGreaterThanOrEqual(3 + shop.tiktokRequests.length)
    expect(shop.requests.filter((url) => !isLocalUrl(url) && !shop.tiktokRequests.includes(url))).toEqual([])
    const tracked = (await emulatorCalls(shop.page, PIXEL_CODE)).filter((c) => c.method === 'track')
    expect(tracked.map((c) => c.args[0])).toEqual(['CompletePayment'])

    // Positive control: the same page trying to reach Segment or a CDN is stopped and recorded.
    const outcome = await shop.page.evaluate(async () => {
      const img = new Image()
      const imgDone = new Promise<string>((resolve) => {
        img.onload = () => resolve('loaded')
        img.onerror = () => resolve('error')
      })
      img.src = 'https://cdn.segment.com/pixel.gif'
      const fetched = await fetch('https://api.segment.io/v1/t', { method: 'POST', body: '{}' }).then(
        () => 'sent',
        () => 'failed'
      )
      return { fetched, img: await imgDone }
    })
    expect(outcome).toEqual({ fetched: 'failed', img: 'error' })
    expect([...shop.blockedRequests].sort()).toEqual([
      'https://api.segment.io/v1/t',
      'https://cdn.segment.com/pixel.gif'
    ])
    expect(consoleMessages(shop.page).filter((m) => m.type === 'error').length).toBeGreaterThan(0)
  })
})

describe('loading the destination', () => {
  test('remote mode: analytics-next fetches the destination from the local server via remotePlugins', async () => {
    const shop = await h.openShop({ settings: { pixelCode: PIXEL_CODE } })

    expect(shop.destinationUrl.startsWith(h.server.origin + '/')).toBe(true)
    const destinationPath = shop.destinationUrl.slice(h.server.origin.length)
    expect(shop.serverRequests().map((r) => r.url)).toEqual([
      new URL(shop.url).pathname,
      '/build/analytics-next.js',
      destinationPath
    ])
    const loaded = await shop.page.evaluate((lib) => {
      const factory = (window as unknown as Record<string, { pluginName?: string }>)[lib]
      const tag = Array.from(document.querySelectorAll('script')).find((s) => s.src.endsWith('/tiktok-pixel.js'))
      return { type: typeof factory, pluginName: factory?.pluginName, status: tag?.getAttribute('status') }
    }, 'tiktok-pixelDestination')
    // The "status" attribute is set by analytics-next's own script loader.
    expect(loaded).toEqual({ type: 'function', pluginName: 'TikTok Pixel', status: 'loaded' })
    await shop.page.waitForFunction(() => window.__tiktokEmulator !== undefined, undefined, { timeout: 5000 })
    expect((await shop.emulator())?.pixels[PIXEL_CODE]?.code).toBe(PIXEL_CODE)
  })

  test('bundled mode: the page loads the script itself and analytics-next uses the factory without fetching', async () => {
    const shop = await h.openShop({ mode: 'bundled' })
    const destinationPath = shop.destinationUrl.slice(h.server.origin.length)
    expect(shop.serverRequests().filter((r) => r.url === destinationPath)).toHaveLength(1)
    const statuses = await shop.page.evaluate(() =>
      Array.from(document.querySelectorAll('script'))
        .filter((s) => s.src.endsWith('/tiktok-pixel.js'))
        .map((s) => s.getAttribute('status'))
    )
    expect(statuses).toEqual([null])

    await analyticsCall(shop.page, 'track', 'Order Completed', { order_id: 'o-2', revenue: 5, currency: 'EUR' })
    await waitForCalls(shop.page, PIXEL_CODE, 1)
    await settle(shop.page)
    expect(
      (await emulatorCalls(shop.page, PIXEL_CODE)).filter((c) => c.method === 'track').map((c) => c.args[0])
    ).toEqual(['CompletePayment'])
  })

  test('two destinations with two pixel codes share one script and each load their pixel', async () => {
    const shop = await h.openShop({
      destinations: [{ settings: { pixelCode: PIXEL_CODE } }, { settings: { pixelCode: PIXEL_CODE_2 } }]
    })
    expect(shop.config.cdnSettings.remotePlugins).toMatchObject([
      { name: 'TikTok Pixel', creationName: 'TikTok Pixel', url: shop.destinationUrl },
      { name: 'TikTok Pixel 2', creationName: 'TikTok Pixel 2', url: shop.destinationUrl }
    ])
    const destinationPath = shop.destinationUrl.slice(h.server.origin.length)
    // analytics-next's loadScript finds the tag still "loading" and waits for it instead of fetching again.
    expect(shop.serverRequests().filter((r) => r.url === destinationPath)).toHaveLength(1)

    await analyticsCall(shop.page, 'track', 'Order Completed', { order_id: 'o-3', revenue: 7, currency: 'USD' })
    await waitForCalls(shop.page, PIXEL_CODE, 1)
    await waitForCalls(shop.page, PIXEL_CODE_2, 1)
    await settle(shop.page)
    for (const code of [PIXEL_CODE, PIXEL_CODE_2]) {
      expect(shop.tiktokRequests).toContain(eventsJs(code))
      const tracked = (await emulatorCalls(shop.page, code)).filter((c) => c.method === 'track')
      expect(tracked.map((c) => c.args[0])).toEqual(['CompletePayment'])
    }
    expect(shop.blockedRequests).toEqual([])
  })

  test('bundled mode with two pixels: only entries named like pluginName use the bundled factory', async () => {
    const countFetches = (shop: { destinationUrl: string; serverRequests(): Array<{ url: string }> }): number =>
      shop.serverRequests().filter((r) => r.url === shop.destinationUrl.slice(h.server.origin.length)).length
    const scriptStatuses = (page: Page): Promise<Array<string | null>> =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('script'))
          .filter((s) => s.src.endsWith('/tiktok-pixel.js'))
          .map((s) => s.getAttribute('status'))
      )
    const two = [{ settings: { pixelCode: PIXEL_CODE } }, { settings: { pixelCode: PIXEL_CODE_2 } }]

    // Harness default: both entries are named 'TikTok Pixel' (distinct creationNames): no fetch.
    const matched = await h.openShop({ mode: 'bundled', destinations: two })
    expect(matched.config.cdnSettings.remotePlugins).toMatchObject([
      { name: 'TikTok Pixel', creationName: 'TikTok Pixel' },
      { name: 'TikTok Pixel', creationName: 'TikTok Pixel 2' }
    ])
    await waitForCalls(matched.page, PIXEL_CODE, 1)
    await waitForCalls(matched.page, PIXEL_CODE_2, 1)
    expect(countFetches(matched)).toBe(1)
    expect(await scriptStatuses(matched.page)).toEqual([null])

    // Any other name: analytics-next ignores the bundled factory for it and loads `url` with its own
    // loader (the page's plain <script> has no "status" attribute, so it is not recognised).
    const renamed = await h.openShop({
      mode: 'bundled',
      destinations: [two[0]!, { ...two[1]!, name: 'TikTok Pixel 2' }]
    })
    await waitForCalls(renamed.page, PIXEL_CODE_2, 1)
    expect(countFetches(renamed)).toBe(2)
    expect((await scriptStatuses(renamed.page)).sort()).toEqual(['loaded', null])
  })

  test('subscriptions default to the metadata.json presets, all enabled', async () => {
    const presets = presetSubscriptions()
    expect(presets.length).toBeGreaterThan(0)
    const shop = await h.openShop({ mode: 'none' })
    expect(shop.config.cdnSettings.remotePlugins).toEqual([])
    const remote = await h.openShop({ waitForReady: false })
    const [plugin] = remote.config.cdnSettings.remotePlugins as Array<{ settings: { subscriptions: unknown[] } }>
    expect(plugin?.settings.subscriptions).toEqual(presets)
    expect(
      presets.every((p) => p.enabled && typeof p.subscribe === 'string' && typeof p.partnerAction === 'string')
    ).toBe(true)
  })

  test('a missing destination build is a clear error, not a silent pass', async () => {
    await expect(h.openShop({ destinationScript: '/nonexistent/tiktok-pixel.js' })).rejects.toThrow(
      'Destination script not found at /nonexistent/tiktok-pixel.js: run `npm run build` first.'
    )
  })
})

describe('secure and insecure contexts', () => {
  test('http://shop.test is not a secure context (no crypto.subtle); http://127.0.0.1 is', async () => {
    const insecure = await h.openShop({ insecure: true })
    expect(insecure.origin).toBe(h.server.insecureOrigin)
    expect(
      await insecure.page.evaluate(() => ({
        origin: location.origin,
        secure: window.isSecureContext,
        subtle: typeof crypto.subtle
      }))
    ).toEqual({ origin: h.server.insecureOrigin, secure: false, subtle: 'undefined' })
    // Everything was served over the fake host, and the destination still loads its pixel there.
    expect(insecure.serverRequests().every((r) => r.host === `shop.test:${h.server.port}`)).toBe(true)
    expect(insecure.destinationUrl.startsWith('http://shop.test:')).toBe(true)
    await insecure.page.waitForFunction(() => window.__tiktokEmulator !== undefined, undefined, { timeout: 5000 })
    expect(insecure.tiktokRequests).toContain(eventsJs(PIXEL_CODE))
    expect(insecure.blockedRequests).toEqual([])

    const secure = await h.openShop({ mode: 'none' })
    expect(
      await secure.page.evaluate(() => ({ secure: window.isSecureContext, subtle: typeof crypto.subtle }))
    ).toEqual({ secure: true, subtle: 'object' })
  })
})

describe('finding Chromium', () => {
  const nowhere = { PATH: '' }

  test('CHROME_PATH wins, and a wrong CHROME_PATH is an error', () => {
    expect(findChromium({ CHROME_PATH: process.execPath }, [])).toBe(process.execPath)
    expect(() => findChromium({ CHROME_PATH: '/nonexistent/chrome' }, [])).toThrow(
      'CHROME_PATH is set to "/nonexistent/chrome", but that is not an executable file.'
    )
  })

  test('no browser on CI fails the run; locally the error says how to get one', () => {
    expect(() => findChromium({ ...nowhere, CI: 'true' }, [])).toThrow(/no Chromium found on this CI machine/)
    expect(() => findChromium({ ...nowhere }, [])).toThrow(/apt-get install -y chromium.*CHROME_PATH/s)
  })
})
