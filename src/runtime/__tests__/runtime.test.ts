/**
 * Our plugin generator: isolation between subscriptions, events nobody subscribes to, malformed
 * events, disabled subscriptions and invalid FQL; and a differential test against the stock
 * `@segment/browser-destination-runtime` generator on the same destination definition.
 */
import { Context } from '@segment/analytics-next'
import type { Plugin } from '@segment/analytics-next'
import type { Subscription } from '@segment/browser-destination-runtime/types'
import { generatePlugins as stockGeneratePlugins } from '@segment/browser-destination-runtime/plugin'
import { destination } from '../..'
import { presets } from '../../presets'
import { generatePlugins, type RuntimeDestination, type Subscription as RuntimeSubscription } from '..'
import { WARNED_LIMIT } from '../log'
import {
  PIXEL_CODE,
  deliver,
  fakeAnalytics,
  loadPlugins,
  queued,
  resetPage,
  subscriptionsOf,
  useWebCrypto
} from '../../__tests__/support/page'

const presetSubscriptions = subscriptionsOf(presets)
const addToCart = presetSubscriptions.find((subscription) => subscription.name === 'Add to Cart') as Subscription

let warnings: jest.SpyInstance

beforeEach(() => {
  useWebCrypto()
  resetPage()
  warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
})

afterEach(() => warnings.mockRestore())

async function loadOurs(subscriptions: unknown[], settings: Record<string, unknown> = {}): Promise<Plugin[]> {
  return loadPlugins(
    generatePlugins(destination, { pixelCode: PIXEL_CODE, autoPageView: false, subscriptions, ...settings } as never)
  )
}

let counter = 0
const productAdded = (properties: unknown = { product_id: 'sku-1', price: 5, quantity: 1 }) => ({
  type: 'track',
  event: 'Product Added',
  messageId: `msg-${++counter}`,
  properties
})

