/**
 * The enrichment through our runtime, as analytics.js runs it: an enrichment plugin whose
 * returned context carries the keys, with the click kept in analytics.js storage.
 */
import { Context, UniversalStorage, type Analytics, type Store } from '@segment/analytics-next'
import { destination } from '../..'
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

async function enrichmentPlugin(store: Store, settings: Record<string, unknown> = {}) {
  const subscriptions = subscriptionsOf(presets.filter((preset) => preset.partnerAction === 'eventsApiMatchKeys'))
  const [plugin] = generatePlugins(destination, { pixelCode: PIXEL_CODE, ...settings, subscriptions } as never)
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
  expect(store.values.get(STORAGE_KEY)).toEqual({ ttclid: CLICK, at: expect.any(Number) })

  window.history.replaceState(null, '', '/next-page')
  const page = await plugin.page!(new Context({ type: 'page', integrations: { Other: true } }))
  expect(page.event.integrations).toEqual({ Other: true, 'TikTok Conversions': { ttclid: CLICK, ttp: 'cookie-value' } })
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

it('reads the cookie again at most once a second: a burst of events shares one read', async () => {
  const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 0, 10))
  try {
    document.cookie = '_ttp=first'
    const plugin = await enrichmentPlugin(memoryStore())
    const ttp = async () =>
      (
        (await plugin.track!(new Context({ type: 'track', event: 'E' }))).event.integrations?.[
          'TikTok Conversions'
        ] as {
          ttp?: string
        }
      )?.ttp
    expect(await ttp()).toBe('first')
    document.cookie = '_ttp=second'
    clock.mockReturnValue(Date.UTC(2026, 0, 10) + 999)
    expect(await ttp()).toBe('first')
    clock.mockReturnValue(Date.UTC(2026, 0, 10) + 1000)
    expect(await ttp()).toBe('second')
  } finally {
    clock.mockRestore()
  }
})
