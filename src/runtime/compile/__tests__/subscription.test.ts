/**
 * Differential tests: compileSubscription must answer, on every event, what `validate(parseFql(fql), event)` answers
 * (boolean or thrown error), and refuse with `Unsupported` exactly the FQL the library reports as an error (which
 * never matches there either). Triggers are hand-written, random text, and condition trees written by the
 * library's own `generateFql`, as Segment's mappings UI writes them. `npm run check:upstream` runs these against the
 * newest destination-subscriptions.
 */
import fc from 'fast-check'
import { generateFql, parseFql, validate } from '@segment/destination-subscriptions'
import type { Condition, GroupCondition, Operator } from '@segment/destination-subscriptions'
import { compileSubscription } from '../subscription'
import { Unsupported } from '../unsupported'

/** The answer, or that it threw: where the library throws (its own TypeError), the compiled trigger throws its own
 * error, and either way the runtime sends nothing. */
type Outcome = { value: boolean } | { threw: true }

function outcome(run: () => boolean): Outcome {
  try {
    return { value: run() }
  } catch {
    return { threw: true }
  }
}

const library = (fql: string, event: unknown) => outcome(() => validate(parseFql(fql), event))

/** `fql` is refused as unsupported where the library cannot parse it, else compiles to the library's answer on every
 * one of `events`. */
function refusedOrAgrees(fql: string, events: unknown[]): void {
  if ('error' in parseFql(fql)) {
    expect(() => compileSubscription(fql)).toThrow(Unsupported)
    return
  }
  const compiled = compileSubscription(fql)
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
  // A group ends at its first `)`, so the inner group never closes.
  '(event = "A" or (type = "b"))',
  // contains() and match() on `type` yield no condition, which leaves nothing here.
  'contains(type, "t")',
  '!match(type, "t*")',
  // fql-ts reads `1e+21` as the number 1 and then an identifier `e` it cannot end at `+`.
  'properties.x > 1e+21',
  // A backslash at the very end escapes nothing; a carriage return is no blank to fql-ts.
  'properties.x\\',
  'properties.an',
  'properties.x = 5.',
  'event = "A"\r'
]

