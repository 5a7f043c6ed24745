/**
 * What the destination runs with on the workspaces customers have today: Segment's catalog entry
 * (four settings, two actions), the source's CDN settings as analytics.js holds them, and the
 * options a site sets in `integrations: { 'TikTok Pixel': { ... } }`.
 */
import type { Analytics } from '@segment/analytics-next'
import { settings } from '../settings'
import { configure, SETTING_KEYS, siteOptions } from '../workspace'

const PIXEL = 'CD9079RC77U0N3GBV16Y'
const catalogSubscription = {
  name: 'Complete Payment',
  partnerAction: 'reportWebEvent',
  subscribe: 'event = "Order Completed"',
  enabled: true
}

interface Workspace {
  integrations?: Record<string, unknown>
  remotePlugins?: unknown[]
  options?: unknown
}

/** An analytics.js instance as the plugin sees it: its CDN settings and its load options. */
function analyticsOf({ integrations = {}, remotePlugins = [], options }: Workspace = {}): Analytics {
  return {
    settings: { cdnSettings: { integrations: { 'Segment.io': { apiKey: 'key' }, ...integrations }, remotePlugins } },
    options: options === undefined ? {} : { integrations: { 'TikTok Pixel': options } }
  } as unknown as Analytics
}

const settingsOf = (extra: Record<string, unknown> = {}) => ({
  pixelCode: PIXEL,
  subscriptions: [catalogSubscription],
  ...extra
})

let errors: jest.SpyInstance
beforeEach(() => {
  errors = jest.spyOn(console, 'error').mockImplementation(() => undefined)
})
afterEach(() => errors.mockRestore())

describe('the Events API keys', () => {
  it.each([
    ['an entry under its name in events', { 'TikTok Conversions': {} }],
    ['its catalog spelling', { 'Tiktok Conversions': { bundlingStatus: 'unbundled' } }],
    [
      'the cloud-mode list only',
      { 'Segment.io': { apiKey: 'key', unbundledIntegrations: ['Tiktok Conversions', 'Amplitude'] } }
    ]
  ])('are on where the source sends to TikTok Conversions (%s)', (_, integrations) => {
    expect(configure(settingsOf(), analyticsOf({ integrations })).eventsApiMatchKeys).toBe(true)
  })

  it('are off where it does not', () => {
    const integrations = { 'Segment.io': { apiKey: 'key', unbundledIntegrations: ['Amplitude'] }, Amplitude: {} }
    expect(configure(settingsOf(), analyticsOf({ integrations })).eventsApiMatchKeys).toBe(false)
    expect(configure(settingsOf(), undefined).eventsApiMatchKeys).toBe(false)
  })

  it("follow the workspace's own subscription where it has one", () => {
    const withSubscription = (enabled: boolean) =>
      settingsOf({
        subscriptions: [
          catalogSubscription,
          { partnerAction: 'eventsApiMatchKeys', subscribe: 'type = "track"', enabled }
        ]
      })
    expect(configure(withSubscription(true), analyticsOf()).eventsApiMatchKeys).toBe(true)
    const integrations = { 'TikTok Conversions': {} }
    expect(configure(withSubscription(false), analyticsOf({ integrations })).eventsApiMatchKeys).toBe(false)
  })

  it("follow the site's option over the workspace", () => {
    const integrations = { 'TikTok Conversions': {} }
    expect(configure(settingsOf(), analyticsOf({ options: { eventsApiMatchKeys: true } })).eventsApiMatchKeys).toBe(
      true
    )
    expect(
      configure(settingsOf(), analyticsOf({ integrations, options: { eventsApiMatchKeys: false } })).eventsApiMatchKeys
    ).toBe(false)
  })
})

describe('the workspace subscriptions as the runtime reads them', () => {
  it('from the JSON text of the list, as from the list; entries that are no subscription do not count', () => {
    const identify = { name: 'Identify', partnerAction: 'identify', subscribe: 'type = "identify"', enabled: true }
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(configure(settingsOf({ subscriptions: JSON.stringify([identify]) }), analyticsOf()).identify).toBe(true)
    const withoutTrigger = { ...identify, subscribe: undefined }
    expect(configure(settingsOf({ subscriptions: [withoutTrigger] }), analyticsOf()).identify).toBe(false)
    // Reported once, by the runtime, not again here.
    expect(errors).not.toHaveBeenCalled()
    errors.mockRestore()
  })
})

