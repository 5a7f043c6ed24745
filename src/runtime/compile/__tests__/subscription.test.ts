/**
 * Differential tests: every FQL compileSubscription accepts must answer, on every event, what
 * `validate(parseFql(fql), event)` answers (boolean or thrown message); everything else must be refused with
 * `Unsupported`, and what the library itself rejects never matches there either. `npm run check:upstream` runs
 * these against the newest destination-subscriptions.
 */
import fc from 'fast-check'
import { parseFql, validate } from '@segment/destination-subscriptions'
import { compileSubscription } from '../subscription'
import { Unsupported } from '../unsupported'

type Outcome = { value: boolean } | { error: string }

function outcome(run: () => boolean): Outcome {
  try {
    return { value: run() }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}

const library = (fql: string, event: unknown) => outcome(() => validate(parseFql(fql), event))

/** `fql` is refused as unsupported, or compiles to the library's answer on every one of `events`. */
function refusedOrAgrees(fql: string, events: unknown[]): void {
  let compiled: (event: Record<string, unknown>) => boolean
  try {
    compiled = compileSubscription(fql)
  } catch (error) {
    expect(error).toBeInstanceOf(Unsupported)
    return
  }
  for (const event of events) {
    expect(outcome(() => compiled(event as Record<string, unknown>))).toStrictEqual(library(fql, event))
  }
}

const fqls = [
  'type = "track"',
  'event = "Order Completed"',
  'type = "page"',
  'event = "A" or event = "B"',
  'type = "track" and event = "X"',
  'event = "A" and type = "track" or event = "B"',
  'type = "page" or event = "A" and type = "track"',
  'type = "track" or type = "page" or type = "identify" or type = "group" or type = "alias" or type = "screen"',
  'event="A"  or\n\tevent = "B"',
  'properties.value > 10',
  'properties.value >= 10',
  'properties.value < 10',
  'properties.value <= 10',
  'properties.value = 10',
  'properties.value != 10',
  'properties.value = "10"',
  'properties.value = 1.50',
  'properties.value > -1',
  'properties.a.b > 1',
  'contains(event, "Order")',
  '!contains(event, "Order")',
  'contains(properties.currency, "us")',
  'match(event, "Order*")',
  'match(event, "*Completed")',
  '!match(traits.email, "*.co")',
  'event != "X"',
  'event = null',
  'event = 42',
  'userId = null',
  'userId != null',
  'userId = true',
  'name = "Home"',
  'name != null',
  'name = true',
  'traits.email = "a@b.co"',
  'traits.email = null',
  'context.page.url = "https://x.y/"',
  'properties.flag = true',
  'properties.flag = false',
  'properties.flag != true',
  '(type = "track" or type = "page") and event != "X"',
  'event = "A" or (type = "page" and name = "Home")',
  'event="A"',
  'event!= "A"',
  'properties.my_key-2 exists = 1'.replace(' exists', ''),
  '\tevent = "A"\n'
]

/** The library reports an error for these, so it never matches them either. */
const libraryErrors = [
  '',
  'event',
  '((',
  ')',
  'contains(',
  'foo = "bar"',
  'event = "unterminated',
  'type = "track"and',
  'all',
  'properties.x!=5',
  'properties.x>=5'
]

const refused = [
  ...libraryErrors,
  // Accepted by the library in ways not worth replicating (`event = ` compares the event name against "eos").
  'event = ',
  "event = 'A'",
  'properties.x <=5',
  '(event = "A" or (type = "b"))',
  'event = "A" type = "track"',
  'properties = "x"',
  'event.x = "A"',
  'contains(type, "t")',
  '!event = "A"',
  'event = A',
  'properties.and = 1'
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

  it.each(refused)('refuses %j with Unsupported', (fql) => {
    expect(() => compileSubscription(fql)).toThrow(Unsupported)
  })

  it.each(libraryErrors)('refuses %j, which the library reports as an error', (fql) => {
    expect(parseFql(fql)).toHaveProperty('error')
  })

  it('gives the expected answers for plain cases', () => {
    const track = events[0] as Record<string, unknown>
    expect(compileSubscription('type = "track"')(track)).toBe(true)
    expect(compileSubscription('type = "page"')(track)).toBe(false)
    expect(compileSubscription('contains(event, "Order")')(track)).toBe(true)
    expect(compileSubscription('properties.value > 10')(track)).toBe(true)
    expect(compileSubscription('properties.value > 10')(events[1] as Record<string, unknown>)).toBe(false)
  })

  const value = fc.oneof(
    fc.constantFrom('track', 'page', 'A', 'B', 'X', 'Order Completed', '10', '', null, true, false),
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
      traits: fc.record({ email: fc.constantFrom('a@b.co', null, 'x.co') }, { requiredKeys: [] }),
      context: fc.record({ page: fc.record({ url: fc.constantFrom('https://x.y/', 'z') }) }, { requiredKeys: [] })
    },
    { requiredKeys: [] }
  )

  it('matches the library on generated events', () => {
    const compiled = fqls.map((fql) => [fql, compileSubscription(fql)] as const)
    fc.assert(
      fc.property(event, (evt) => {
        for (const [fql, run] of compiled) expect(outcome(() => run(evt))).toStrictEqual(library(fql, evt))
      }),
      { numRuns: 100 }
    )
  })

  /** FQL in the implemented subset, written the ways Segment's UI and people write it. */
  const text = fc.string({ unit: fc.constantFrom('a', 'A', 'O', '1', ' ', '.', '*', '-', '_'), maxLength: 6 })
  const field = fc.constantFrom(
    'event',
    'name',
    'userId',
    'properties.value',
    'properties.flag',
    'properties.a.b',
    'traits.email',
    'context.page.url'
  )
  const literal = fc.oneof(
    text.map((t) => `"${t}"`),
    fc.integer({ min: -20, max: 20 }).map(String),
    fc.constantFrom('1.5', '-0', '+3', '10.0', 'true', 'false', 'null', '"10"', '"track"', '"page"', '"A"')
  )
  const comparison = fc
    .tuple(fc.oneof(field, fc.constant('type')), fc.constantFrom('=', '!=', '<', '<=', '>', '>='), literal)
    .map(([f, op, v]) => `${f} ${op} ${v}`)
  const call = fc
    .tuple(fc.constantFrom('', '!'), fc.constantFrom('contains', 'match'), field, text, fc.constantFrom('', '*'))
    .map(([neg, fn, f, t, star]) => `${neg}${fn}(${f}, "${fn === 'match' && star ? `${star}${t}` : t}")`)
  const join = (terms: string[], connectives: string[]) =>
    terms.reduce((out, term, i) => (i === 0 ? term : `${out} ${connectives[i % connectives.length]} ${term}`), '')
  const connectives = fc.array(fc.constantFrom('and', 'or'), { minLength: 1, maxLength: 3 })
  const group = fc
    .tuple(fc.array(comparison, { minLength: 1, maxLength: 3 }), connectives)
    .map(([terms, conj]) => `(${join(terms, conj)})`)
  const fql = fc
    .tuple(fc.array(fc.oneof(comparison, call, group), { minLength: 1, maxLength: 4 }), connectives)
    .map(([terms, conj]) => join(terms, conj))

  it('compiles generated FQL of the subset and matches the library on generated events', () => {
    fc.assert(
      fc.property(fql, fc.array(event, { minLength: 1, maxLength: 4 }), (source, evts) => {
        const compiled = compileSubscription(source)
        for (const evt of evts) expect(outcome(() => compiled(evt))).toStrictEqual(library(source, evt))
      }),
      { numRuns: 500 }
    )
  })

  it('matches the library on chains of event / type equalities, however joined', () => {
    const term = fc
      .tuple(
        fc.constantFrom('event', 'type'),
        fc.constantFrom(' = ', '=', ' =\t'),
        fc.oneof(text, fc.constantFrom('track', 'page', 'A', 'B'))
      )
      .map(([f, eq, t]) => `${f}${eq}"${t}"`)
    const chain = fc
      .tuple(fc.array(term, { minLength: 1, maxLength: 5 }), connectives)
      .map(([terms, conj]) => join(terms, conj))
    fc.assert(
      fc.property(chain, fc.array(event, { minLength: 1, maxLength: 4 }), (source, evts) => {
        const compiled = compileSubscription(source)
        for (const evt of evts) expect(outcome(() => compiled(evt))).toStrictEqual(library(source, evt))
      }),
      { numRuns: 300 }
    )
  })

  it('is refused or matches the library on chains of equalities with any blanks, or none, around the tokens', () => {
    const blank = fc.constantFrom('', ' ', '\t', '\n', '  ', '\r')
    const value = fc.oneof(text, fc.constantFrom('A', 'B', ' or type = '))
    const term = fc
      .tuple(fc.constantFrom('event', 'type', 'events', 'Type'), blank, blank, value)
      .map(([field, before, after, v]) => ({ source: `${field}${before}=${after}"${v}"`, value: v }))
    const link = fc
      .tuple(blank, fc.constantFrom('and', 'or', 'OR', 'andor'), blank, term)
      .map(([before, connective, after, next]) => ({ ...next, source: `${before}${connective}${after}${next.source}` }))
    const chain = fc.tuple(blank, term, fc.array(link, { maxLength: 4 }), blank).map(([lead, first, rest, trail]) => ({
      source: `${lead}${first.source}${rest.map((item) => item.source).join('')}${trail}`,
      values: [first, ...rest].map((item) => item.value)
    }))
    fc.assert(
      fc.property(chain, fc.array(event, { maxLength: 2 }), ({ source, values }, generated) => {
        // Events that satisfy some terms, all of them, or none, so that every connective's answer is seen.
        const matching = values.map((v) => ({ type: v, event: v }))
        const both = { type: values[0], event: values[values.length - 1] }
        refusedOrAgrees(source, [...generated, ...matching, both, {}])
      }),
      { numRuns: 1000 }
    )
  })

  it('is refused or matches the library on arbitrary text', () => {
    const noise = fc.string({ unit: fc.constantFrom(...'ev nt=!"()<>,.*a1-_ropertis'.split('')), maxLength: 24 })
    fc.assert(
      fc.property(
        fc.oneof(
          noise,
          fql.map((f) => f.slice(0, -2))
        ),
        event,
        (source, evt) => refusedOrAgrees(source, [evt])
      ),
      { numRuns: 1000 }
    )
  })
})
