/**
 * Differential tests: every mapping compileMapping accepts must give, on every event, the outcome mapping-kit's
 * `transform` gives (value, or thrown message), down to key presence and prototypes; everything else must be
 * refused at compile time with `Unsupported`. `npm run check:upstream` runs these against the newest mapping-kit.
 */
import { inspect, isDeepStrictEqual } from 'util'
import fc from 'fast-check'
import { transform as libraryTransform } from '@segment/actions-core/mapping-kit'
import { compileMapping, MAX_MAPPED_ITEMS } from '../mapping'
import { Unsupported } from '../unsupported'

type Obj = Record<string, unknown>

type Outcome = { value: unknown } | { error: string }

function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() }
  } catch (error) {
    // Validation's AggregateError embeds stack traces, which differ by caller: keep only the messages.
    const message = error instanceof Error ? error.message : String(error)
    return { error: message.replace(/^\s+at .*$\n?/gm, '') }
  }
}

/** Prototypes every object shares; any other prototype came from the data (an own `__proto__` key). */
const isSharedPrototype = (value: unknown): boolean =>
  value === null || value === Object.prototype || value === Array.prototype

/**
 * Node's strict deep equality, except that prototypes both sides made afresh (assigning an event's own `__proto__`
 * key, as Object.assign does) are compared by content: no two runs can make the same object.
 */
function equivalent(a: unknown, b: unknown, depth = 0): boolean {
  if (isDeepStrictEqual(a, b)) return true
  if (depth > 32 || typeof a != 'object' || typeof b != 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keys = Reflect.ownKeys(a)
  if (keys.length !== Reflect.ownKeys(b).length || !keys.every((key) => Object.hasOwn(b, key))) return false
  if (!keys.every((key) => equivalent((a as Obj)[key as string], (b as Obj)[key as string], depth + 1))) return false
  const [protoA, protoB] = [Object.getPrototypeOf(a) as unknown, Object.getPrototypeOf(b) as unknown]
  if (protoA === protoB) return true
  return !isSharedPrototype(protoA) && !isSharedPrototype(protoB) && equivalent(protoA, protoB, depth + 1)
}

/** Compiles once, then checks each event against the library. */
function compare(mapping: unknown, events: unknown[]): void {
  const compiled = compileMapping(mapping as Obj)
  for (const event of events) {
    const actual = outcome(() => compiled(event as Obj))
    const expected = outcome(() => libraryTransform(mapping as never, event as Obj))
    // Prototypes count too (Jest's equality would trip over own `constructor` keys).
    if (!equivalent(actual, expected)) {
      expect(actual).toEqual(expected) // for a readable diff
      throw new Error(`differs from transform for ${inspect(event)}`)
    }
  }
}

/** Either refused at compile time, or identical to the library. */
function compareOrRefuse(mapping: unknown, events: unknown[]): 'compiled' | 'refused' {
  try {
    compileMapping(mapping as Obj)
  } catch (error) {
    expect(error).toBeInstanceOf(Unsupported)
    return 'refused'
  }
  compare(mapping, events)
  return 'compiled'
}

const expectRefused = (mapping: unknown) => expect(() => compileMapping(mapping as Obj)).toThrow(Unsupported)

const products = [
  { product_id: 'p1', name: 'Shoe', price: 10.5, quantity: 2, category: 'Shoes', brand: 'Acme' },
  { product_id: 'p2', price: 0, quantity: null, name: '' },
  null,
  7,
  'loose',
  [{ price: 1 }],
  undefined
]

const events: unknown[] = [
  {},
  {
    type: 'track',
    event: 'Order Completed',
    messageId: 'm-1',
    userId: 'u-1',
    properties: { email: 'A@b.co', value: 25, revenue: 30, currency: 'usd', order_id: 'o-9', products },
    context: { traits: { email: 'c@d.co', phone: '+1 555' }, page: { url: 'https://x.y/z?q=1' } }
  },
  {
    type: 'page',
    properties: { email: null, value: 0, revenue: 12, products: { price: 3, product_id: 'single' } },
    context: { traits: { email: '' } }
  },
  { properties: { email: '', value: false, products: 'not-a-list', name: 'n' }, context: null },
  { properties: { email: 0, value: '', products: [], zero: 0, empty: '', no: false, list: [], blankList: [''] } },
  { properties: null, userId: null, messageId: 0 },
  { properties: { products: [[1, 2], [], [{ price: 5 }]], weird: { toString: '' } } },
  { 'a.b': 'dotted', a: { b: 'nested', 'x.y': 'inner-dot' }, $: { a: 'dollar' }, tpl: 'hi {{userId}}' },
  JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"name": "own"}, "toString": "s"}'),
  Object.assign(Object.create(null), { properties: { value: 3 } }),
  // Plain objects but for their tag, and an instance of a class: typed like the library, not as plain objects.
  { properties: { products: { [Symbol.toStringTag]: 'Basket', price: 1 }, value: { [Symbol.toStringTag]: 'Object' } } },
  {
    properties: {
      products: new (class Basket {
        price = 2
      })()
    }
  },
  { properties: { products: [undefined, , { price: undefined }] } }, // eslint-disable-line no-sparse-arrays
  null,
  undefined,
  'string event',
  42,
  [1, 2],
  new Date(0)
]

