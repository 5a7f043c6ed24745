/**
 * The enrichment through our runtime, as analytics.js runs it: an enrichment plugin whose
 * returned context carries the keys, with the click kept in analytics.js storage.
 */
import { Context, UniversalStorage, type Analytics, type Plugin, type Store } from '@segment/analytics-next'
import { webDestination } from '../../web-destination'
import { presets } from '../../presets'
import { generatePlugins } from '../../runtime'
import { PIXEL_CODE, resetPage, subscriptionsOf } from '../../__tests__/support/page'
import { STORAGE_KEY } from '../match-keys'

const CLICK = 'E.C.P.landing'

function memoryStore(): Store & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>()
  return {
    values,
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
    remove: (key) => void values.delete(key)
  }
}

/** The enrichment plugin as the web bundle ships it, loaded. */
async function enrichmentPlugin(store: Store, settings: Record<string, unknown> = {}) {
  const subscriptions = subscriptionsOf(presets.filter((preset) => preset.partnerAction === 'eventsApiMatchKeys'))
  const plugins = generatePlugins(webDestination, { pixelCode: PIXEL_CODE, ...settings, subscriptions } as never)
  const plugin = plugins.find((candidate) => candidate.type === 'enrichment') as Plugin
  const analytics = { storage: new UniversalStorage([store]) } as unknown as Analytics
  await plugin.load(new Context({ type: 'track' }), analytics)
  return plugin
}

beforeEach(() => {
  resetPage()
  document.cookie = '_ttp=; expires=Thu, 01 Jan 1970 00:00:00 GMT'
})

it('is an enrichment plugin returning the enriched context, the click stored', async () => {
  window.history.replaceState(null, '', `/landing?ttclid=${CLICK}`)
  document.cookie = '_ttp=cookie-value'
  const store = memoryStore()
  const plugin = await enrichmentPlugin(store)
  expect(plugin.type).toBe('enrichment')

  const result = await plugin.track!(new Context({ type: 'track', event: 'Order Completed' }))
  expect(result.event.integrations).toEqual({ 'TikTok Conversions': { ttclid: CLICK, ttp: 'cookie-value' } })
  expect(store.values.get(STORAGE_KEY)).toEqual({ clicks: [{ ttclid: CLICK, at: expect.any(Number) }] })

  window.history.replaceState(null, '', '/next-page')
  const page = await plugin.page!(new Context({ type: 'page', integrations: { Other: true } }))
  expect(page.event.integrations).toEqual({ Other: true, 'TikTok Conversions': { ttclid: CLICK, ttp: 'cookie-value' } })
})

it.each([
  [{ 'TikTok Conversions': true }, { 'TikTok Conversions': { ttclid: CLICK } }],
  [{ 'TikTok Conversions': { region: 'eu' } }, { 'TikTok Conversions': { region: 'eu', ttclid: CLICK } }]
])('writes the keys into integrations %j as context.updateEvent would', async (integrations, expected) => {
  const viaUpdateEvent = new Context({
    type: 'track',
    event: 'A',
    integrations: JSON.parse(JSON.stringify(integrations))
  })
  viaUpdateEvent.updateEvent('integrations.TikTok Conversions.ttclid', CLICK)
  window.history.replaceState(null, '', `/?ttclid=${CLICK}`)
  const plugin = await enrichmentPlugin(memoryStore())
  const result = await plugin.track!(new Context({ type: 'track', event: 'A', integrations }))
  expect(result.event.integrations).toEqual(expected)
  expect(result.event.integrations).toEqual(viaUpdateEvent.event.integrations)
})

it.each([
  ['reused', (value: Record<string, unknown>) => value],
  ['frozen', (value: Record<string, unknown>) => Object.freeze(value)]
])('leaves the integrations objects the site passed as they were (%s)', async (_, prepare) => {
  window.history.replaceState(null, '', `/?ttclid=${CLICK}`)
  document.cookie = '_ttp=first'
  const conversions = prepare({ region: 'eu' })
  const integrations = prepare({ Other: true, 'TikTok Conversions': conversions }) as Record<
    string,
    Record<string, unknown>
  >
  const plugin = await enrichmentPlugin(memoryStore())
  const first = await plugin.track!(new Context({ type: 'track', event: 'A', integrations }))
  expect(first.event.integrations).toEqual({
    Other: true,
    'TikTok Conversions': { region: 'eu', ttclid: CLICK, ttp: 'first' }
  })
  expect(integrations).toEqual({ Other: true, 'TikTok Conversions': { region: 'eu' } })
  expect(integrations['TikTok Conversions']).toBe(conversions)

  // The same options on a later event, after the cookie changed: the current value, not the first.
  document.cookie = '_ttp=second'
  // Past the second a cookie value read is kept.
  const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 5000)
  const later = await plugin.track!(new Context({ type: 'track', event: 'B', integrations }))
  clock.mockRestore()
  expect(later.event.integrations?.['TikTok Conversions']).toEqual({ region: 'eu', ttclid: CLICK, ttp: 'second' })
  expect(conversions).toEqual({ region: 'eu' })
})

it('needs no pixel: works when window.ttq belongs to another script', async () => {
  ;(window as unknown as { ttq: unknown }).ttq = { not: 'tiktok' }
  jest.spyOn(console, 'error').mockImplementation(() => undefined)
  window.history.replaceState(null, '', `/?ttclid=${CLICK}`)
  const plugin = await enrichmentPlugin(memoryStore())
  const result = await plugin.identify!(new Context({ type: 'identify', userId: 'u1' }))
  expect(result.event.integrations).toEqual({ 'TikTok Conversions': { ttclid: CLICK } })
})

