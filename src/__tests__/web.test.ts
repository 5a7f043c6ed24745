/**
 * The browser bundle's entry: the page's definition registered where analytics.js looks for it,
 * with the conditions the runtime needs (the catalog definition is built from the same one).
 */
import { destination } from '..'
import { tiktokPixel } from '../plugin'
import { webDestination } from '../web-destination'

type Fields = Record<string, { depends_on?: unknown }>

describe('web entry (src/web.ts)', () => {
  const globalName = 'tiktok-pixelDestination'

  beforeAll(async () => {
    delete (window as unknown as Record<string, unknown>)[globalName]
    await import('../web')
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
      'TikTok Pixel eventsApiMatchKeys',
      'TikTok Pixel before observer',
      'TikTok Pixel enrichment observer'
    ])
  })
})