describe('subscriptions are isolated', () => {
  const broken = (name: string): Subscription => ({
    ...addToCart,
    name,
    mapping: { ...addToCart.mapping, event: { '@path': '$.nothing' } }
  })

  it.each([
    ['before', (name: string) => [broken(name), addToCart]],
    ['after', (name: string) => [addToCart, broken(name)]]
  ])('a subscription whose perform throws %s another does not stop it', async (order, subscriptions) => {
    const name = `Broken cart ${order}`
    const plugins = await loadOurs(subscriptions(name))
    const event = productAdded()
    await expect(deliver(plugins, event)).resolves.toBeUndefined()
    expect(queued()).toEqual([
      [
        'track',
        'AddToCart',
        // value and currency: the item's price, as TikTok's own tag computes a missing value
        {
          contents: [{ content_id: 'sku-1', price: 5, quantity: 1 }],
          content_type: 'product',
          value: 5,
          currency: 'USD'
        },
        { event_id: event.messageId }
      ]
    ])
    expect(warnings).toHaveBeenCalledTimes(1)
    expect(String(warnings.mock.calls[0][0])).toContain(name)
    expect(String(warnings.mock.calls[0][0])).toContain('dropped an event: Event Name is empty or not a string')
  })

  it('warns once per distinct problem, however many events hit it', async () => {
    const plugins = await loadOurs([broken('Broken cart repeated')])
    for (let i = 0; i < 5; i++) await deliver(plugins, productAdded())
    expect(warnings).toHaveBeenCalledTimes(1)
    expect(queued()).toEqual([])
  })

  /** A stand-in destination whose actions record their calls, throw, or reject. */
  function fakeDestination(behaviour: Record<string, (payload: unknown) => unknown>) {
    const performed: [string, unknown][] = []
    const actions: RuntimeDestination<unknown, string>['actions'] = {}
    for (const [key, run] of Object.entries(behaviour)) {
      actions[key] = {
        perform: (client, { payload }) => {
          performed.push([`${key}:${client}`, payload])
          return run(payload)
        }
      }
    }
    const definition: RuntimeDestination<unknown, string> = {
      name: 'Fake',
      initialize: async () => 'client',
      actions
    }
    return { definition, performed }
  }

  const sub = (name: string, partnerAction: string, subscribe = 'type = "track"'): Subscription => ({
    name,
    partnerAction,
    subscribe,
    enabled: true,
    mapping: { name: { '@path': '$.event' } }
  })

  it.each([
    [
      'throws',
      () => () => {
        throw new Error('sync failure')
      }
    ],
    ['rejects', () => () => Promise.reject(new Error('async failure'))]
  ])('a perform that %s does not stop the others, nor reject the plugin', async (failure, makeFailure) => {
    const { definition, performed } = fakeDestination({ fails: makeFailure(), works: () => undefined })
    const plugins = await loadPlugins(
      generatePlugins(definition, {
        subscriptions: [sub(`Failing: ${failure}`, 'fails'), sub('Working 1', 'works'), sub('Working 2', 'works')]
      })
    )
    expect(plugins).toHaveLength(2)
    await expect(deliver(plugins, { type: 'track', event: 'E' })).resolves.toBeUndefined()
    expect(performed).toEqual([
      ['fails:client', { name: 'E' }],
      ['works:client', { name: 'E' }],
      ['works:client', { name: 'E' }]
    ])
  })

  it('a failing subscription within one action does not stop the next of the same action', async () => {
    let calls = 0
    const { definition, performed } = fakeDestination({
      act: () => {
        if (++calls === 1) throw new Error('first one fails')
      }
    })
    const plugins = await loadPlugins(
      generatePlugins(definition, { subscriptions: [sub('First fails', 'act'), sub('Second works', 'act')] })
    )
    await expect(deliver(plugins, { type: 'track', event: 'E' })).resolves.toBeUndefined()
    expect(performed).toHaveLength(2)
  })

  it('only performs for matching subscriptions, with each their own mapping', async () => {
    const { definition, performed } = fakeDestination({ act: () => undefined })
    const plugins = await loadPlugins(
      generatePlugins(definition, {
        subscriptions: [
          sub('Tracks', 'act'),
          sub('Pages', 'act', 'type = "page"'),
          { ...sub('Named', 'act', 'event = "E"'), mapping: { id: { '@path': '$.messageId' } } }
        ]
      })
    )
    await deliver(plugins, { type: 'track', event: 'E', messageId: 'm-1' })
    expect(performed).toEqual([
      ['act:client', { name: 'E' }],
      ['act:client', { id: 'm-1' }]
    ])
  })

  it('makes no plugin for actions without enabled subscriptions or a fallback, and only the fallbacks without any', () => {
    const fallbacksOnly = [
      'TikTok Pixel identify',
      'TikTok Pixel eventsApiMatchKeys',
      'TikTok Pixel before observer',
      'TikTok Pixel enrichment observer'
    ]
    const names = (settings: unknown) => generatePlugins(destination, settings as never).map((plugin) => plugin.name)
    expect(names({ pixelCode: PIXEL_CODE, subscriptions: [] })).toEqual(fallbacksOnly)
    expect(names({ pixelCode: PIXEL_CODE })).toEqual(fallbacksOnly)
    expect(names({ pixelCode: PIXEL_CODE, subscriptions: 'nope' })).toEqual(fallbacksOnly)
    expect(
      generatePlugins({ ...destination, fallbackSubscriptions: undefined }, { subscriptions: [] } as never)
    ).toEqual([])
  })
})

