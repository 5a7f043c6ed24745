/**
 * The browser bundle and the package must be the same destination as the full definition, minus the
 * catalog text: same name, initialize and performs, and every `depends_on` the runtime needs.
 */
import { destination } from '..'
import { tiktokPixel } from '../plugin'
import { webDestination } from '../web-destination'

type Fields = Record<string, { depends_on?: unknown }>

/** `{ key: { depends_on } }` for the fields of `fields` that have one. */
function dependsOnOf(fields: Fields | undefined): Fields {
  return Object.fromEntries(
    Object.entries(fields ?? {})
      .filter(([, field]) => field.depends_on !== undefined)
      .map(([key, field]) => [key, { depends_on: field.depends_on }])
  )
}

describe('web entry (src/web.ts)', () => {
  const globalName = 'tiktok-pixelDestination'

  beforeAll(async () => {
    delete (window as unknown as Record<string, unknown>)[globalName]
    await import('../web')
  })

  it('has the same name, initialize, load hook and fallback subscriptions', () => {
    expect(webDestination.name).toBe(destination.name)
    expect(webDestination.initialize).toBe(destination.initialize)
    expect(webDestination.onLoad).toBe(destination.onLoad)
    expect(webDestination.fallbackSubscriptions).toBe(destination.fallbackSubscriptions)
  })

  it('has the same actions with the same perform functions and lifecycle hooks', () => {
    expect(Object.keys(webDestination.actions).sort()).toEqual(Object.keys(destination.actions).sort())
    for (const [key, action] of Object.entries(destination.actions)) {
      const webAction = (webDestination.actions as Record<string, { perform: unknown; lifecycleHook?: string }>)[key]
      expect(webAction.perform).toBe(action.perform)
      expect(webAction.lifecycleHook).toBe(action.lifecycleHook)
    }
  })

  it.each(Object.keys(destination.actions))("ships exactly the depends_on of %s's fields", (key) => {
    const full = dependsOnOf(destination.actions[key].fields as Fields)
    const shipped = (webDestination.actions as Record<string, { fields?: Fields }>)[key].fields ?? {}
    expect(shipped).toEqual(full)
  })

  it('ships the travel and vehicle conditions, so the groups are resolved only when selected', () => {
    const fields = webDestination.actions.reportWebEvent.fields as Fields
    expect(Object.keys(fields).sort()).toEqual(['travel_fields', 'vehicle_fields'])
    expect(fields.travel_fields.depends_on).toEqual({
      conditions: [{ fieldKey: 'event_spec_type', operator: 'is', value: 'travel_fields' }]
    })
  })

  it(`registers the plugin factory as window['${globalName}']`, () => {
    const factory = (window as unknown as Record<string, unknown>)[globalName] as {
      (settings: unknown): unknown
      pluginName: string
    }
    expect(factory).toBe(tiktokPixel)
    expect(factory.pluginName).toBe(destination.name)
  })

  it('makes plugins named after the destination from the settings analytics.js hands it', () => {
    const factory = (window as unknown as Record<string, (settings: unknown) => { name: string }[]>)[globalName]
    const plugins = factory({
      pixelCode: 'CD9079RC77U0N3GBV16Y',
      subscriptions: [
        {
          name: 'Cart',
          subscribe: 'event = "Product Added"',
          partnerAction: 'reportWebEvent',
          enabled: true,
          mapping: {}
        },
        { name: 'Identify', subscribe: 'type = "identify"', partnerAction: 'identify', enabled: true, mapping: {} }
      ]
    })
    // The Events API keys run from the package's own preset where the workspace has none.
    expect(plugins.map((plugin) => plugin.name)).toEqual([
      'TikTok Pixel reportWebEvent',
      'TikTok Pixel identify',
      'TikTok Pixel eventsApiMatchKeys'
    ])
  })
})