describe('compileMapping: hand-written corpus', () => {
  const native: Record<string, unknown> = {
    literals: { a: 1, b: 'x', c: null, d: true, e: [1, 'two', null, [false]], f: { g: { h: 0 } }, u: undefined },
    empty: {},
    json: {
      encoded: { '@json': { mode: 'encode', value: { '@path': '$.properties' } } },
      decoded: { '@json': { mode: 'decode', value: '{"a":[1,{"b":null}]}' } },
      notJson: { '@json': { mode: 'decode', value: { '@path': '$.properties.email' } } },
      unknownMode: { '@json': { mode: 'ENCODE', value: 'x' } }
    },
    merge: {
      right: { '@merge': { direction: 'right', objects: [{ '@path': '$.properties' }, { '@path': '$.context' }] } },
      left: { '@merge': { direction: 'left', objects: [{ '@path': '$.properties' }, { value: 'mine', extra: 1 }] } }
    },
    flatten: {
      nested: { '@flatten': { separator: '.', value: { '@path': '$.properties' } } },
      withoutArrays: { '@flatten': { separator: '_', value: { '@path': '$' }, omitArrays: true } },
      leaf: { '@flatten': { separator: '.', value: 'x' } }
    },
    paths: {
      dollar: { '@path': '$.properties.value' },
      bare: { '@path': 'properties.value' },
      index: { '@path': '$.properties.products.0.price' },
      bracket: { '@path': '$.properties.products[0].price' },
      quoted: { '@path': "$['a.b']" },
      quotedInner: { '@path': "a['x.y']" },
      dottedKey: { '@path': 'a.b' },
      whole: { '@path': '$.' },
      emptyPath: { '@path': '' },
      dot: { '@path': '.' },
      midDollar: { '@path': 'a.$.b' },
      doubleDollar: { '@path': '$.$.a' },
      missing: { '@path': '$.missing.deep.path' },
      length: { '@path': '$.properties.name.length' },
      falsyStep: { '@path': '$.properties.zero.x' },
      proto: { '@path': '$.__proto__' },
      ctor: { '@path': '$.constructor.name' },
      negative: { '@path': '$.properties.products.-1' },
      nested: { '@path': '$.properties.products.5.0.price' }
    },
    ifExists: {
      email: {
        '@if': {
          exists: { '@path': '$.properties.email' },
          then: { '@path': '$.properties.email' },
          else: { '@path': '$.context.traits.email' }
        }
      }
    },
    ifBlank: {
      email: { '@if': { blank: { '@path': '$.properties.email' }, then: 'yes', else: 'no' } },
      zero: { '@if': { blank: { '@path': '$.properties.zero' }, then: 'yes', else: 'no' } },
      no: { '@if': { blank: { '@path': '$.properties.no' }, then: 'yes', else: 'no' } },
      list: { '@if': { blank: { '@path': '$.properties.list' }, then: 'yes', else: 'no' } },
      blankList: { '@if': { blank: { '@path': '$.properties.blankList' }, then: 'yes', else: 'no' } },
      space: { '@if': { blank: ' ', then: 'yes', else: 'no' } }
    },
    ifOddBranches: {
      falsyElse: { '@if': { exists: { '@path': '$.nope' }, then: 1, else: '' } },
      zeroElse: { '@if': { exists: { '@path': '$.nope' }, then: 1, else: 0 } },
      falseElse: { '@if': { exists: { '@path': '$.nope' }, else: false } },
      nullThen: { '@if': { exists: { '@path': '$.properties' }, then: null } },
      noThen: { '@if': { exists: { '@path': '$.properties' }, else: 'e' } },
      objectThen: { '@if': { exists: 1, then: { a: { '@path': '$.userId' }, b: [{ '@path': '$.type' }] } } },
      literalExists: { '@if': { exists: 'x', then: 't' } },
      // A defined but falsy `exists` still decides; `blank` is then ignored.
      emptyExistsWins: { '@if': { exists: '', blank: { '@path': '$.nope' }, then: 't', else: 'e' } },
      falseExistsWins: { '@if': { exists: false, blank: { '@path': '$.nope' }, then: 't', else: 'e' } },
      nullExistsWins: { '@if': { exists: null, blank: 'y', then: 't', else: 'e' } },
      blankOnly: { '@if': { blank: 'y', then: 't' } }
    },
    arrayPath: {
      contents: {
        '@arrayPath': ['$.properties.products', { price: { '@path': '$.price' }, id: { '@path': 'product_id' } }]
      },
      noShape: { '@arrayPath': ['$.properties.products'] },
      emptyShape: { '@arrayPath': ['$.properties.products', {}] },
      arrayShape: { '@arrayPath': ['$.properties.products', [{ '@path': '$.price' }]] },
      stringShape: { '@arrayPath': ['$.properties.products', 'x'] },
      directiveShape: { '@arrayPath': ['$.properties.products', { '@path': '$.price' }] },
      literalShape: { '@arrayPath': ['$.properties.products', { fixed: 1, '0': { '@path': '0' } }] },
      directivePath: { '@arrayPath': [{ '@path': '$.properties.products' }, { p: { '@path': '$.price' } }] },
      ifPath: {
        '@arrayPath': [
          { '@if': { exists: { '@path': '$.properties.products' }, then: { '@path': '$.properties.products' } } },
          { p: { '@path': '$.price' } }
        ]
      },
      nestedArrayPath: {
        '@arrayPath': ['$.properties.products', { inner: { '@arrayPath': ['$.', { v: { '@path': '$.price' } }] } }]
      },
      wholeEvent: { '@arrayPath': ['$.', { t: { '@path': 'type' } }] },
      emptyPath: { '@arrayPath': ['', { t: { '@path': 'type' } }] }
    },
    templates: {
      a: { '@template': 'Order {{properties.order_id}} by {{{ userId }}}' },
      b: { '@template': '{{missing}}-{{properties.products}}-{{properties.value}}' },
      c: { '@template': 'plain' },
      d: { '@template': '' },
      e: { '@template': '{{{tpl}}}' },
      f: { '@arrayPath': ['$.properties.products', { label: { '@template': '{{name}}:{{price}}:{{.}}' } }] }
    },
    literal: {
      obj: { '@literal': { a: { '@path': '$.userId' }, b: 2 } },
      str: { '@literal': 'x' },
      nul: { '@literal': null },
      nested: { '@literal': { '@literal': { '@path': '$.type' } } }
    },
    arrays: { list: [{ '@path': '$.userId' }, 1, [{ '@path': '$.missing' }, { a: { '@path': '$.missing' } }]] },
    metadata: { id: { '@path': '$.userId', _metadata: { label: 'x' } } },
    topLevelPath: { '@path': '$.properties' },
    topLevelString: { '@path': '$.userId' },
    topLevelIf: { '@if': { exists: { '@path': '$.properties' }, then: { '@path': '$.properties' } } },
    replace: {
      upper: { '@replace': { pattern: 'O', replacement: '0', value: { '@path': '$.event' } } },
      special: { '@replace': { pattern: '.', replacement: '$&$&', value: { '@path': '$.properties.name' } } },
      once: { '@replace': { pattern: 'e', value: { '@path': '$.event' }, global: false, ignorecase: true } },
      two: {
        '@replace': { pattern: ' ', replacement: '_', pattern2: 'd', replacement2: null, value: { '@path': '$.event' } }
      },
      number: { '@replace': { pattern: '5', replacement: 'five', value: { '@path': '$.properties.value' } } },
      notText: { '@replace': { pattern: 'a', value: { '@path': '$.properties' } } },
      empty: { '@replace': { pattern: 'a', value: '' } },
      secondNotText: { '@replace': { pattern: 'a', pattern2: 5, value: 'banana' } }
    },
    excludeWhenNull: {
      path: { '@excludeWhenNull': { '@path': '$.userId' } },
      object: { '@excludeWhenNull': { '@path': '$.properties' } },
      literal: { '@excludeWhenNull': { a: null, b: { c: null, d: [null] }, e: 1 } }
    },
    case: {
      upper: { '@case': { operator: 'upper', value: { '@path': '$.event' } } },
      lower: { '@case': { operator: 'lower', value: { '@path': '$.properties.currency' } } },
      notString: { '@case': { operator: 'lower', value: { '@path': '$.properties.value' } } },
      constant: { '@case': { operator: 'upper', value: 'abc' } },
      empty: { '@case': { operator: 'upper', value: '' } },
      noValue: { '@case': { operator: 'upper' } }
    },
    protoKey: JSON.parse('{"__proto__": {"@path": "$.properties"}, "x": {"@path": "$.userId"}}'),
    deep: (() => {
      let node: unknown = { '@path': '$.properties.value' }
      for (let i = 0; i < 40; i++) node = { [`k${i % 3}`]: node, [`p${i}`]: { '@path': `$.a.b` } }
      return node
    })()
  }

  it.each(Object.entries(native))('%s compiles and matches transform', (_, mapping) => {
    // Includes the non-object events, which must be rejected the same way.
    compare(mapping, events)
  })

  const refused: Record<string, unknown> = {
    // Not JSON; mapping-kit would pass them through, but settings never hold them.
    exotic: { when: new Date(0), re: /x/, list: [new Date(1)] },
    // Validation does not look inside arrays or @literal objects; there mapping-kit treats mixed @-keys as a plain
    // object and of several @-keys runs the first. Not worth replicating: refused.
    mixed: { '@literal': { x: { '@path': '$.userId', b: { '@path': '$.type' } } } },
    multi: [{ '@path': '$.type', '@template': 'z' }],
    mixedInArray: { x: [{ '@arrayPath': 'not-array', keep: 1 }] },
    ifThenArray: { '@if': { exists: 1, then: [{ '@template': '{{type}}', '@path': '$.userId' }] } },
    ifExtraKey: { x: { '@if': { exists: 'x', then: 't', other: 1 } } },
    caseOperator: { x: { '@case': { operator: 'title', value: 'abc' } } },
    caseNoOperator: { x: { '@case': { value: 'abc' } } },
    replaceLong: { x: { '@replace': { pattern: 'more than ten', value: { '@path': '$.event' } } } },
    replaceNullReplacement: { x: { '@replace': { pattern: 'a', replacement: null, value: 'abc' } } },
    replaceLongSecond: { x: { '@replace': { pattern: 'a', pattern2: 'more than ten', value: 'abc' } } },
    replaceOtherOption: { x: { '@replace': { pattern: 'a', value: 'abc', flags: 'g' } } },
    replaceNumberValue: { x: { '@replace': { pattern: 'a', value: 5 } } },
    jsonFalsyValue: { x: { '@json': { mode: 'encode', value: 0 } } },
    jsonNoMode: { x: { '@json': { value: { '@path': '$.properties' } } } },
    jsonOtherMode: { x: { '@json': { mode: 'parse', value: 'x' } } },
    jsonOtherOption: { x: { '@json': { mode: 'encode', value: 'x', space: 2 } } },
    flattenNoSeparator: { x: { '@flatten': { value: { '@path': '$.properties' } } } },
    flattenEmptySeparator: { x: { '@flatten': { separator: '', value: { '@path': '$.properties' } } } },
    flattenDynamicSeparator: { x: { '@flatten': { separator: { '@path': '$.s' }, value: 'x' } } },
    flattenNoValue: { x: { '@flatten': { separator: '.' } } },
    mergeNoDirection: { x: { '@merge': { objects: [{ '@path': '$.properties' }] } } },
    mergeOtherDirection: { x: { '@merge': { direction: 'up', objects: [] } } },
    mergeObjectsNotList: { x: { '@merge': { direction: 'left', objects: { '@path': '$.properties' } } } },
    excludeWhenNullUndefined: { x: { '@excludeWhenNull': undefined } },
    transform: {
      x: { '@transform': { apply: { y: { '@path': '$.properties' } }, mapping: { z: { '@path': '$.y.value' } } } }
    },
    liquid: { x: { '@liquid': '{{ properties.value | plus: 1 }}' } },
    unknownDirective: { x: { '@bogus': 1 } },
    pathNotString: { x: { '@path': 5 } },
    ifNotObject: { x: { '@if': 5 } },
    ifWithoutCondition: { x: { '@if': { then: 1 } } },
    ifFalsyConditions: { x: { '@if': { exists: 0, blank: '', then: 1 } } },
    arrayPathNotArray: { x: { '@arrayPath': '$.properties.products' } },
    arrayPathBadPath: { x: { '@arrayPath': [5, { a: 1 }] } },
    mixedKeys: { x: { '@path': '$.userId', b: 1 } },
    twoDirectives: { x: { '@path': '$.userId', '@template': 'x' } },
    dynamicPath: { x: { '@path': { '@template': 'properties.{{tpl}}' } } },
    dynamicTemplate: { x: { '@template': { '@path': '$.tpl' } } },
    undefinedLiteral: { x: { '@literal': undefined } },
    // Only throws when the branch runs; the library finds out at run time too.
    lazyUnknown: { x: { '@if': { exists: { '@path': '$.userId' }, then: [{ '@bogus': 1 }] } } },
    lazyBadPath: { x: { '@if': { exists: { '@path': '$.userId' }, then: { '@literal': { y: { '@path': 5 } } } } } },
    lazyBadIf: { x: [{ '@if': 'nope' }] },
    lazyBadArrayPath: { x: { '@literal': { y: { '@arrayPath': '$.properties' } } } },
    lazyCase: { x: [{ '@case': { operator: 'lower', value: 123 } }] },
    invalidNested: { x: { '@if': { exists: 1, then: { y: { '@path': '$.userId', b: 1 } } } } },
    rootDirective: {
      __segment_internal_directive: { '@transform': { apply: { a: { '@path': '$.properties' } } } },
      v: { '@path': '$.a.value' }
    },
    arrayMapping: [{ '@path': '$.userId' }]
  }

  it.each(Object.entries(refused))('%s is refused with Unsupported', (_, mapping) => {
    expectRefused(mapping)
  })

  it('says what it refuses, never what an event holds', () => {
    expect(() => compileMapping({ x: { '@transform': { apply: { a: 1 }, mapping: { b: 1 } } } })).toThrow(
      '@transform in this form'
    )
    expect(() => compileMapping({ x: { '@if': { then: 1 } } })).toThrow('@if without exists or blank')
  })

  it('gives fresh results that callers may mutate', () => {
    const compiled = compileMapping({ a: { b: 1 }, list: [1], p: { '@path': '$.properties' } })
    const event = { properties: { value: 1 } }
    const first = compiled(event) as { a: Obj; list: unknown[]; p: Obj }
    first.a.b = 2
    first.list.push(2)
    first.p.value = 2
    expect(compiled(event)).toStrictEqual({ a: { b: 1 }, list: [1], p: { value: 1 } })
    expect(event).toStrictEqual({ properties: { value: 1 } })
  })
})

