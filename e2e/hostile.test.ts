/**
 * Issue "Reliability on hostile pages", end to end in Chromium with the real analytics-next and the
 * built destination (dist/web/tiktok-pixel.js). Each test sets up one hostile condition and asserts
 * exactly what TikTok's script (the events.js emulator), the page and analytics.js end up with.
 *
 * Run: `npm run build && npx jest --selectProjects browser -- e2e/hostile`.
 */
import { isDeepStrictEqual } from 'node:util'
import type { Page } from 'playwright-core'
import type { EmulatorCall } from '../devkit/emulator'
import {
  destinationLogs,
  type Event,
  eventsJs,
  externalId,
  HOLD_TIKTOK_SCRIPT,
  identifyCall,
  pageCall,
  recorded,
  registerRecorder,
  sha256,
  trackCall,
  waitForConsole,
  waitForPixel
} from './support/expectations'
import { PIXEL_CODE, PIXEL_CODE_2, type Shop, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { presetSubscriptions, type Subscription } from './support/subscriptions'
import { tiktokBaseCode } from './support/tiktok-base-code'

const h = useHarness()

// ------------------------------------------------------------------------------------------------
// Helpers

/** What pixel gets for `analytics.track('Products Searched', { query })`. */
const searchCalls = (event: Event): EmulatorCall[] => [
  identifyCall(externalId(event)),
  trackCall('Search', { query: (event.properties as { query: string }).query }, event)
]

/** Rejects when `promise` takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const tiktokScriptsInDom = (page: Page): Promise<number> =>
  page.evaluate(() => document.querySelectorAll('script[src*="analytics.tiktok.com"]').length)

// ------------------------------------------------------------------------------------------------

describe("TikTok's script fails to load", () => {
  test('detected once; 200 events queue nothing, resolve quickly, and another plugin gets them all', async () => {
    const shop = await h.openShop({ tiktokBlocked: true })
    await registerRecorder(shop.page)
    await waitForConsole(shop, (m) => m.type === 'warning' && m.text.includes('[TikTok Pixel]'))

    const timing = await shop.page.evaluate(async () => {
      const analytics = (window as any).analytics
      const started = performance.now()
      let slowest = 0
      for (let i = 0; i < 200; i++) {
        const t = performance.now()
        await analytics.track('Order Completed', {
          order_id: `o${i}`,
          revenue: i,
          email: `shopper${i}@example.com`,
          phone: `+1415555${String(i).padStart(4, '0')}`
        })
        slowest = Math.max(slowest, performance.now() - t)
      }
      return { total: performance.now() - started, slowest }
    })
    await drain(shop.page)

    // Generous bounds: a track that waited for TikTok's script (or a timeout) would take far longer.
    expect(timing.total).toBeLessThan(5000)
    expect(timing.slowest).toBeLessThan(500)
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
    await shop.page.waitForFunction(() => (window.__shop?.resourceErrors.length ?? 0) > 0, undefined, {
      timeout: 5000
    })
    for (let i = 0; i < 20; i++) {
      await within(
        analyticsCall(shop.page, 'track', 'Order Completed', { order_id: `o${i}`, email: `buyer${i}@example.com` }),
        2000,
        'analytics.track'
      )
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

// ------------------------------------------------------------------------------------------------

describe('whatever window.ttq holds at start, initialize neither hangs nor throws', () => {
  /** Opens the shop, then requires analytics to be ready and a track to resolve within bounds. */
  async function openAndUse(options: Parameters<typeof h.openShop>[0]): Promise<{ shop: Shop; event: Event }> {
    const shop = await h.openShop({ ...options, waitForReady: false })
    await shop.page.waitForFunction(
      () => window.__shop?.ready === true || window.__shop?.loadError != null,
      undefined,
      {
        timeout: 3000,
        polling: 25
      }
    )
    expect(await shop.page.evaluate(() => window.__shop?.loadError ?? null)).toBeNull()
    const event = await within(
      analyticsCall(shop.page, 'track', 'Products Searched', { query: 'hostile' }),
      2000,
      'analytics.track'
    )
    expect(event).toMatchObject({ type: 'track', event: 'Products Searched' })
    return { shop, event }
  }

  test('nothing: the base code is installed and the pixel loaded', async () => {
    const { shop, event } = await openAndUse({})
    await shop.waitForCalls(PIXEL_CODE, 3)
    await drain(shop.page)
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(event)])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expect(destinationLogs(shop)).toEqual([])
    expect(shop.pageErrors).toEqual([])
  })

  test("TikTok's stub (base code, no pixel loaded): reused, not replaced", async () => {
    const { shop, event } = await openAndUse({
      headHtml: tiktokBaseCode({ then: "ttq.siteMark = 'site stub'" })
    })
    await shop.waitForCalls(PIXEL_CODE, 3)
    await drain(shop.page)
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(event)])
    expect(await shop.page.evaluate(() => (window as any).ttq.siteMark)).toBe('site stub')
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expect(destinationLogs(shop)).toEqual([])
    expect(shop.pageErrors).toEqual([])
  })

  test("TikTok's script already loaded for another pixel: reused, that pixel gets nothing from us", async () => {
    const { shop, event } = await openAndUse({
      // Parser-blocking: events.js (the emulator) has run before analytics.js starts.
      headHtml: tiktokBaseCode() + `<script src="${eventsJs(PIXEL_CODE_2)}"></script>`
    })
    await shop.waitForCalls(PIXEL_CODE, 3)
    await drain(shop.page)
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(event)])
    expect(await shop.calls(PIXEL_CODE_2)).toEqual([])
    const state = await shop.emulator()
    expect(state?.pixels[PIXEL_CODE]).toMatchObject({ loads: 1, scriptLoads: 1, options: { limited_data_use: false } })
    expect(state?.pixels[PIXEL_CODE_2]).toMatchObject({ loads: 1, scriptLoads: 1 })
    expect(state?.orphanCalls).toEqual([])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE_2), eventsJs(PIXEL_CODE)])
    expect(destinationLogs(shop)).toEqual([])
    expect(shop.pageErrors).toEqual([])
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
      await within(analyticsCall(shop.page, 'page'), 2000, 'analytics.page')
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
    await drain(shop.page)

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
    await drain(shop.page)
    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...searchCalls(event)])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expect((await shop.emulator())?.pixels[PIXEL_CODE]).toMatchObject({ loads: 1, scriptLoads: 1 })
    expect(shop.pageErrors).toEqual([])
  })
})

