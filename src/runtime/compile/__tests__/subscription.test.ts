/**
 * Differential tests: `compileSubscription(fql)(event)` against `validate(parseFql(fql), event)`, both outcomes
 * (boolean or thrown message) compared; plus a check that parsing happens once per compile, not per event.
 */
import fc from 'fast-check'
import * as subscriptions from '@segment/destination-subscriptions'
import { compileSubscription } from '../subscription'

// Count parses made through the module the compiler imports; the reference side uses the real functions.
jest.mock('@segment/destination-subscriptions', () => {
  const actual = jest.requireActual('@segment/destination-subscriptions')
  return { ...actual, parseFql: jest.fn(actual.parseFql) }
})
const actual: typeof subscriptions = jest.requireActual('@segment/destination-subscriptions')
const parseSpy = subscriptions.parseFql as jest.Mock

type Outcome = { value: boolean } | { error: string }

function outcome(run: () => boolean): Outcome {
  try {
    return { value: run() }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}

const library = (fql: string, event: unknown) => outcome(() => actual.validate(actual.parseFql(fql), event))

const fqls = [
  'type = "track"',
  'event = "Order Completed"',
  'type = "page"',
  'event = "A" or event = "B"',
  'type = "track" and event = "X"',
  'properties.value > 10',
  'properties.value >= 10',
  'properties.value < 10',
  'properties.value = 10',
  'properties.value = "10"',
  'properties.a.b > 1',
  'contains(event, "Order")',
  '!contains(event, "Order")',
  'match(event, "Order*")',
  'event != "X"',
  'userId = null',
  'userId != null',
  'name = "Home"',
  'traits.email = "a@b.co"',
  'context.page.url = "https://x.y/"',
  'properties.flag = true',
  '(type = "track" or type = "page") and event != "X"',
  'event = "A" or',
  // Invalid or odd FQL: parseFql reports an error (or, for `event = `, compares against "eos").
  'event = ',
  'event =',
  '',
  'event',
  '((',
  ')',
  'contains(',
  'foo = "bar"',
  'event = "unterminated',
  'type = "track"and',
  'all'
]

const events: unknown[] = [
  { type: 'track', event: 'Order Completed', properties: { value: 25, flag: true } },
  { type: 'track', event: 'A', properties: { value: 10 } },
  { type: 'track', event: 'B', properties: { value: '10', a: { b: 2 } } },
  { type: 'track', event: 'X', userId: 'u-1', properties: { value: 9.5, flag: 'true' } },
  { type: 'track', event: 'eos' },
  { type: 'page', name: 'Home', properties: null, context: { page: { url: 'https://x.y/' } } },
  { type: 'identify', userId: null, traits: { email: 'a@b.co' } },
  { type: 'track', event: 'Order Refunded', userId: '', properties: { value: -1 } },
  { event: 42, type: ['track'] },
  {},
  JSON.parse('{"__proto__": {"type": "track"}, "event": "A"}'),
  undefined,
  null
]

describe('compileSubscription', () => {
  it.each(fqls)('matches validate(parseFql(%j), event) on every event', (fql) => {
    const compiled = compileSubscription(fql)
    for (const event of events) {
      expect(outcome(() => compiled(event as Record<string, unknown>))).toStrictEqual(library(fql, event))
    }
  })

  it('never throws for invalid or empty FQL, whatever the event', () => {
    for (const fql of ['', 'event', '((', 'foo = "bar"', 'all']) {
      expect(actual.parseFql(fql)).toHaveProperty('error')
      const compiled = compileSubscription(fql)
      for (const event of events) expect(compiled(event as Record<string, unknown>)).toBe(false)
    }
  })

  it('gives the expected answers for plain cases', () => {
    const track = events[0] as Record<string, unknown>
    expect(compileSubscription('type = "track"')(track)).toBe(true)
    expect(compileSubscription('type = "page"')(track)).toBe(false)
    expect(compileSubscription('contains(event, "Order")')(track)).toBe(true)
    expect(compileSubscription('properties.value > 10')(track)).toBe(true)
    expect(compileSubscription('properties.value > 10')(events[1] as Record<string, unknown>)).toBe(false)
  })

  it('parses once per compile, not per event', () => {
    parseSpy.mockClear()
    const compiled = compileSubscription('type = "track" and event = "X"')
    for (const event of events.slice(0, 8)) compiled(event as Record<string, unknown>)
    expect(parseSpy).toHaveBeenCalledTimes(1)
  })

  it('matches the library on generated events', () => {
    const value = fc.oneof(
      fc.constantFrom('track', 'page', 'A', 'B', 'X', 'Order Completed', '10', '', null, true),
      fc.integer({ min: -5, max: 20 }),
      fc.double()
    )
    const event = fc.record(
      {
        type: value,
        event: value,
        name: value,
        userId: value,
        properties: fc.oneof(
          fc.dictionary(fc.constantFrom('value', 'flag', 'a'), fc.oneof(value, fc.record({ b: value }))),
          fc.constant(null)
        ),
        traits: fc.record({ email: fc.constantFrom('a@b.co', null) }, { requiredKeys: [] }),
        context: fc.record({ page: fc.record({ url: fc.constantFrom('https://x.y/', 'z') }) }, { requiredKeys: [] })
      },
      { requiredKeys: [] }
    )
    const compiled = fqls.map((fql) => [fql, compileSubscription(fql)] as const)
    fc.assert(
      fc.property(event, (evt) => {
        for (const [fql, run] of compiled) expect(outcome(() => run(evt))).toStrictEqual(library(fql, evt))
      }),
      { numRuns: 100 }
    )
  })
})