it('forgets the click when the consent category is revoked', async () => {
  window.history.replaceState(null, '', `/?ttclid=${CLICK}`)
  const store = memoryStore()
  const plugin = await enrichmentPlugin(store, { consentCategory: 'Advertising' })
  const granted = { context: { consent: { categoryPreferences: { Advertising: true } } } }
  await plugin.track!(new Context({ type: 'track', event: 'A', ...granted }))
  expect(store.values.has(STORAGE_KEY)).toBe(true)

  const revoked = { context: { consent: { categoryPreferences: { Advertising: false } } } }
  const result = await plugin.track!(new Context({ type: 'track', event: 'B', ...revoked }))
  expect(result.event.integrations).toBeUndefined()
  expect(store.values.has(STORAGE_KEY)).toBe(false)
})

async function ttpOfNextEvent(plugin: Plugin): Promise<string | undefined> {
  const result = await plugin.track!(new Context({ type: 'track', event: 'E' }))
  return (result.event.integrations?.['TikTok Conversions'] as { ttp?: string } | undefined)?.ttp
}

describe('the _ttp cookie', () => {
  const START = Date.UTC(2026, 0, 10)
  let clock: jest.SpyInstance<number, []>
  beforeEach(() => {
    clock = jest.spyOn(Date, 'now').mockReturnValue(START)
  })
  afterEach(() => clock.mockRestore())

  it('found is read again at most once a second: a burst of events shares one read', async () => {
    document.cookie = '_ttp=first'
    const plugin = await enrichmentPlugin(memoryStore())
    expect(await ttpOfNextEvent(plugin)).toBe('first')
    document.cookie = '_ttp=second'
    clock.mockReturnValue(START + 999)
    expect(await ttpOfNextEvent(plugin)).toBe('first')
    clock.mockReturnValue(START + 1000)
    expect(await ttpOfNextEvent(plugin)).toBe('second')
  })

  it("missing is looked up again on the next event, however soon: TikTok's script sets it at any moment", async () => {
    const plugin = await enrichmentPlugin(memoryStore())
    expect(await ttpOfNextEvent(plugin)).toBeUndefined()
    document.cookie = '_ttp=set-by-events-js'
    expect(await ttpOfNextEvent(plugin)).toBe('set-by-events-js')
  })
})

describe('where cookies cannot be read (a sandboxed iframe)', () => {
  it('still attaches the click when document.cookie throws', async () => {
    window.history.replaceState(null, '', `/?ttclid=${CLICK}`)
    const cookie = jest.spyOn(document, 'cookie', 'get').mockImplementation(() => {
      throw new DOMException('The document is sandboxed', 'SecurityError')
    })
    try {
      const plugin = await enrichmentPlugin(memoryStore())
      const result = await plugin.track!(new Context({ type: 'track', event: 'Order Completed' }))
      expect(result.event.integrations).toEqual({ 'TikTok Conversions': { ttclid: CLICK } })
    } finally {
      cookie.mockRestore()
    }
  })
})

describe('two pixels with different consent categories, one analytics.js', () => {
  const answers = (Advertising: boolean, Marketing: boolean) => ({
    context: { consent: { categoryPreferences: { Advertising, Marketing } } }
  })

  /** Both destinations loaded on one analytics.js; events go through their plugins as analytics.js runs them. */
  async function twoPixels(store: Store, categories: string[]) {
    const analytics = { storage: new UniversalStorage([store]) } as unknown as Analytics
    const subscriptions = subscriptionsOf(presets.filter((preset) => preset.partnerAction === 'eventsApiMatchKeys'))
    const plugins = categories.flatMap((category, index) =>
      generatePlugins(webDestination, {
        pixelCode: `${PIXEL_CODE}${index}`,
        consentCategory: category,
        subscriptions
      } as never)
    )
    await Promise.all(plugins.map((plugin) => plugin.load(new Context({ type: 'track' }), analytics)))
    return async (event: Record<string, unknown>): Promise<Context> => {
      let context = new Context({ type: 'track', event: 'E', ...event })
      for (const type of ['before', 'enrichment'])
        for (const plugin of plugins.filter((candidate) => candidate.type === type))
          context = await plugin.track!(context)
      return context
    }
  }

  it.each([[['Advertising', 'Marketing']], [['Marketing', 'Advertising']]])(
    'in the order %j: one refusal keeps the click for the other; refused by both, it is forgotten',
    async (categories) => {
      window.history.replaceState(null, '', `/?ttclid=${CLICK}`)
      const store = memoryStore()
      const send = await twoPixels(store, categories)
      await send(answers(true, true))
      window.history.replaceState(null, '', '/next-page')

      const advertisingRefused = await send(answers(false, true))
      expect(advertisingRefused.event.integrations).toEqual({ 'TikTok Conversions': { ttclid: CLICK } })
      expect(store.values.get(STORAGE_KEY)).toEqual({ clicks: [{ ttclid: CLICK, at: expect.any(Number) }] })

      const bothRefused = await send(answers(false, false))
      expect(bothRefused.event.integrations).toBeUndefined()
      expect(store.values.has(STORAGE_KEY)).toBe(false)
    }
  )
})