// ------------------------------------------------------------------------------------------------

describe('two destination instances with different pixel codes', () => {
  test.each(['remote', 'bundled'] as const)('%s: each pixel gets each of 25 events exactly once', async (mode) => {
    const shop = await h.openShop({
      mode,
      destinations: [{ settings: { pixelCode: PIXEL_CODE } }, { settings: { pixelCode: PIXEL_CODE_2 } }]
    })
    const events = await shop.page.evaluate(async () => {
      const analytics = (window as any).analytics
      const out: unknown[] = []
      for (let i = 0; i < 25; i++) {
        const ctx = await analytics.track('Products Searched', { query: `q${i}` })
        out.push(JSON.parse(JSON.stringify(ctx.event)))
      }
      return out as Event[]
    })
    const expected = [pageCall(), ...events.flatMap(searchCalls)]
    await shop.waitForCalls(PIXEL_CODE, expected.length)
    await shop.waitForCalls(PIXEL_CODE_2, expected.length)
    await drain(shop.page)

    expect(await shop.calls(PIXEL_CODE)).toEqual(expected)
    expect(await shop.calls(PIXEL_CODE_2)).toEqual(expected)
    const state = await shop.emulator()
    expect(state?.log.filter((e) => e.via !== 'instance')).toEqual([])
    expect(state?.orphanCalls).toEqual([])
    expect(shop.pageErrors).toEqual([])
  })
})