/** Read by the library in ways people rarely mean; read the same way here. */
const quirks = [
  // `event = ` compares the event name against the end-of-input token, "eos".
  'event = ',
  // Single quotes stay part of the string.
  "event = 'A'",
  // `<=5` is `<`, `=` and 5: the comparison is against "=".
  'properties.x <=5',
  'event = "A" type = "track"',
  'properties = "x"',
  'event.x = "A"',
  '!event = "A"',
  'event = A',
  'event contains "Order"',
  'properties.value number_equals 10',
  'properties.and = 1',
  'properties.order = 1 or properties.null = null',
  'properties . value > 10',
  'constructor = 1 and type = "track"',
  '__proto__.x = 1 or event = "A"',
  'type = "track" and (contains(event, "Order") or event = "A")',
  '(contains(event, "A") or (type = "page" or event = "B"))',
  'type = "track" or ()',
  'type = "track" and (5)',
  'properties.\\[ = 1 or type = "track"',
  'properties\\. = null',
  // `an` at the very end loses its `n` (fql-ts tried to read `and`).
  'properties.x = an',
  'event = "A"and type = "track"',
  'event = "A" or type = "track")',
  'event = 5abc',
  'properties.x = -',
  'properties.x = 5.a',
  'match(event, "*")',
  'match(event, "A*B")',
  'match(event, 5)',
  'contains(properties, "x")',
  'contains(propertiesX, "x")',
  '!properties.x = 1',
  // An escaped dot is a dot: the library's path walk splits at it all the same.
  'properties.a\\.b = 1',
  'properties.say\\"hi\\" = 1',
  "properties.it\\'s = 1",
  'properties.back\\\\slash = 1',
  'properties.a\\[0\\] = 1'
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

  it.each(refused)('refuses %j with Unsupported, as the library reports it as an error', (fql) => {
    expect(() => compileSubscription(fql)).toThrow(Unsupported)
    expect(parseFql(fql)).toHaveProperty('error')
  })

  it.each([undefined, null, 5, ['event = "A"'], { event: 'A' }])('refuses the trigger %j, which is not text', (fql) => {
    expect(() => compileSubscription(fql as unknown as string)).toThrow('a trigger that is not text')
    expect(parseFql(fql as unknown as string)).toHaveProperty('error')
  })

  it.each(quirks)('reads %j as the library does', (fql) => {
    expect(parseFql(fql)).not.toHaveProperty('error')
    const compiled = compileSubscription(fql)
    const escaped = { 'a.b': 2, 'say"hi"': 1, "it's": 1, 'back\\slash': 1 }
    const nested = { a: { b: 1, 0: 1 }, '[': 1, order: 1, value: 11, x: '=' }
    for (const event of [...events, { properties: nested }, { properties: escaped }]) {
      expect(outcome(() => compiled(event as Record<string, unknown>))).toStrictEqual(library(fql, event))
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

  it('is refused where the library reports an error, else matches it, on arbitrary text', () => {
    const noise = fc.string({
      unit: fc.constantFrom(...'ev nt=!"()<>,.*a1-_ropertis\\\'+[]\r'.split('')),
      maxLength: 24
    })
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

/**
 * Triggers as Segment's mappings UI writes them: random condition trees in the library's `Condition` shape, written
 * by its `generateFql` (field names escaped with backslashes, nested groups in parentheses), run against events built
 * from the same names and values. Where the library cannot parse its own writer's output, the trigger never matches
 * there; it must be refused here, and only for one of the documented causes below.
 */
describe('compileSubscription on triggers written by generateFql', () => {
  const operators: Operator[] = [
    '=',
    '!=',
    '<',
    '<=',
    '>',
    '>=',
    'number_equals',
    'number_not_equals',
    'contains',
    'not_contains',
    'starts_with',
    'not_starts_with',
    'ends_with',
    'not_ends_with',
    'exists',
    'not_exists',
    'is_true',
    'is_false'
  ]
  const TEXT_OPERATORS = ['contains', 'not_contains', 'starts_with', 'not_starts_with', 'ends_with', 'not_ends_with']
  const NUMBER_OPERATORS = ['<', '<=', '>', '>=', 'number_equals', 'number_not_equals']

  const character = fc.constantFrom(...'aZé9 $._-"\'\\[](),*=!\t+', '😀', 'and', 'or', 'null', '0')
  const name = fc.oneof(
    fc.constantFrom(
      'Order ID',
      '$revenue',
      'first name',
      'a.b',
      'order',
      'and',
      'null',
      'x',
      '0',
      '-x',
      'é',
      '😀',
      'a[0]',
      '[',
      '',
      'Total (USD)',
      'a"b',
      'back\\slash',
      "it's",
      'constructor'
    ),
    fc.string({ unit: character, maxLength: 5 })
  )
  const value = fc.oneof(
    fc.constantFrom('track', 'page', 'Order Completed', 'o-1', 'Jane', '10', 'true', '', 'A*', '*B', 'say "hi"'),
    fc.string({ unit: character, maxLength: 5 }),
    fc.integer({ min: -20, max: 20 }),
    fc.double(),
    fc.boolean(),
    fc.constant(undefined)
  )
  const operator = fc.constantFrom(...operators)
  const condition: fc.Arbitrary<Condition> = fc.oneof(
    fc
      .record({ type: fc.constantFrom('event-type', 'event', 'name', 'userId'), operator, value })
      .map((c) => ({ ...c, value: c.value === undefined ? undefined : String(c.value) }) as Condition),
    fc
      .record({ type: fc.constantFrom('event-property', 'event-trait', 'event-context'), name, operator, value })
      .map((c) => c as Condition)
  )
  const conditions = (children: fc.Arbitrary<Condition>) =>
    fc.record({
      type: fc.constant('group' as const),
      operator: fc.constantFrom('and' as const, 'or' as const),
      children: fc.array(children, { minLength: 1, maxLength: 4 })
    })
  /** What the UI builds: conditions, and groups of conditions, under one group. */
  const shallow = conditions(
    fc.oneof({ weight: 3, arbitrary: condition }, { weight: 1, arbitrary: conditions(condition) })
  )
  /** Groups within groups too, to any depth. */
  const deep = fc.letrec<{ group: GroupCondition }>((tie) => ({
    group: conditions(fc.oneof({ depthSize: 'small' }, condition, tie('group') as fc.Arbitrary<Condition>))
  })).group

  type Leaf = Exclude<Condition, GroupCondition>
  const leaves = (group: GroupCondition): Leaf[] =>
    group.children.flatMap((child) => (child.type == 'group' ? leaves(child) : [child]))
  /** The text generateFql writes for a condition's value outside quotes, if any. */
  const bareNumber = (leaf: Leaf): string | undefined =>
    NUMBER_OPERATORS.includes(leaf.operator)
      ? String(Number(leaf.value))
      : ['=', '!=', 'contains', 'not_contains'].includes(leaf.operator) && typeof leaf.value == 'number'
        ? String(leaf.value)
        : undefined

  /** Why the library cannot parse what generateFql wrote for `tree`, by the documented causes; undefined for none. */
  function documentedLibraryFailure(tree: GroupCondition): string | undefined {
    if (tree.children.some((child) => child.type == 'group' && child.children.some((c) => c.type == 'group'))) {
      return 'a group within a group: parseFql ends a group at its first `)`'
    }
    const all = leaves(tree)
    if (all.some((leaf) => leaf.type == 'event-type' && TEXT_OPERATORS.includes(leaf.operator))) {
      return 'contains() or match() on the event type, for which parseFql writes no condition (an error where none is left)'
    }
    if (all.some((leaf) => bareNumber(leaf)?.includes('e+'))) {
      return 'a number of 1e21 or more, which generateFql writes as `1e+21` and fql-ts cannot read'
    }
    if (all.some((leaf) => 'name' in leaf && /(^|\.)[-\d]/.test(leaf.name))) {
      return 'a part of a field name starting with a digit or `-`, which fql-ts reads as a number'
    }
    if (all.some((leaf) => String(leaf.value).includes('"'))) {
      return 'a value holding a double quote, which generateFql writes unescaped inside double quotes'
    }
    return undefined
  }

  /** Events that hold the tree's fields, at the paths the library's `get` reads and as flat keys, with its values. */
  const eventsFor = (tree: GroupCondition) => {
    const all = leaves(tree)
    const names = [...new Set(all.map((leaf) => ('name' in leaf ? leaf.name : 'x')))]
    const values = fc.oneof(
      fc.constantFrom(...all.map((leaf) => leaf.value)),
      fc.constantFrom(...all.map((leaf) => String(leaf.value))),
      fc.constantFrom(...all.map((leaf) => Number(leaf.value))),
      value,
      fc.constant(null)
    )
    const fields = fc
      .array(fc.tuple(fc.constantFrom(...names), values, fc.boolean()), { maxLength: 4 })
      .map((entries) => {
        const fieldsByPath: Record<string, unknown> = {}
        for (const [path, fieldValue, flat] of entries) {
          const keys = flat ? [path] : (path.match(/[^[.\]]+/g) ?? [path])
          let at = fieldsByPath
          keys.slice(0, -1).forEach((key) => {
            at[key] = typeof at[key] == 'object' && at[key] !== null ? at[key] : {}
            at = at[key] as Record<string, unknown>
          })
          at[keys[keys.length - 1]] = fieldValue
        }
        return fieldsByPath
      })
    const maybeFields = fc.oneof({ weight: 5, arbitrary: fields }, { weight: 1, arbitrary: fc.constantFrom(null, 'x') })
    return fc.array(
      fc.record(
        {
          type: values,
          event: values,
          name: values,
          userId: values,
          properties: maybeFields,
          traits: maybeFields,
          context: maybeFields
        },
        { requiredKeys: [] }
      ),
      { minLength: 1, maxLength: 6 }
    )
  }

  function holdsAgainstLibrary(tree: GroupCondition, events: Record<string, unknown>[]): void {
    const fql = generateFql(tree)
    const parsed = parseFql(fql)
    if ('error' in parsed) {
      const cause = documentedLibraryFailure(tree)
      if (cause === undefined)
        throw new Error(`the library cannot parse ${JSON.stringify(fql)}, for no documented cause`)
      expect(() => compileSubscription(fql)).toThrow(Unsupported)
      return
    }
    const compiled = compileSubscription(fql)
    for (const event of events) {
      expect(outcome(() => compiled(event))).toStrictEqual(outcome(() => validate(parsed, event)))
    }
  }
  const triggersAndEvents = (trees: fc.Arbitrary<GroupCondition>) =>
    trees.chain((tree) => fc.tuple(fc.constant(tree), eventsFor(tree)))

  it('answers as the library on the UI shape: conditions and groups of conditions', () => {
    fc.assert(
      fc.property(triggersAndEvents(shallow), ([tree, events]) => holdsAgainstLibrary(tree, events)),
      { numRuns: 2000 }
    )
  })

  it('answers as the library on groups within groups, where the library parses them', () => {
    fc.assert(
      fc.property(triggersAndEvents(deep), ([tree, events]) => holdsAgainstLibrary(tree, events)),
      { numRuns: 500 }
    )
  })

  const condition_ = (leaf: Partial<Leaf>): Leaf => ({ type: 'event', operator: '=', value: 'A', ...leaf }) as Leaf
  const group = (...children: Condition[]): GroupCondition => ({ type: 'group', operator: 'and', children })
  it.each([
    ['a group within a group', group(group(condition_({}), group(condition_({}), condition_({})))), 'a group within'],
    [
      'contains() on the type',
      group(condition_({ type: 'event-type', operator: 'contains' })),
      'contains() or match()'
    ],
    ['a large number', group(condition_({ type: 'event-property', name: 'n', operator: '>', value: 1e21 })), '1e21'],
    ['a name part starting with -', group(condition_({ type: 'event-trait', name: 'a.-.', operator: '=' })), 'digit'],
    ['a double quote in a value', group(condition_({ value: 'say "hi" (twice)' })), 'double quote']
  ])('refuses what generateFql writes for %s, which the library cannot parse', (_, tree, cause) => {
    const fql = generateFql(tree)
    expect(parseFql(fql)).toHaveProperty('error')
    expect(documentedLibraryFailure(tree)).toContain(cause)
    expect(() => compileSubscription(fql)).toThrow(Unsupported)
  })

  it.each([
    ['properties.Order\\ ID = "o-1"', { properties: { 'Order ID': 'o-1' } }],
    ['traits.first\\ name = "Jane"', { traits: { 'first name': 'Jane' } }],
    ['properties.\\$revenue > 10', { properties: { $revenue: 11 } }],
    ['type = "track" and (event = "A" or contains(event, "Order"))', { type: 'track', event: 'Order Completed' }],
    ['type = "track" and (match(event, "Order*") or event = "A")', { type: 'track', event: 'Order Completed' }],
    ['properties.say\\"hi\\" = 1', { properties: { 'say"hi"': 1 } }],
    ['properties.back\\\\slash = true', { properties: { 'back\\slash': true } }],
    ["traits.it\\'s\\ \\(USD\\) <= 0", { traits: { "it's (USD)": -1 } }],
    // Escaped one UTF-16 unit at a time.
    ['context.page.\\é\\\uD83D\\\uDE00 != null', { context: { page: { 'é😀': 0 } } }]
  ])('runs %s, which generateFql writes, and matches', (fql, event) => {
    expect(compileSubscription(fql)(event)).toBe(true)
    expect(validate(parseFql(fql), event)).toBe(true)
    const other = { ...event, type: 'page', event: 'Other', properties: {}, traits: {}, context: {} }
    expect(compileSubscription(fql)(other)).toBe(false)
  })
})