describe('on load', () => {
  const subscription = (partnerAction: string, subscribe: string, enabled = true): Subscription => ({
    name: partnerAction,
    partnerAction,
    subscribe,
    enabled,
    mapping: { name: { '@path': '$.userId' } }
  })

  function recordingDestination(
    onLoad: RuntimeDestination<unknown, string>['onLoad'],
    subscriptions = [
      subscription('remember', 'type = "identify"'),
      subscription('other', 'type = "identify"'),
      subscription('enrich', 'type = "identify"')
    ],
    fallbackSubscriptions?: RuntimeSubscription[]
  ) {
    const performed: string[] = []
    const record =
      (key: string) =>
      (client: string, { payload }: { payload: { name?: string } }) =>
        void performed.push(`${key}:${client}:${payload.name}`)
    const definition: RuntimeDestination<unknown, string> = {
      name: 'Fake',
      initialize: async () => 'client',
      actions: {
        remember: { perform: record('remember') },
        other: { perform: record('other') },
        enrich: { perform: record('enrich'), lifecycleHook: 'enrichment' }
      },
      onLoad,
      fallbackSubscriptions
    }
    return { plugins: generatePlugins(definition, { subscriptions } as never), performed }
  }

  it('runs once, after initialize, however many plugins load; what it handles reaches only the action named', async () => {
    const onLoad = jest.fn((client: string, { handle }: { handle: (action: string, event: never) => void }) => {
      handle('remember', { type: 'identify', userId: `known-to-${client}` } as never)
    })
    const { plugins, performed } = recordingDestination(onLoad)
    expect(plugins).toHaveLength(3)
    await loadPlugins(plugins)
    await loadPlugins(plugins)
    expect(onLoad).toHaveBeenCalledTimes(1)
    expect(onLoad).toHaveBeenCalledWith('client', expect.objectContaining({ analytics: fakeAnalytics }))
    expect(performed).toEqual(['remember:client:known-to-client'])

    await deliver(plugins, { type: 'identify', userId: 'page' })
    expect(performed).toEqual([
      'remember:client:known-to-client',
      'remember:client:page',
      'other:client:page',
      'enrich:client:page'
    ])
  })

  it.each(['enrich', 'missing', 'toString', '__proto__'])(
    'hands nothing to %s, no destination action',
    async (action) => {
      const { plugins, performed } = recordingDestination((_client, { handle }) =>
        handle(action, { type: 'identify', userId: 'known' } as never)
      )
      await loadPlugins(plugins)
      expect(performed).toEqual([])
      expect(warnings).not.toHaveBeenCalled()
    }
  )

  it('a hook that throws leaves the destination working, with one warning', async () => {
    const { plugins, performed } = recordingDestination(() => {
      throw new Error('no user')
    })
    await loadPlugins(plugins)
    await deliver(plugins, { type: 'identify', userId: 'page' })
    expect(performed).toEqual(['remember:client:page', 'other:client:page', 'enrich:client:page'])
    expect(warnings).toHaveBeenCalledTimes(1)
  })

  it('runs a fallback subscription only for an action without an enabled subscription', async () => {
    const fallback = (partnerAction: string): RuntimeSubscription => ({
      ...subscription(partnerAction, 'type = "identify"'),
      name: `${partnerAction} fallback`,
      mapping: { name: 'from the fallback' }
    })
    const { plugins, performed } = recordingDestination(
      undefined,
      [subscription('remember', 'type = "identify"'), subscription('enrich', 'type = "identify"', false)],
      [fallback('remember'), fallback('enrich')]
    )
    await loadPlugins(plugins)
    await deliver(plugins, { type: 'identify', userId: 'page' })
    expect(performed).toEqual(['remember:client:page', 'enrich:client:from the fallback'])
  })
})

describe('observe', () => {
  function observingDestination(observe: RuntimeDestination<unknown, string>['observe']) {
    const definition: RuntimeDestination<unknown, string> = {
      name: 'Fake',
      initialize: async () => 'client',
      actions: { act: { perform: () => undefined } },
      observe
    }
    const subscriptions = [{ name: 'act', partnerAction: 'act', subscribe: 'event = "Mapped"', enabled: true }]
    return generatePlugins(definition, { subscriptions } as never)
  }

  it.each(['track', 'page', 'identify', 'group', 'alias', 'screen'])(
    'sees a %s event no subscription matches, before the source middleware and again after it',
    async (type) => {
      const seen: string[] = []
      const plugins = await loadPlugins(
        observingDestination((client, event) => void seen.push(`${client}:${event.type}`))
      )
      const observers = plugins.filter((plugin) => plugin.name.endsWith('observer'))
      expect(observers.map((plugin) => plugin.type)).toEqual(['before', 'enrichment'])
      for (const observer of observers) {
        const context = new Context({ type: type as 'track' })
        // A 'before' plugin returning anything but the context would cancel the event.
        expect(await (observer[type as 'track'] as NonNullable<Plugin['track']>)(context)).toBe(context)
      }
      expect(seen).toEqual([`client:${type}`, `client:${type}`])
    }
  )

  it('a hook that throws never cancels the event, and is reported once', async () => {
    const plugins = await loadPlugins(
      observingDestination(() => {
        throw new Error('event value')
      })
    )
    const before = plugins.find((plugin) => plugin.type === 'before') as Plugin
    const context = new Context({ type: 'track', event: 'Other' })
    expect(await before.track!(context)).toBe(context)
    expect(await before.track!(context)).toBe(context)
    expect(warnings).toHaveBeenCalledTimes(1)
    expect(String(warnings.mock.calls[0])).not.toContain('event value')
  })

  it('adds no observer to a destination that makes no plugin', () => {
    const definition: RuntimeDestination<unknown, string> = {
      name: 'Fake',
      initialize: async () => 'client',
      actions: { act: { perform: () => undefined } },
      observe: () => undefined
    }
    expect(generatePlugins(definition, { subscriptions: [] } as never)).toEqual([])
  })
})