// ------------------------------------------------------------------------------------------------

describe("one subscription's failure does not stop the others", () => {
  const searchPreset = (): Subscription => presetSubscriptions().find((s) => s.name === 'Search')!

  test('two failing mappings before a working one on the same trigger: the working one sends every event', async () => {
    const good = searchPreset()
    const subscriptions: Subscription[] = [
      {
        name: 'Missing Event Name',
        subscribe: good.subscribe,
        partnerAction: 'reportWebEvent',
        enabled: true,
        mapping: { ...good.mapping, event: { '@path': '$.properties.no_such_field' } }
      },
      {
        name: 'Invalid Directive',
        subscribe: good.subscribe,
        partnerAction: 'reportWebEvent',
        enabled: true,
        mapping: { ...good.mapping, event: { '@replace': 'bad' } }
      },
      good
    ]
    const shop = await h.openShop({ subscriptions })
    await waitForPixel(shop.page, PIXEL_CODE)
    const events: Event[] = []
    for (let i = 0; i < 3; i++) {
      events.push(
        await within(
          analyticsCall(shop.page, 'track', 'Products Searched', { query: `q${i}` }),
          2000,
          'analytics.track'
        )
      )
    }
    await drain(shop.page)

    expect(await shop.calls(PIXEL_CODE)).toEqual([pageCall(), ...events.flatMap(searchCalls)])
    // One warning per kind of failure, not one per event.
    const logs = destinationLogs(shop)
    expect(logs.map((m) => m.type)).toEqual(['warning', 'warning'])
    expect(logs[0]!.text).toContain('"Missing Event Name"')
    expect(logs[1]!.text).toContain('"Invalid Directive"')
    expect(shop.pageErrors).toEqual([])
  })
})

// ------------------------------------------------------------------------------------------------

describe('invalid pixel code', () => {
  const invalid = [
    'CE2E-TEST-PIXEL',
    'CE2E TEST PIXEL',
    '../../evil.js?',
    '"><img src=x onerror=alert(1)>',
    'C0DE\u0000',
    'ÇØDÉ',
    ''
  ]

  test('rejected before any request, a clear console error each, nothing injected', async () => {
    const shop = await h.openShop({ destinations: invalid.map((pixelCode) => ({ settings: { pixelCode } })) })
    await registerRecorder(shop.page)
    await within(analyticsCall(shop.page, 'track', 'Products Searched', { query: 'x' }), 2000, 'analytics.track')
    await drain(shop.page)

    expect(shop.tiktokRequests).toEqual([])
    expect(shop.requests.filter((url) => /tiktok\.com/i.test(url))).toEqual([])
    expect(await tiktokScriptsInDom(shop.page)).toBe(0)
    expect(await shop.page.evaluate(() => typeof (window as any).ttq)).toBe('undefined')
    expect(await shop.emulator()).toBeNull()
    const logs = destinationLogs(shop)
    expect(logs).toHaveLength(invalid.length)
    for (const [i, log] of logs.entries()) {
      expect(log.type).toBe('error')
      expect(log.text).toContain('Pixel Code')
      expect(log.text).toContain(JSON.stringify(invalid[i]))
    }
    expect(await recorded(shop.page)).toEqual(['track:Products Searched'])
    expect(shop.pageErrors).toEqual([])
  })
})

// ------------------------------------------------------------------------------------------------