describe('compileMapping: TikTok-preset-like mapping', () => {
  const field = (path: string) => ({ '@path': path })
  const userData: Obj = {}
  for (const key of [
    'email',
    'phone',
    'external_id',
    'ip',
    'user_agent',
    'city',
    'state',
    'zip',
    'country',
    'first_name'
  ])
    userData[key] = field(`$.context.traits.${key}`)
  const page: Obj = {}
  for (const key of ['url', 'referrer', 'title', 'path', 'search', 'a.b', 'x', 'y', 'z', 'w'])
    page[key] = field(`$.context.page.${key}`)

  const mapping = {
    event: 'CompletePayment',
    event_id: field('$.messageId'),
    timestamp: field('$.timestamp'),
    email: {
      '@if': {
        exists: field('$.properties.email'),
        then: field('$.properties.email'),
        else: {
          '@if': {
            exists: field('$.context.traits.email'),
            then: field('$.context.traits.email'),
            else: field('$.traits.email')
          }
        }
      }
    },
    phone_number: {
      '@if': {
        exists: field('$.properties.phone'),
        then: field('$.properties.phone'),
        else: field('$.context.traits.phone')
      }
    },
    value: {
      '@if': {
        exists: field('$.properties.value'),
        then: field('$.properties.value'),
        else: field('$.properties.revenue')
      }
    },
    currency: field('$.properties.currency'),
    order_id: field('$.properties.order_id'),
    contents: {
      '@arrayPath': [
        '$.properties.products',
        {
          price: field('$.price'),
          quantity: field('$.quantity'),
          content_id: field('$.product_id'),
          content_name: field('$.name'),
          content_category: field('$.category'),
          brand: field('$.brand')
        }
      ]
    },
    description: { '@template': '{{properties.name}} ({{properties.category}})' },
    user: { data: userData, page }
  }

  const realistic = fc.record(
    {
      type: fc.constantFrom('track', 'page', 'identify'),
      event: fc.constantFrom('Order Completed', 'Product Viewed', ''),
      messageId: fc.oneof(fc.uuid(), fc.constant(null)),
      timestamp: fc.constantFrom('2024-01-01T00:00:00.000Z', undefined),
      properties: fc.record(
        {
          email: fc.constantFrom('a@b.co', '', null, 0),
          value: fc.oneof(fc.double(), fc.constantFrom(0, null, '', '12.5', false)),
          revenue: fc.oneof(fc.integer(), fc.constant(null)),
          currency: fc.constantFrom('usd', 'EUR', null),
          products: fc.oneof(
            fc.array(
              fc.oneof(
                fc.record(
                  {
                    product_id: fc.string(),
                    price: fc.oneof(fc.double(), fc.constant(null)),
                    quantity: fc.nat(),
                    name: fc.string(),
                    category: fc.string(),
                    brand: fc.constantFrom('Acme', null, undefined)
                  },
                  { requiredKeys: [] }
                ),
                fc.constantFrom(null, 1, 'x', undefined)
              ),
              { maxLength: 4 }
            ),
            fc.record({ price: fc.integer() }),
            fc.constantFrom('nope', null, 0)
          ),
          name: fc.string(),
          category: fc.constantFrom('Shoes', undefined)
        },
        { requiredKeys: [] }
      ),
      context: fc.oneof(
        fc.record(
          {
            traits: fc.oneof(
              fc.record({ email: fc.constantFrom('c@d.co', null, ''), phone: fc.string() }, { requiredKeys: [] }),
              fc.constant(null)
            ),
            page: fc.record({ url: fc.webUrl(), title: fc.string(), 'a.b': fc.string() }, { requiredKeys: [] })
          },
          { requiredKeys: [] }
        ),
        fc.constant(null)
      ),
      traits: fc.record({ email: fc.constantFrom('t@e.co', undefined) }, { requiredKeys: [] })
    },
    { requiredKeys: ['type'] }
  )

  it('matches transform on the hand-written events', () => {
    compare(mapping, events)
  })

  it('matches transform on generated realistic events', () => {
    const compiled = compileMapping(mapping)
    fc.assert(
      fc.property(realistic, (event) => {
        const actual = compiled(event as Obj)
        const expected = libraryTransform(mapping as never, event as Obj)
        return isDeepStrictEqual(actual, expected)
      }),
      { numRuns: 300 }
    )
    compare(mapping, fc.sample(realistic, 20))
  })

  it('produces the expected payload for a typical order', () => {
    const result = compileMapping(mapping)(events[1] as Obj)
    const nulls = {
      price: null,
      quantity: null,
      content_id: null,
      content_name: null,
      content_category: null,
      brand: null
    }
    expect(result).toMatchObject({
      event: 'CompletePayment',
      event_id: 'm-1',
      email: 'A@b.co',
      value: 25,
      description: ' ()'
    })
    expect(result).not.toHaveProperty('timestamp')
    // A null item makes every `get` stop at null; other non-objects give undefined, which is dropped.
    expect(result.contents).toStrictEqual([
      { price: 10.5, quantity: 2, content_id: 'p1', content_name: 'Shoe', content_category: 'Shoes', brand: 'Acme' },
      { price: 0, quantity: null, content_id: 'p2', content_name: '' },
      nulls,
      {},
      {},
      {},
      {}
    ])
  })
})