describe('what the runtime reports', () => {
  const fake = (perform: () => unknown): RuntimeDestination<unknown, string> => ({
    name: 'Fake',
    initialize: async () => 'client',
    actions: { act: { perform } }
  })
  const subscription = (name: string, extra: Partial<Subscription> = {}): Subscription => ({
    name,
    partnerAction: 'act',
    subscribe: 'type = "track"',
    enabled: true,
    mapping: { email: { '@path': '$.properties.email' } },
    ...extra
  })
  const event = { type: 'track', event: 'E', properties: { email: 'jane@example.com' } }

  it('prints the class of a foreign error, never its message (which can hold event values)', async () => {
    const plugins = await loadPlugins(
      generatePlugins(
        fake(() => {
          throw new TypeError(`cannot use ${event.properties.email}`)
        }),
        { subscriptions: [subscription('Leaky')] }
      )
    )
    await deliver(plugins, event)
    expect(warnings).toHaveBeenCalledTimes(1)
    expect(String(warnings.mock.calls[0][0])).toBe('[Fake] subscription "Leaky" dropped an event (TypeError)')
  })

  it.each([
    [
      'a mapping directive',
      { mapping: { x: { '@transform': { apply: { a: 1 }, mapping: { b: 1 } } } } },
      '@transform in this form'
    ],
    ['an FQL construct', { subscribe: 'event = "E' }, 'this condition syntax']
  ])('refuses %s it does not implement, naming it, and keeps the others working', async (_, extra, named) => {
    const performed: unknown[] = []
    const plugins = await loadPlugins(
      generatePlugins(
        fake((input?: unknown) => performed.push(input)),
        {
          subscriptions: [subscription('Unsupported', extra as Partial<Subscription>), subscription('Fine')]
        }
      )
    )
    for (let i = 0; i < 3; i++) await deliver(plugins, event)
    expect(performed).toHaveLength(3)
    expect(warnings).toHaveBeenCalledTimes(1)
    expect(String(warnings.mock.calls[0][0])).toBe(
      `[Fake] subscription "Unsupported" is not run: it uses ${named}, which this build does not implement`
    )
  })

  it('stops printing after a bounded number of distinct problems', async () => {
    const subscriptions = Array.from({ length: WARNED_LIMIT + 30 }, (_, i) =>
      subscription(`Broken ${i}`, { subscribe: `x${i}` })
    )
    // A fresh copy of the runtime and its log, so the problems reported here do not use up the other tests' allowance.
    let isolated = generatePlugins
    jest.isolateModules(() => {
      isolated = (jest.requireActual('..') as { generatePlugins: typeof generatePlugins }).generatePlugins
    })
    const plugins = await loadPlugins(
      isolated(
        fake(() => undefined),
        { subscriptions }
      )
    )
    await deliver(plugins, event)
    expect(warnings).toHaveBeenCalledTimes(WARNED_LIMIT)
  })
})

describe('events no subscription matches', () => {
  it.each([
    ['an unknown event', { type: 'track', event: 'Some Other Event', messageId: 'm', properties: { value: 1 } }],
    ['a track without a name', { type: 'track', messageId: 'm', properties: { product_id: 'sku-1' } }],
    ['a group', { type: 'group', messageId: 'm', groupId: 'g' }],
    ['an alias', { type: 'alias', messageId: 'm', userId: 'u-1', previousId: 'a-1' }],
    ['a screen', { type: 'screen', messageId: 'm', name: 'Home' }]
  ])('%s sends nothing', async (_, event) => {
    const plugins = await loadOurs(presetSubscriptions)
    await expect(deliver(plugins, event)).resolves.toBeUndefined()
    await Promise.all(plugins.map((plugin) => plugin.screen?.(new Context(event as never))))
    expect(queued()).toEqual([])
    expect(warnings).not.toHaveBeenCalled()
  })
})