describe('a burst of events', () => {
  /**
   * A second mapping on the same trigger without the customer data: its calls are ready at once
   * while the first mapping's wait for a digest, so only the destination's own ordering keeps
   * them behind (analytics-next hands the destination one event at a time).
   */
  const mirror = (): Subscription => {
    const placeAnOrder = presetSubscriptions().find((s) => s.name === 'Place an Order')!
    const mapping = { ...placeAnOrder.mapping }
    delete mapping.email
    delete mapping.phone_number
    return { ...placeAnOrder, name: 'Place an Order (no PII)', subscribe: 'event = "Order Completed"', mapping }
  }

  test('2000 tracks fired at once, a third with PII: each delivered once, in order, distinct event IDs', async () => {
    const N = 2000
    const shop = await h.openShop({ subscriptions: [...presetSubscriptions(), mirror()] })
    await waitForPixel(shop.page, PIXEL_CODE)

    const ids = await shop.page.evaluate(async (n) => {
      const analytics = (window as any).analytics
      const contexts = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          analytics.track(
            'Order Completed',
            i % 3 === 0
              ? { order_id: `o${i}`, revenue: i, email: ` Buyer${i}@Example.com `, phone: `+1 415 555 ${1000 + i}` }
              : { order_id: `o${i}`, revenue: i }
          )
        )
      )
      return contexts.map((ctx: any) => ({ messageId: ctx.event.messageId, anonymousId: ctx.event.anonymousId }))
    }, N)
    const calls = await shop.waitForCalls(PIXEL_CODE, 1 + 4 * N, 30_000)
    await drain(shop.page)

    expect(await shop.calls(PIXEL_CODE)).toHaveLength(1 + 4 * N)
    expect(calls[0]).toEqual(pageCall())
    const payments = calls.filter((c) => c.method === 'track' && c.args[0] === 'CompletePayment')
    expect(payments.map((c) => (c.args[1] as { order_id: string }).order_id)).toEqual(
      Array.from({ length: N }, (_, i) => `o${i}`)
    )
    const eventIds = payments.map((c) => (c.args[2] as { event_id: string }).event_id)
    expect(new Set(eventIds).size).toBe(N)
    expect(eventIds).toEqual(ids.map((e) => e.messageId))

    // Per event, in this order: the first mapping's identify (own hashed data) and track, then the second's.
    const anonymous = { external_id: sha256(ids[0]!.anonymousId) }
    const mismatches: string[] = []
    for (let i = 0; i < N; i++) {
      const user =
        i % 3 === 0
          ? {
              sha256_email: sha256(`buyer${i}@example.com`),
              sha256_phone_number: sha256(`+1415555${1000 + i}`),
              ...anonymous
            }
          : anonymous
      const properties = { value: i, currency: 'USD', order_id: `o${i}` }
      const options = { event_id: ids[i]!.messageId }
      const expected = [
        identifyCall(user),
        { method: 'track', args: ['CompletePayment', properties, options] },
        identifyCall(anonymous),
        { method: 'track', args: ['PlaceAnOrder', properties, options] }
      ]
      const actual = calls.slice(1 + 4 * i, 5 + 4 * i)
      if (!isDeepStrictEqual(actual, expected)) mismatches.push(`#${i}: ${JSON.stringify(actual)}`)
    }
    expect(mismatches.slice(0, 3)).toEqual([])
    expect(mismatches).toHaveLength(0)
    expect(shop.pageErrors).toEqual([])
  }, 45_000)
})

// ------------------------------------------------------------------------------------------------

const USER_KEYS = new Set([
  'email',
  'phone_number',
  'external_id',
  'sha256_email',
  'sha256_phone_number',
  'first_name',
  'last_name',
  'city',
  'state',
  'country',
  'zip_code'
])
const NUMERIC_KEYS = new Set(['value', 'price', 'quantity', 'num_items'])