describe('the known customer (Identify)', () => {
  it("runs with the workspace's Identify mapping, and not without one unless the site asks", () => {
    expect(configure(settingsOf(), analyticsOf()).identify).toBe(false)
    const mapped = settingsOf({
      subscriptions: [{ partnerAction: 'identify', subscribe: 'type = "identify"', enabled: true }]
    })
    expect(configure(mapped, analyticsOf()).identify).toBe(true)
    expect(configure(settingsOf(), analyticsOf({ options: { identify: true } })).identify).toBe(true)
    expect(configure(mapped, analyticsOf({ options: { identify: false } })).identify).toBe(false)
  })
})

describe('consent', () => {
  const managed = (categories: string[], creationName = 'TikTok Pixel') => ({
    integrations: { [creationName]: { pixelCode: PIXEL, consentSettings: { categories } } },
    remotePlugins: [{ name: 'TikTok Pixel', creationName, settings: { pixelCode: PIXEL } }]
  })

  it('is not checked without Consent Management, a setting or an option', () => {
    expect(configure(settingsOf(), analyticsOf()).consentCategories).toBeUndefined()
  })

  it("takes the categories Consent Management maps to the destination, as analytics.js merged them or from the source's entry", () => {
    const merged = settingsOf({ consentSettings: { categories: ['C0004', 'Marketing'] } })
    expect(configure(merged, analyticsOf()).consentCategories).toEqual(['C0004', 'Marketing'])
    // Keyed by another creation name, analytics.js merges nothing: found through the remote plugin.
    const renamed = managed(['Advertising'], 'TikTok Pixel (Shop)')
    expect(configure(settingsOf(), analyticsOf(renamed)).consentCategories).toEqual(['Advertising'])
    // Another pixel's entry is not this one's.
    expect(configure(settingsOf({ pixelCode: 'OTHER' }), analyticsOf(renamed)).consentCategories).toBeUndefined()
  })

  it('follows the Consent Category setting over Consent Management, and the option over both', () => {
    const workspace = managed(['Advertising', 'Analytics'])
    const setting = settingsOf({ consentCategory: ' Marketing ' })
    expect(configure(setting, analyticsOf(workspace)).consentCategories).toEqual(['Marketing'])
    const option = { consentCategories: ['Ads', 'Functional'] }
    expect(configure(setting, analyticsOf({ ...workspace, options: option })).consentCategories).toEqual([
      'Ads',
      'Functional'
    ])
    expect(
      configure(setting, analyticsOf({ ...workspace, options: { consentCategories: [] } })).consentCategories
    ).toBeUndefined()
  })
})

describe("the site's options", () => {
  it('are read from analytics.js load options, whether or not the CDN lists the destination', () => {
    expect(siteOptions(analyticsOf({ options: { identify: true, eventsApiMatchKeys: false } }))).toEqual({
      identify: true,
      eventsApiMatchKeys: false
    })
    expect(siteOptions(analyticsOf({ options: true }))).toEqual({})
    expect(siteOptions(undefined)).toEqual({})
    expect(errors).not.toHaveBeenCalled()
  })

  it('report each invalid or unknown option once, by name, and keep the rest', () => {
    const options = {
      identify: 'yes',
      consentCategories: 'Advertising',
      eventsApiMatchKey: true,
      eventsApiMatchKeys: true,
      ldu: true
    }
    expect(siteOptions(analyticsOf({ options }))).toEqual({ eventsApiMatchKeys: true })
    expect(errors).toHaveBeenCalledTimes(3)
    const messages = errors.mock.calls.map(([message]) => message as string)
    expect(messages[0]).toMatch(/\[TikTok Pixel\] the option identify must be true or false/)
    expect(messages[1]).toMatch(/the option consentCategories must be a list of category names/)
    expect(messages[2]).toMatch(/unknown option eventsApiMatchKey/)
  })
})

it('knows every catalog setting, which analytics.js merges into the same object as the options', () => {
  expect([...SETTING_KEYS].sort()).toEqual(Object.keys(settings).sort())
})

describe('CDN settings of an unexpected shape', () => {
  it('leave the catalog settings working: no throw, no Events API keys, no consent found', () => {
    const odd = {
      settings: {
        cdnSettings: { integrations: { 'Segment.io': { unbundledIntegrations: 'Tiktok' } }, remotePlugins: {} }
      },
      options: null
    } as unknown as Analytics
    expect(configure(settingsOf(), odd)).toEqual({
      consentCategories: undefined,
      eventsApiMatchKeys: false,
      identify: false
    })
  })
})