describe('disabled subscriptions and invalid FQL', () => {
  it.each([
    ['enabled: false', { ...addToCart, enabled: false }],
    ['no enabled key', { ...addToCart, enabled: undefined }],
    ['another action', { ...addToCart, partnerAction: 'noSuchAction' }]
  ])('ignores a subscription with %s', async (_, subscription) => {
    const plugins = await loadOurs([subscription])
    await deliver(plugins, productAdded())
    expect(queued()).toEqual([])
  })

  it.each([['event = '], [''], ['((('], ['%%%'], ['foo bar'], ['= "Product Added"'], ['event = "Product Added" or (']])(
    'ignores subscribe %p and keeps the valid subscriptions working',
    async (subscribe) => {
      const plugins = await loadOurs([{ ...addToCart, name: `Invalid ${subscribe}`, subscribe }, addToCart])
      const event = productAdded()
      await expect(deliver(plugins, event)).resolves.toBeUndefined()
      expect(queued()).toEqual([['track', 'AddToCart', expect.any(Object), { event_id: event.messageId }]])
    }
  )

  it.each([[null], ['subscription'], [42], [{ name: 'No action', subscribe: 'type = "track"', enabled: true }]])(
    'skips a subscriptions entry %p',
    async (entry) => {
      const plugins = await loadOurs([entry, addToCart])
      await deliver(plugins, productAdded())
      expect(queued()).toHaveLength(1)
    }
  )
})

describe('settings.subscriptions of the wrong shape', () => {
  let errors: jest.SpyInstance
  beforeEach(() => {
    errors = jest.spyOn(console, 'error').mockImplementation(() => undefined)
  })
  afterEach(() => errors.mockRestore())

  const generated = (subscriptions: unknown): Plugin[] =>
    generatePlugins(destination, { pixelCode: PIXEL_CODE, autoPageView: false, subscriptions } as never)

  it.each([
    ['the JSON text of the list', JSON.stringify([addToCart])],
    ['the list itself', [addToCart]]
  ])('runs the subscriptions given as %s, with no message', async (_, subscriptions) => {
    const plugins = await loadPlugins(generated(subscriptions))
    const event = productAdded()
    await deliver(plugins, event)
    expect(queued()).toEqual([['track', 'AddToCart', expect.any(Object), { event_id: event.messageId }]])
    expect(errors).not.toHaveBeenCalled()
  })

  it.each([
    ['text that is no JSON', '[{"partnerAction": "reportWebEvent"', 'is text that is not a JSON list of subscriptions'],
    ['JSON text of an object', JSON.stringify({ 0: addToCart }), 'is text that is not a JSON list of subscriptions'],
    ['an object', { 0: addToCart }, 'is an object, not a list of subscriptions'],
    ['a number', 42, 'is a number, not a list of subscriptions'],
    ['true', true, 'is a boolean, not a list of subscriptions']
  ])('%s: one console error naming the problem, no mapping runs', async (_, subscriptions, problem) => {
    const plugins = await loadPlugins(generated(subscriptions))
    await deliver(plugins, productAdded())
    expect(queued()).toEqual([])
    expect(errors.mock.calls).toEqual([
      [`[TikTok Pixel] settings.subscriptions ${problem}; no mapping of the workspace runs.`]
    ])
    expect(String(errors.mock.calls[0][0])).not.toContain('Product Added')
  })

  it.each([
    ['not objects', [null, 'subscription', 42, ['x']]],
    [
      'objects without partnerAction, subscribe or enabled',
      [
        { name: 'No action', subscribe: 'type = "track"', enabled: true },
        { ...addToCart, subscribe: undefined },
        { ...addToCart, enabled: 'yes' }
      ]
    ]
  ])('entries that are %s: one console error counting them, the valid ones run', async (_, invalid) => {
    for (const list of [
      [...invalid, addToCart],
      [addToCart, ...invalid]
    ]) {
      resetPage()
      errors.mockClear()
      for (const subscriptions of [list, JSON.stringify(list)]) {
        const plugins = await loadPlugins(generated(subscriptions))
        const event = productAdded()
        await deliver(plugins, event)
        expect(queued()).toEqual([['track', 'AddToCart', expect.any(Object), { event_id: event.messageId }]])
        resetPage()
      }
      expect(errors.mock.calls).toEqual(
        Array(2).fill([
          `[TikTok Pixel] ${invalid.length} of the ${list.length} entries of settings.subscriptions are not subscriptions (objects with partnerAction, subscribe and enabled); they are ignored and the others run.`
        ])
      )
    }
  })

  it('no subscriptions at all: no message, only the fallbacks', () => {
    expect(generated(undefined).map((plugin) => plugin.name)).toEqual(generated([]).map((plugin) => plugin.name))
    expect(errors).not.toHaveBeenCalled()
  })
})

