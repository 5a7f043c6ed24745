import fc from 'fast-check'
import { Context } from '@segment/analytics-next'
import type { Plugin } from '@segment/analytics-next'
import { destination } from '..'
import { generatePlugins } from '../runtime'
import { loadPlugins } from './support/page'

/**
 * Property-based tests: random and malformed Segment events thrown at the destination with every
 * preset (Identify among them) and a travel mapping. It must never throw, and every call TikTok receives must be well formed.
 */

const PIXEL = 'FUZZ0000000000000000'

const subscriptions = [
  ...(destination.presets ?? []).map((preset) => ({ ...preset, enabled: true })),
  {
    name: 'Travel',
    partnerAction: 'reportWebEvent',
    subscribe: 'event = "Trip Booked"',
    enabled: true,
    mapping: {
      ...(destination.presets?.[2] as { mapping: object }).mapping,
      event: 'CompletePayment',
      event_spec_type: { '@path': '$.properties.spec' }
    }
  }
]

const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(''),
  fc.constant('   '),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constantFrom('12.50', '0', '-3', '1e3', 'abc', '__proto__', 'constructor'),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom('a', 'price', '__proto__', 'constructor', 'toString'),
    fc.oneof(fc.string(), fc.integer()),
    {
      maxKeys: 3
    }
  )
)

const product = fc.record(
  {
    product_id: junk,
    name: junk,
    category: junk,
    brand: junk,
    price: junk,
    quantity: junk,
    __proto__: junk
  },
  { requiredKeys: [] }
)

const properties = fc.oneof(
  junk,
  fc.record(
    {
      products: fc.oneof(junk, fc.array(fc.oneof(product, junk), { maxLength: 4 })),
      product_id: junk,
      price: junk,
      quantity: junk,
      value: junk,
      revenue: junk,
      currency: fc.oneof(junk, fc.constantFrom('usd', 'EUR', ' gbp ', 'EURO', '€')),
      email: junk,
      phone: fc.oneof(junk, fc.constantFrom('+1 (415) 555-0101', '4155550101', '0044 20 7946 0958', '+0123')),
      query: junk,
      num_items: junk,
      content_ids: junk,
      spec: fc.constantFrom('travel_fields', 'vehicle_fields', 'other', undefined),
      num_adults: junk,
      mileage_value: junk,
      mileage_unit: junk,
      preferred_price_range_min: junk,
      preferred_price_range_max: junk,
      address: fc.oneof(junk, fc.record({ city: junk, state: junk, country: junk, postal_code: junk }))
    },
    { requiredKeys: [] }
  )
)

const event = fc.record(
  {
    type: fc.constantFrom('track', 'page', 'identify', 'group', 'alias', 'screen', 'bogus'),
    event: fc.oneof(
      fc.constantFrom('Order Completed', 'Product Added', 'Products Searched', 'Checkout Started', 'Trip Booked'),
      junk
    ),
    messageId: fc.oneof(fc.uuid(), junk),
    userId: junk,
    anonymousId: junk,
    properties,
    traits: properties,
    context: fc.oneof(junk, fc.record({ traits: properties, consent: junk }, { requiredKeys: [] }))
  },
  { requiredKeys: ['type'] }
)

const isEmpty = (value: unknown): boolean =>
  value === null ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)

/** Every nested value of a call's arguments is non-empty and finite. */
function assertClean(value: unknown, path: string): void {
  if (value === undefined) return
  if (isEmpty(value)) throw new Error(`empty value at ${path}`)
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`non-finite number at ${path}`)
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) assertClean(inner, `${path}.${key}`)
  }
}

function assertWellFormed(call: unknown[]): void {
  const [method, ...args] = call
  if (method === 'track') {
    const [name, properties, options] = args as [unknown, Record<string, unknown> | undefined, unknown]
    expect(typeof name).toBe('string')
    expect((name as string).trim()).not.toBe('')
    if (properties !== undefined) {
      assertClean(properties, 'properties')
      for (const key of ['value', 'num_items']) {
        if (key in properties) expect(typeof properties[key]).toBe('number')
      }
      if ('contents' in properties) {
        expect(Array.isArray(properties.contents)).toBe(true)
        for (const item of properties.contents as Record<string, unknown>[]) {
          expect(typeof item).toBe('object')
          for (const key of ['price', 'quantity']) if (key in item) expect(typeof item[key]).toBe('number')
          if ('content_id' in item) expect(typeof item.content_id).toBe('string')
        }
      }
      if ('currency' in properties) expect(properties.currency).toMatch(/^[A-Z]{3}$/)
    }
    if (options !== undefined) assertClean(options, 'options')
  } else if (method === 'identify') {
    assertClean(args[0], 'user')
    expect(args).toHaveLength(1)
  } else {
    expect(['page', 'holdConsent', 'grantConsent', 'revokeConsent']).toContain(method)
  }
}

describe('random and malformed events', () => {
  let plugins: Plugin[]

  beforeAll(async () => {
    delete window.ttq
    plugins = generatePlugins(destination, { pixelCode: PIXEL, autoPageView: true, subscriptions } as never)
    await loadPlugins(plugins)
  })

  it('never throw and only produce well-formed TikTok calls', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
    const seen = { track: 0, identify: 0, contents: 0 }
    await fc.assert(
      fc.asyncProperty(event, async (segmentEvent) => {
        const queue = window.ttq?._i?.[PIXEL] as unknown[][]
        queue.length = 0
        const context = new Context(segmentEvent as never)
        for (const plugin of plugins) {
          const method = plugin[segmentEvent.type as 'track'] ?? plugin.track
          // A plugin may answer at once or with a promise, as analytics.js awaits either.
          await expect(Promise.resolve(method?.call(plugin, context))).resolves.toBe(context)
        }
        for (const call of queue) {
          assertWellFormed(call)
          if (call[0] === 'track' || call[0] === 'identify') seen[call[0]]++
          if (call[0] === 'track' && (call[2] as { contents?: unknown } | undefined)?.contents) seen.contents++
        }
        expect(({} as Record<string, unknown>).price).toBeUndefined()
        expect(Object.prototype).not.toHaveProperty('a')
      }),
      { numRuns: 400 }
    )
    warn.mockRestore()
    // The generators must reach the interesting paths, not only dropped events.
    expect(seen.track).toBeGreaterThan(40)
    expect(seen.identify).toBeGreaterThan(40)
    expect(seen.contents).toBeGreaterThan(5)
  })
})