describe('compileMapping: generated mappings and events', () => {
  const keys = [
    'a',
    'b',
    '0',
    '1',
    'x.y',
    'email',
    'value',
    'price',
    'products',
    'properties',
    '__proto__',
    'constructor',
    'toString',
    'length',
    '$',
    ''
  ]
  const key = fc.constantFrom(...keys)
  const mappingKey = fc.constantFrom(...keys.filter((k) => k !== '__proto__'), '_metadata')

  const segment = fc.oneof(key, fc.nat(3).map(String), fc.constantFrom('[0]', "['x.y']", '["a"]', '[1]'))
  const path = fc.oneof(
    fc
      .tuple(fc.constantFrom('$.', '', '$.$.'), fc.array(segment, { maxLength: 4 }))
      .map(([prefix, parts]) => prefix + parts.join('.').replace(/\.\[/g, '[')),
    fc.string({ unit: fc.constantFrom('a', 'b', '.', '$', '[', ']', '0', "'", '"', ' ', '_'), maxLength: 8 })
  )
  const template = fc
    .array(
      fc.oneof(
        fc.constantFrom('x', ' ', '{', '}', '}}', '{{}}'),
        path.map((p) => `{{${p}}}`),
        path.map((p) => `{{{ ${p} }}}`)
      ),
      { maxLength: 4 }
    )
    .map((parts) => parts.join(''))
  const primitive = fc.oneof(
    fc.constantFrom(null, '', 0, false, true, 'x', -1, 1.5, ' ', 'a.b'),
    fc.string({ maxLength: 3 }),
    fc.integer()
  )

  /** Built only from constructs compileMapping implements, in valid shapes. */
  const { node: nativeNode, directive: nativeDirective } = fc.letrec<{ node: unknown; directive: unknown }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 4, depthSize: 'small' },
      primitive,
      tie('directive'),
      fc.dictionary(mappingKey, tie('node'), { maxKeys: 4 }),
      fc.array(tie('node'), { maxLength: 3 })
    ),
    directive: fc.oneof(
      { maxDepth: 4, depthSize: 'small' },
      path.map((p) => ({ '@path': p })),
      template.map((t) => ({ '@template': t })),
      tie('node').map((value) => ({ '@literal': value })),
      fc
        .record(
          {
            operator: fc.constantFrom('lower', 'upper'),
            value: fc.oneof(fc.string({ maxLength: 3 }), tie('directive'))
          },
          { requiredKeys: ['operator'] }
        )
        .map((opts) => ({ '@case': opts })),
      fc
        .record(
          {
            pattern: fc.string({ unit: fc.constantFrom('a', '.', '*', ' ', '$', 'e'), minLength: 1, maxLength: 3 }),
            replacement: fc.constantFrom('', 'x', '$&', '$1'),
            pattern2: fc.constantFrom('b', '', 5),
            replacement2: fc.constantFrom('y', null),
            value: fc.oneof(fc.constantFrom('', 'a.e b', 'banana'), tie('directive')),
            ignorecase: fc.boolean(),
            global: fc.boolean()
          },
          { requiredKeys: ['pattern', 'value'] }
        )
        .map((opts) => ({ '@replace': opts })),
      tie('node').map((value) => ({ '@excludeWhenNull': value })),
      fc
        .record({
          mode: fc.constantFrom('encode', 'decode', 'Encode', 'DECODE'),
          value: fc.oneof(
            tie('directive'),
            fc.constantFrom('{"a":1}', '[1,"x"]', 'not json', '"s"', 'true', 7, true, { a: null }, [1])
          )
        })
        .map((opts) => ({ '@json': opts })),
      fc
        .record(
          {
            objects: fc.array(fc.oneof(tie('directive'), fc.dictionary(mappingKey, tie('node'), { maxKeys: 3 })), {
              maxLength: 3
            }),
            direction: fc.constantFrom('left', 'right', 'Left', 'RIGHT')
          },
          { requiredKeys: ['objects', 'direction'] }
        )
        .map((opts) => ({ '@merge': opts })),
      fc
        .record(
          {
            separator: fc.constantFrom('.', '_', '__proto__', ' '),
            value: fc.oneof(tie('node'), fc.constantFrom({ a: { b: [1, { c: 2 }], d: {} } }, [[1], []], 0, '')),
            omitArrays: fc.constantFrom(true, false, 1, '', null)
          },
          { requiredKeys: ['separator', 'value'] }
        )
        .map((opts) => ({ '@flatten': opts })),
      fc
        .record(
          {
            exists: tie('node'),
            blank: tie('node'),
            then: tie('node'),
            else: tie('node')
          },
          { requiredKeys: [] }
        )
        .filter((opts) => Boolean(opts.exists || opts.blank))
        .map((opts) => ({ '@if': opts })),
      fc
        .tuple(
          fc.oneof(path, tie('directive')),
          fc.oneof(
            fc.dictionary(mappingKey, tie('node'), { maxKeys: 4 }),
            tie('directive'),
            fc.constantFrom({}, [], 'x', undefined)
          )
        )
        .map(([root, shape]) => ({ '@arrayPath': shape === undefined ? [root] : [root, shape] }))
    )
  }))

  /** Adds what must be refused or behaves oddly: other directives, invalid and mixed shapes, undefined. */
  const { node: anyNode } = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 3, depthSize: 'small' },
      primitive,
      nativeDirective,
      fc.constantFrom(
        undefined,
        { '@case': { operator: 'lower', value: 'ABC' } },
        { '@json': { mode: 'encode', value: { '@path': '$.a' } } },
        { '@json': { mode: 'decode', value: '' } },
        { '@json': { mode: 5, value: 'x' } },
        { '@merge': { direction: 'left', objects: 'x' } },
        { '@merge': { direction: 'right', objects: ['ab', [1], null] } },
        { '@merge': { direction: { '@path': '$.a' }, objects: [] } },
        { '@flatten': { separator: 5, value: 'x' } },
        { '@flatten': { separator: '.', value: undefined } },
        { '@transform': { apply: { a: 1 }, mapping: { b: { '@path': '$.a' } } } },
        { '@excludeWhenNull': { '@path': '$.a' } },
        { '@bogus': 1 },
        { '@path': 5 },
        { '@if': 5 },
        { '@if': { then: 1 } },
        { '@arrayPath': '$.a' },
        { '@path': '$.a', '@template': '{{b}}' },
        { '@path': '$.a', _metadata: 1 }
      ),
      fc.tuple(path, tie('node')).map(([p, other]) => ({ '@path': p, other })),
      tie('node').map((value) => ({ '@if': { exists: { '@path': '$.a' }, then: { nested: value } } })),
      fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      fc.array(tie('node'), { maxLength: 3 })
    )
  }))

  const anyValue = (depth: number) =>
    fc.anything({
      key,
      maxDepth: depth,
      maxKeys: 4,
      withNullPrototype: true,
      withSparseArray: true,
      withBoxedValues: true,
      withDate: true,
      withBigInt: true
    })
  const objectEvent = fc.dictionary(key, anyValue(3), { maxKeys: 6 })
  const event = fc.oneof({ arbitrary: objectEvent, weight: 8 }, { arbitrary: anyValue(1), weight: 1 })
  const nativeMapping = fc.oneof(fc.dictionary(mappingKey, nativeNode, { maxKeys: 5 }), nativeDirective)

  it('an @json with a mode it does not know still resolves its value, as transform does (found by the property below)', () => {
    const mapping = { a: [{ a: { '@json': { mode: 'DECODE', value: { '@template': '{{{  }}}' } } } }] }
    compare(mapping, [Object.create(null), { b: 1 }])
  })

  it('an own `__proto__` key copied by @excludeWhenNull gives the same shape as transform (found by the property below)', () => {
    const mapping = { a: { a: { '@excludeWhenNull': { '@arrayPath': ['', {}] } } } }
    const event = Object.defineProperty({}, '__proto__', {
      value: Object.create(null),
      enumerable: true,
      writable: true,
      configurable: true
    })
    compare(mapping, [event])
    // The comparison itself still tells a different prototype apart.
    expect(equivalent(Object.setPrototypeOf({}, { x: 1 }), Object.setPrototypeOf({}, { x: 2 }))).toBe(false)
  })

  it('leaves out a mapping key `__proto__` and the fields that resolve to nothing, as transform does', () => {
    const mapping = Object.defineProperty({ b: { '@path': '$.missing' }, c: 1 }, '__proto__', {
      value: { '@path': '$.a' },
      enumerable: true,
      writable: true,
      configurable: true
    })
    compare(mapping, [{ a: { x: 1 } }, { a: 'text' }, { a: null }, {}])
    expect(compileMapping(mapping)({ a: { x: 1 } })).toEqual({ c: 1 })
  })

  it('maps and copies the first MAX_MAPPED_ITEMS items of a list, where transform takes them all', () => {
    const products = Array.from({ length: MAX_MAPPED_ITEMS + 500 }, (_, i) => ({ product_id: `p${i}` }))
    const mapping = {
      contents: { '@arrayPath': ['$.properties.products', { content_id: { '@path': '$.product_id' } }] },
      raw: { '@path': '$.properties.products' }
    }
    const event = { properties: { products } }
    const payload = compileMapping(mapping)(event) as { contents: unknown[]; raw: unknown[] }
    const expected = libraryTransform(mapping, event) as { contents: unknown[]; raw: unknown[] }
    expect(payload.contents).toEqual(expected.contents.slice(0, MAX_MAPPED_ITEMS))
    expect(payload.raw).toEqual(expected.raw.slice(0, MAX_MAPPED_ITEMS))
    // Up to the bound, nothing differs.
    compare(mapping, [{ properties: { products: products.slice(0, MAX_MAPPED_ITEMS) } }])
  })

  it('passes a cyclic or very deep event through where transform overflows the stack', () => {
    let deep: Obj = {}
    const chain = deep
    for (let i = 0; i < 50_000; i++) deep = (deep.a = {}) as Obj
    const cyclic: Obj = { x: 1 }
    cyclic.left = cyclic
    cyclic.right = cyclic
    const mapping = { d: { '@path': '$.properties.description' }, c: { '@path': '$.properties.cyclic' }, n: 'kept' }
    expect(() => libraryTransform(mapping, { properties: { description: chain } })).toThrow(RangeError)
    const payload = compileMapping(mapping)({ properties: { description: chain, cyclic } })
    expect(payload.n).toBe('kept')
    expect((payload.c as Obj).x).toBe(1)
    expect((payload.d as Obj).a).toBeDefined()
  })

  it('mappings in the implemented subset compile and match transform', () => {
    fc.assert(
      fc.property(nativeMapping, fc.array(event, { minLength: 1, maxLength: 4 }), (mapping, evts) => {
        compare(mapping, evts)
      }),
      { numRuns: 400 }
    )
  })

  it('any mapping is refused or matches transform', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.dictionary(key, anyNode, { maxKeys: 5 }), anyNode),
        fc.array(event, { minLength: 1, maxLength: 4 }),
        (mapping, evts) => {
          compareOrRefuse(mapping, evts)
        }
      ),
      { numRuns: 400 }
    )
  })
})
