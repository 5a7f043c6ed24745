/**
 * Bad input: an invalid pixel code, mappings that fail, malformed events. Each is dropped cleanly
 * with a console message; nothing throws into the page and good events still go through.
 *
 * End to end in Chromium with the real analytics-next and the built destination
 * (dist/web/tiktok-pixel.js); each test asserts exactly what TikTok's script (the events.js
 * emulator), the page and analytics.js end up with.
 */
import type { EmulatorCall } from '../devkit/emulator'
import {
  destinationLogs,
  type Event,
  pageCall,
  recorded,
  registerRecorder,
  searchCalls,
  tiktokScriptsInDom,
  waitForPixel
} from './support/expectations'
import { PIXEL_CODE, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { presetSubscriptions, type Subscription } from './support/subscriptions'

const h = useHarness()

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
    await analyticsCall(shop.page, 'track', 'Products Searched', { query: 'x' })
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
      events.push(await analyticsCall(shop.page, 'track', 'Products Searched', { query: `q${i}` }))
    }
    await drain(shop.page, PIXEL_CODE)

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
    await drain(shop.page, PIXEL_CODE)

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
