/**
 * What keeps the test double and the harness honest, and no more: the events.js emulator drains
 * and records like TikTok's script, no request leaves the machine, and the insecure-context host
 * is one. (Both ways of loading the destination and several pixels are exercised by every other
 * browser test.) They run against the built destination (`npm test` builds first).
 */
import { findChromium } from '../devkit/browser'
import { eventsJs } from './support/expectations'
import { PIXEL_CODE, PIXEL_CODE_2, useHarness } from './support/harness'
import { isLocalUrl } from '../devkit/browser'
import { analyticsCall, drain, emulatorCalls, waitForCalls } from './support/page'
import { tiktokBaseCode } from './support/tiktok-base-code'
import type { Page } from 'playwright-core'

const h = useHarness()

/** Runs `fn(ttq)` in the page. */
async function withTtq(page: Page, fn: string): Promise<unknown> {
  return page.evaluate(`(function (ttq) { ${fn} })(window.ttq)`)
}

async function waitForScriptLoads(page: Page, n: number): Promise<void> {
  await page.waitForFunction((count) => (window.__tiktokEmulator?.scriptLoads ?? 0) >= count, n, { polling: 25 })
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

  test("applies TikTok's consent mode: held calls sent on grant, dropped on revoke, none sent while revoked", async () => {
    const shop = await h.openShop({
      mode: 'none',
      headHtml: tiktokBaseCode({
        pixels: [PIXEL_CODE],
        // Queued before events.js arrives, raw as an older stub without the consent methods would leave them.
        then: `
          var pixel = ttq.instance(${JSON.stringify(PIXEL_CODE)})
          pixel.push(['holdConsent'])
          pixel.page()
          pixel.track('Held')
        `
      })
    })
    await waitForScriptLoads(shop.page, 1)
    const sent = (): Promise<unknown> =>
      withTtq(shop.page, `return window.__tiktokEmulator.sentFor(${JSON.stringify(PIXEL_CODE)})`)
    expect(await sent()).toEqual([])

    await withTtq(
      shop.page,
      `var p = ttq.instance(${JSON.stringify(PIXEL_CODE)}); p.grantConsent(); p.track('Granted')`
    )
    expect(await sent()).toEqual([
      { method: 'page', args: [] },
      { method: 'track', args: ['Held'] },
      { method: 'track', args: ['Granted'] }
    ])
    await withTtq(
      shop.page,
      `var p = ttq.instance(${JSON.stringify(PIXEL_CODE)})
       p.holdConsent(); p.track('Held Again'); p.revokeConsent(); p.track('While Revoked'); p.grantConsent(); p.track('Last')`
    )
    const pixel = (await shop.emulator())?.pixels[PIXEL_CODE]
    expect(pixel?.sent.map((call) => call.args[0] ?? call.method)).toEqual(['page', 'Held', 'Granted', 'Last'])
    expect(pixel?.held).toEqual([])
    expect(pixel?.consent).toBe('granted')
  })

  test('blocked mode aborts events.js like an ad blocker: the script fires error and nothing drains', async () => {
    const shop = await h.openShop({
      mode: 'none',
      tiktokBlocked: true,
      headHtml: tiktokBaseCode({ pixels: [PIXEL_CODE], page: true })
    })
    await shop.page.waitForFunction(() => (window.__shop?.resourceErrors.length ?? 0) > 0)

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
    await drain(shop.page, PIXEL_CODE)

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
    expect(shop.consoleMessages.filter((m) => m.type === 'error').length).toBeGreaterThan(0)
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
    await insecure.page.waitForFunction(() => window.__tiktokEmulator !== undefined)
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