/** Problems with one recorded call, as README "What TikTok receives" defines a well formed one. */
function malformations(call: EmulatorCall): string[] {
  const problems: string[] = []
  const isPlain = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
  const nothingEmpty = (value: unknown, path: string): void => {
    if (value === undefined || value === null || value === '') problems.push(`${path} is empty`)
    else if (typeof value === 'number' && !Number.isFinite(value)) problems.push(`${path} is not finite`)
    else if (Array.isArray(value)) {
      if (value.length === 0) problems.push(`${path} is an empty list`)
      value.forEach((item, i) => nothingEmpty(item, `${path}[${i}]`))
    } else if (typeof value === 'object') {
      if (!isPlain(value)) problems.push(`${path} is not a plain object`)
      else if (Object.keys(value).length === 0) problems.push(`${path} is an empty object`)
      else for (const [k, v] of Object.entries(value)) nothingEmpty(v, `${path}.${k}`)
    } else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push(`${path} is a ${typeof value}`)
    }
  }
  const { method, args } = call
  switch (method) {
    case 'page':
    case 'holdConsent':
    case 'grantConsent':
    case 'revokeConsent':
      if (args.length !== 0) problems.push(`${method} has arguments`)
      break
    case 'identify': {
      const user = args[0]
      if (args.length !== 1 || !isPlain(user)) {
        problems.push('identify takes one object')
        break
      }
      nothingEmpty(user, 'user')
      for (const [key, value] of Object.entries(user)) {
        if (!USER_KEYS.has(key)) problems.push(`identify key ${key}`)
        if (typeof value !== 'string') problems.push(`identify ${key} is not a string`)
        if (key.startsWith('sha256_') && !/^[0-9a-f]{64}$/i.test(String(value))) problems.push(`${key} not a digest`)
      }
      break
    }
    case 'track': {
      const [name, properties, options] = args
      if (typeof name !== 'string' || name.trim() === '') problems.push('track without an event name')
      if (args.length > 3) problems.push('track with extra arguments')
      if (args.length >= 2 && properties !== undefined) {
        if (!isPlain(properties)) problems.push('properties not an object')
        else {
          nothingEmpty(properties, 'properties')
          const walk = (v: unknown, path: string): void => {
            if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${path}[${i}]`))
            else if (isPlain(v))
              for (const [k, x] of Object.entries(v)) {
                if (NUMERIC_KEYS.has(k) && typeof x !== 'number') problems.push(`${path}.${k} is not a number`)
                walk(x, `${path}.${k}`)
              }
          }
          walk(properties, 'properties')
          if ('currency' in properties && !/^[A-Z]{3}$/.test(String(properties.currency))) {
            problems.push('currency not ISO 4217')
          }
          if ('content_type' in properties && !('contents' in properties) && !('content_ids' in properties)) {
            problems.push('content_type alone')
          }
        }
      }
      if (args.length === 3) {
        if (!isPlain(options) || Object.keys(options).join() !== 'event_id' || typeof options.event_id !== 'string') {
          problems.push('options other than { event_id }')
        }
      }
      break
    }
    default:
      problems.push(`unexpected method ${method}`)
  }
  return problems.map((p) => `${p} in ${JSON.stringify(call).slice(0, 300)}`)
}

describe('malformed events through the real analytics-next', () => {
  test('no page error, no prototype pollution, analytics keeps working, every call TikTok got is well formed', async () => {
    const shop = await h.openShop()
    await waitForPixel(shop.page, PIXEL_CODE)

    const outcomes = await shop.page.evaluate(async () => {
      const analytics = (window as any).analytics
      const huge = 'x'.repeat(1_000_000)
      let deep: Record<string, unknown> = { leaf: 'bottom' }
      for (let i = 0; i < 2000; i++) deep = { level: deep }
      const polluting = JSON.parse(
        '{"order_id":"p1","__proto__":{"polluted":"yes"},"products":[{"product_id":"a","__proto__":{"polluted":"yes"}}],' +
          '"address":{"__proto__":{"polluted":"yes"}},"constructor":{"prototype":{"polluted":"yes"}}}'
      )
      const attempts: Array<[string, () => Promise<unknown>]> = [
        ['track(null)', () => analytics.track(null)],
        ['track(undefined)', () => analytics.track(undefined)],
        ['track({})', () => analytics.track({})],
        ['properties a string', () => analytics.track('Order Completed', 'a string')],
        ['properties an array', () => analytics.track('Order Completed', ['an', 'array'])],
        ['properties with __proto__', () => analytics.track('Order Completed', polluting)],
        ['products with __proto__', () => analytics.track('Checkout Started', polluting)],
        ['deep nesting', () => analytics.track('Order Completed', { order_id: 'p2', products: [deep], extra: deep })],
        [
          'huge strings',
          () =>
            analytics.track('Order Completed', {
              order_id: huge,
              description: huge,
              email: huge + '@example.com',
              phone: huge,
              currency: huge,
              products: [{ product_id: huge, name: huge, price: huge }]
            })
        ],
        [
          'wrong types everywhere',
          () =>
            analytics.track('Order Completed', {
              order_id: { nested: true },
              revenue: 'NaN',
              value: Infinity,
              currency: 12,
              num_items: [],
              email: 12345,
              phone: {},
              content_ids: [null, {}, [], ''],
              products: [null, 1, 'x', {}, [], { price: 'free', quantity: -0 }]
            })
        ],
        ['products not a list', () => analytics.track('Order Completed', { products: 'sku-1', email: [] })],
        ['identify(null, string)', () => analytics.identify(null, 'traits as a string')],
        ['identify with odd traits', () => analytics.identify('u', { email: ['', null], phone: [{}], address: 'x' })],
        ['page(null, null)', () => analytics.page(null, null)],
        ['event name from properties', () => analytics.track('Order Completed', { event: null, type: 'identify' })]
      ]
      const results: Record<string, string> = {}
      for (const [label, attempt] of attempts) {
        try {
          await attempt()
          results[label] = 'resolved'
        } catch (error) {
          results[label] = `rejected: ${(error as Error)?.message}`
        }
      }
      // Afterwards, a normal event still goes through.
      const ctx = await analytics.track('Products Searched', { query: 'after the storm' })
      const plain: Record<string, unknown> = {}
      return {
        results,
        after: JSON.parse(JSON.stringify(ctx.event)),
        polluted: [
          (plain as any).polluted,
          (Object.prototype as any).polluted,
          (Array.prototype as any).polluted,
          ({} as any).level
        ]
      }
    })
    await drain(shop.page)

    // analytics-next itself refuses calls without an event name; everything else resolves.
    expect(outcomes.results).toEqual({
      'track(null)': 'rejected: Event missing',
      'track(undefined)': 'rejected: Event missing',
      'track({})': 'rejected: Event missing',
      'properties a string': 'resolved',
      'properties an array': 'resolved',
      'properties with __proto__': 'resolved',
      'products with __proto__': 'resolved',
      'deep nesting': 'resolved',
      'huge strings': 'resolved',
      'wrong types everywhere': 'resolved',
      'products not a list': 'resolved',
      'identify(null, string)': 'resolved',
      'identify with odd traits': 'resolved',
      'page(null, null)': 'resolved',
      'event name from properties': 'resolved'
    })
    expect(outcomes.polluted).toEqual([undefined, undefined, undefined, undefined])
    expect(
      await shop.page.evaluate(() => [(Object.prototype as any).polluted, Object.keys(Object.prototype).length])
    ).toEqual([undefined, 0])

    const calls = await shop.calls(PIXEL_CODE)
    expect(calls.slice(-2)).toEqual(searchCalls(outcomes.after))
    expect(calls.flatMap(malformations)).toEqual([])
    // Every accepted track reached the pixel (each with an identify: the anonymous ID at least).
    const trackNames = calls.filter((c) => c.method === 'track').map((c) => c.args[0])
    expect(trackNames).toEqual([
      'CompletePayment', // properties a string
      'CompletePayment', // properties an array
      'CompletePayment', // properties with __proto__
      'InitiateCheckout', // products with __proto__
      'CompletePayment', // deep nesting
      'CompletePayment', // huge strings
      'CompletePayment', // wrong types everywhere
      'CompletePayment', // products not a list
      'CompletePayment', // event name from properties
      'Search'
    ])
    expect(shop.pageErrors).toEqual([])
    expect(await shop.page.evaluate(() => window.__shop?.rejections)).toEqual([])
  })
})