describe('malformed events', () => {
  const everything: unknown[] = [
    ...presetSubscriptions,
    {
      name: 'Identify',
      subscribe: 'type = "identify"',
      partnerAction: 'identify',
      enabled: true,
      mapping: Object.fromEntries(
        Object.entries(destination.actions.identify.fields).map(([key, field]) => [key, field.default])
      )
    },
    {
      ...addToCart,
      name: 'Vehicle cart',
      mapping: { ...addToCart.mapping, event_spec_type: 'vehicle_fields' }
    }
  ]

  function deeplyNested(depth: number): Record<string, unknown> {
    let value: Record<string, unknown> = { leaf: true }
    for (let i = 0; i < depth; i++) value = { a: value, price: value }
    return value
  }

  const circular: Record<string, unknown> = { product_id: 'sku-c' }
  circular.self = circular
  circular.price = circular

  const throwing = Object.defineProperty({}, 'price', {
    enumerable: true,
    get() {
      throw new Error('getter exploded')
    }
  })

  const hostile = new Proxy(
    {},
    {
      get() {
        throw new Error('proxy exploded')
      },
      ownKeys() {
        throw new Error('proxy exploded')
      }
    }
  )

  const polluting = () =>
    JSON.parse(
      '{"__proto__": {"polluted": "yes", "product_id": "evil"}, "constructor": {"prototype": {"polluted": "yes"}},' +
        ' "product_id": "sku-1", "products": [{"__proto__": {"polluted": "yes"}, "product_id": "p-1"}],' +
        ' "email": {"__proto__": {"polluted": "yes"}}, "address": {"__proto__": {"polluted": "yes", "city": "x"}}}'
    )

  const cases: [string, Record<string, unknown>][] = [
    ['null properties', productAdded(null)],
    ['string properties', productAdded('sku-1')],
    ['number properties', productAdded(42)],
    ['array properties', productAdded([{ product_id: 'sku-1' }, null, 'x', [1]])],
    ['products as a string', { ...productAdded(), event: 'Order Completed', properties: { products: 'p1,p2' } }],
    [
      'products with junk items',
      { ...productAdded(), event: 'Order Completed', properties: { products: [null, 7, [], 'x', {}] } }
    ],
    ['__proto__ and constructor keys', productAdded(polluting())],
    ['__proto__ keys in an order', { ...productAdded(polluting()), event: 'Order Completed' }],
    ['__proto__ keys in context traits', { ...productAdded(), context: { traits: polluting() } }],
    ['__proto__ keys in identify traits', { type: 'identify', messageId: 'm', traits: polluting() }],
    ['a deeply nested price', productAdded({ product_id: 'sku-1', price: deeplyNested(20000) })],
    ['deeply nested properties', productAdded(deeplyNested(20000))],
    ['deeply nested traits', { type: 'identify', messageId: 'm', traits: { address: deeplyNested(20000) } }],
    ['a circular product', productAdded(circular)],
    ['a throwing getter', productAdded(throwing)],
    ['a hostile proxy', productAdded(hostile)],
    ['null context', { ...productAdded(), context: null }],
    ['context as a string', { ...productAdded(), context: 'ctx' }],
    ['a numeric event name', { type: 'track', event: 42, properties: {} }],
    ['an object as event name', { type: 'track', event: { name: 'Product Added' }, properties: {} }],
    ['a page without properties', { type: 'page', messageId: null }],
    ['a page with array properties', { type: 'page', properties: [1, 2] }],
    ['no type at all', { event: 'Product Added', properties: {} }],
    ['a huge string', productAdded({ product_id: 'x'.repeat(1_000_000), price: '1'.repeat(400) })],
    ['vehicle fields of the wrong types', productAdded({ product_id: 'v', year: {}, mileage_value: [[1]], make: true })]
  ]

  it.each(cases)('%s: never throws into analytics.js, never pollutes prototypes', async (_, event) => {
    const objectKeys = Object.getOwnPropertyNames(Object.prototype)
    const arrayKeys = Object.getOwnPropertyNames(Array.prototype)
    const plugins = await loadOurs(everything)
    try {
      for (const type of ['track', 'page', 'identify'] as const) {
        const context = new Context(event as never)
        // Every plugin hands analytics.js back the context it was given: the event goes on.
        const results = await Promise.all(plugins.map((plugin) => plugin[type]?.(context)))
        expect(results).toHaveLength(plugins.length)
        for (const result of results) expect(result).toBe(context)
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined()
      expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(objectKeys)
      expect(Object.getOwnPropertyNames(Array.prototype)).toEqual(arrayKeys)
      for (const call of queued()) {
        expect(JSON.stringify(call)).not.toContain('evil')
        expect(Object.getPrototypeOf(call)).toBe(Array.prototype)
      }
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted
      delete (Array.prototype as unknown as Record<string, unknown>).polluted
    }
  })

  it('sends the usable part of an event with __proto__ keys, nothing inherited from them', async () => {
    const plugins = await loadOurs([addToCart])
    const event = { ...productAdded(polluting()), messageId: 'm-proto' }
    await deliver(plugins, event)
    expect(queued()).toEqual([
      ['track', 'AddToCart', { contents: [{ content_id: 'sku-1' }], content_type: 'product' }, { event_id: 'm-proto' }]
    ])
  })
})

describe('differential: our runtime and the stock runtime queue the same calls', () => {
  const user = { userId: 'user-42', anonymousId: 'anon-1', context: { traits: { email: 'Jane@Example.com' } } }
  const product = {
    product_id: '507f1f77bcf86cd799439011',
    sku: 'G-32',
    category: 'Games',
    name: 'Monopoly: 3rd Edition',
    brand: 'Hasbro',
    price: 18.99,
    quantity: 1,
    currency: 'usd',
    value: 18.99
  }
  const products = [
    { product_id: 'p-1', name: 'Uno', price: '3', quantity: '2', category: 'Games' },
    { product_id: 2, name: '', price: null, quantity: 0 },
    null,
    'loose',
    { sku: 'no-id' }
  ]
  const track = (event: string, properties: unknown, extra: Record<string, unknown> = {}) => ({
    type: 'track',
    event,
    messageId: `diff-${event}-${JSON.stringify(properties)?.length ?? 0}`,
    properties,
    ...user,
    ...extra
  })

  const corpus: Record<string, unknown>[] = [
    track('Product Viewed', product),
    track('Product Viewed', { ...product, price: '18.99', quantity: 'one', products }),
    track('Callback Started', { method: 'phone', description: 'Call me' }),
    track('Order Completed', { order_id: 'o-1', revenue: 25, total: 27.5, currency: 'USD', products }),
    track('Order Completed', { order_id: 7, value: '0', revenue: 99, products: [] }),
    track('Download Link Clicked', { file: 'a.pdf' }, { userId: undefined }),
    track('Product Added to Wishlist', { ...product, wishlist_id: 'w-1' }),
    track('Product Added', { ...product, cart_id: 'c-1', quantity: 2, value: 37.98 }),
    track('Product Added', null),
    track('Product Added', 'a string'),
    track('Product Added', [product, product]),
    track('Signed Up', {
      first_name: 'Peter',
      last_name: "O'Brien",
      email: ' PETER@Initech.com ',
      phone: '+1 213 373 4253'
    }),
    track('Checkout Started', { order_id: 'o-2', value: 30, revenue: 25, currency: 'eur', products }),
    track('Payment Info Entered', {
      checkout_id: 'c',
      step: 2,
      payment_method: 'Visa',
      products: products.slice(0, 1)
    }),
    track('Form Submitted', { form_id: 'contact' }, { context: { traits: { phone: '020 7946 0958' } } }),
    track('Subscription Created', { plan: 'pro', value: '9.99', currency: 'gbp' }),
    track('Order Placed', { order_id: 'o-3', shop_id: 's-1', revenue: '42.00', products: { product_id: 'single' } }),
    track('Product Clicked', { ...product, price: 0, quantity: 0 }),
    track('Products Searched', { query: 'blue hotpants', search_string: 'blue hot' }),
    track('Products Searched', { query: ['a', 'b'], description: { text: 'x' } }),
    track('Product Viewed', JSON.parse('{"__proto__": {"product_id": "evil"}, "product_id": "sku-p", "price": "1"}')),
    track('Order Completed', JSON.parse('{"products": [{"__proto__": {"price": 1}, "product_id": "p"}], "value": 1}')),
    track('Some Other Event', product),
    track('Product Viewed', product, { messageId: undefined, userId: 12345 }),
    track('Product Viewed', product, { context: { traits: { email: ['first@x.io', 'second@x.io'] } } }),
    track('Signed Up', {}, { context: { traits: { address: { city: 'New York', postal_code: '10001' } } } }),
    track(
      'Signed Up',
      { address: { city: 'Paris' } },
      { context: { traits: { address: { city: 'Lyon', state: 'ARA' } } } }
    ),
    {
      type: 'page',
      name: 'Home',
      messageId: 'diff-page-1',
      properties: { url: 'http://localhost/', title: 'Home' },
      ...user
    },
    { type: 'page', messageId: 'diff-page-2', anonymousId: 'anon-2', properties: { value: 5, currency: 'usd' } },
    { type: 'page', messageId: 'diff-page-3', properties: null },
    { type: 'identify', messageId: 'diff-identify', userId: 'user-1', traits: { email: 'a@b.co' } },
    { type: 'track', event: 'Product Added', messageId: 'diff-no-props' }
  ]

  /** The calls one runtime queues for `event`, on a fresh page. */
  async function run(
    generate: (subscriptions: Subscription[]) => Plugin[],
    subscriptions: Subscription[],
    event: Record<string, unknown>
  ): Promise<unknown[][]> {
    resetPage()
    const plugins = generate(subscriptions)
    await loadPlugins(plugins)
    const type = event.type as 'track' | 'page' | 'identify'
    // The stock runtime lets a failing perform reject; only what reached the pixel is compared.
    await Promise.all(plugins.map((plugin) => plugin[type]?.(new Context(event as never)))).catch(() => undefined)
    return queued()
  }

  const settings = { pixelCode: PIXEL_CODE, autoPageView: false }
  const ours = (subscriptions: Subscription[]) => generatePlugins(destination, { ...settings, subscriptions })
  // As the stock runtime's factory calls it: the settings carry the subscriptions too.
  const stock = (subscriptions: Subscription[]) =>
    stockGeneratePlugins(destination, { ...settings, subscriptions } as never, subscriptions)

  const withSpecFields = (spec: string): Subscription[] =>
    presetSubscriptions.map((subscription) => ({
      ...subscription,
      mapping: { ...subscription.mapping, event_spec_type: spec }
    }))

  it('has a varied corpus', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30)
  })

  it.each(corpus.map((event, index) => [index, `${event.type} ${event.event ?? ''}`.trim(), event]))(
    'event %i (%s) with the 15 presets',
    async (_, __, event) => {
      const expected = await run(stock, presetSubscriptions, event as Record<string, unknown>)
      const actual = await run(ours, presetSubscriptions, event as Record<string, unknown>)
      expect(actual).toEqual(expected)
    }
  )

  it('sends something for most of the corpus, so the comparison is not vacuous', async () => {
    let sent = 0
    for (const event of corpus) if ((await run(ours, presetSubscriptions, event)).length > 0) sent++
    expect(sent).toBeGreaterThanOrEqual(25)
  })

  it.each(['travel_fields', 'vehicle_fields'])('the corpus with Additional Fields set to %s', async (spec) => {
    const subscriptions = withSpecFields(spec)
    let groupsSent = 0
    const extra = {
      city: 'Lisbon',
      num_adults: '2',
      suggested_hotels: ['h-1'],
      make: 'Tesla',
      year: 2024,
      mileage_value: 1000,
      mileage_unit: 'KM',
      preferred_price_range_min: 1,
      preferred_price_range_max: 2
    }
    for (const event of corpus) {
      const properties = event.properties
      const withExtra =
        properties !== null && typeof properties === 'object' && !Array.isArray(properties)
          ? { ...event, properties: { ...properties, ...extra } }
          : event
      const expected = await run(stock, subscriptions, withExtra)
      const actual = await run(ours, subscriptions, withExtra)
      expect(actual).toEqual(expected)
      if (JSON.stringify(actual).includes(spec === 'travel_fields' ? '"num_adults":2' : '"mileage"')) groupsSent++
    }
    expect(groupsSent).toBeGreaterThanOrEqual(20)
  })
})
