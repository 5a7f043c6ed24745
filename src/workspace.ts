import type { Analytics } from '@segment/analytics-next'
import type { Settings } from './generated-types'
import { DESTINATION_NAME, LOG_PREFIX } from './log'
import { isRecord, text } from './normalize'
import type { TikTokPixelOptions } from './options'
import { savedSubscriptions, type Subscription } from './runtime'

/**
 * What the destination runs with beyond its catalog settings. Segment's catalog entry for TikTok
 * Pixel holds four settings and two actions, so what this package adds comes from what analytics.js
 * already knows of the source (its CDN settings) and from what the site sets in code, analytics.js's
 * own way: `analytics.load(..., { integrations: { 'TikTok Pixel': options } })`. The site's option
 * wins over the workspace.
 */

/** Segment's TikTok Conversions (Events API) destination: its name in events, then its catalog spelling. */
export const EVENTS_API_NAMES = ['TikTok Conversions', 'Tiktok Conversions'] as const

export interface Configuration {
  /** Categories that must all be granted; undefined when consent is not checked. */
  consentCategories: string[] | undefined
  eventsApiMatchKeys: boolean
  identify: boolean
}

/**
 * What is read here of the source's CDN settings (`analytics.settings.cdnSettings`, analytics-next
 * 1.70 and later), typed by its shape so that this module also compiles against older
 * analytics-next types, such as the 1.53 that segmentio/action-destinations builds with.
 */
interface SourceSettings {
  integrations?: Record<
    string,
    { unbundledIntegrations?: unknown; consentSettings?: { categories?: unknown } } | undefined
  >
  remotePlugins?: unknown
}

const sourceSettings = (analytics: Analytics | undefined): SourceSettings | undefined =>
  (analytics as unknown as { settings?: { cdnSettings?: SourceSettings } } | undefined)?.settings?.cdnSettings

/** The settings analytics.js hands the factory: the workspace's, with whatever it merged into them. */
type FactorySettings = Settings & { subscriptions?: unknown; consentSettings?: { categories?: unknown } }

const optionChecks: { [K in keyof TikTokPixelOptions]-?: [(value: unknown) => boolean, string] } = {
  eventsApiMatchKeys: [(value) => typeof value === 'boolean', 'true or false'],
  identify: [(value) => typeof value === 'boolean', 'true or false'],
  consentCategories: [
    (value) => Array.isArray(value) && value.every((category) => text(category) !== undefined),
    'a list of category names'
  ]
}

/** Settings analytics.js merges the same object into; not options, and not to be reported as unknown. */
export const SETTING_KEYS = ['pixelCode', 'ldu', 'autoPageView', 'consentCategory', 'useExistingPixel']

/** The site's valid options; each invalid or unknown one is reported once and ignored. */
export function siteOptions(analytics: Analytics | undefined): TikTokPixelOptions {
  const given: unknown = analytics?.options?.integrations?.[DESTINATION_NAME]
  if (!isRecord(given)) return {}
  const options: Record<string, unknown> = {}
  const keys = Object.keys(given)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
    const check = optionChecks[key as keyof TikTokPixelOptions]
    if (check?.[0](given[key])) options[key] = given[key]
    else if (check) console.error(`${LOG_PREFIX} the option ${key} must be ${check[1]}; it is ignored.`, given[key])
    else if (!SETTING_KEYS.includes(key)) console.error(`${LOG_PREFIX} unknown option ${key}; it is ignored.`)
  }
  return options
}

/** The workspace's subscriptions as the runtime reads them (which reports settings of the wrong shape). */
function subscriptionsOf(settings: FactorySettings): Subscription[] {
  return savedSubscriptions(DESTINATION_NAME, settings.subscriptions, false)
}

/** The workspace's answer for an action: on with an enabled subscription, off with only disabled ones. */
function workspaceRuns(settings: FactorySettings, action: string): boolean | undefined {
  const saved = subscriptionsOf(settings).filter((subscription) => subscription.partnerAction === action)
  return saved.length === 0 ? undefined : saved.some((subscription) => subscription.enabled)
}

function categoriesIn(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined
  const categories = value.map((category) => text(category)).filter((category) => category !== undefined)
  return categories.length > 0 ? categories : undefined
}

/**
 * The categories Segment's Consent Management maps to this destination: in the settings when
 * analytics.js merged its workspace entry, else that entry in the CDN settings, found by the
 * remote plugin carrying this pixel code (`integrations` is keyed by the destination's creation name).
 */
function workspaceCategories(settings: FactorySettings, analytics: Analytics | undefined): string[] | undefined {
  const merged = categoriesIn(settings.consentSettings?.categories)
  if (merged) return merged
  const cdn = sourceSettings(analytics)
  const remotePlugins: unknown = cdn?.remotePlugins
  if (!Array.isArray(remotePlugins)) return undefined
  const plugin: unknown = remotePlugins.find(
    (candidate) =>
      isRecord(candidate) &&
      candidate.name === DESTINATION_NAME &&
      isRecord(candidate.settings) &&
      candidate.settings.pixelCode === settings.pixelCode
  )
  const creationName = isRecord(plugin) ? plugin.creationName : undefined
  return typeof creationName === 'string'
    ? categoriesIn(cdn?.integrations?.[creationName]?.consentSettings?.categories)
    : undefined
}

/** Whether the source sends to Segment's TikTok Conversions: an entry in its CDN settings, cloud-mode ones included. */
function sendsToEventsApi(analytics: Analytics | undefined): boolean {
  const integrations = sourceSettings(analytics)?.integrations
  if (!isRecord(integrations)) return false
  const unbundled: unknown = integrations['Segment.io']?.unbundledIntegrations
  return EVENTS_API_NAMES.some((name) => name in integrations || (Array.isArray(unbundled) && unbundled.includes(name)))
}

/** What the destination runs with, from its settings, the source's CDN settings and the site's options. */
export function configure(settings: FactorySettings, analytics: Analytics | undefined): Configuration {
  const options = siteOptions(analytics)
  const category = text(settings.consentCategory)
  return {
    consentCategories:
      options.consentCategories !== undefined
        ? categoriesIn(options.consentCategories)
        : category
          ? [category]
          : workspaceCategories(settings, analytics),
    eventsApiMatchKeys:
      options.eventsApiMatchKeys ?? workspaceRuns(settings, 'eventsApiMatchKeys') ?? sendsToEventsApi(analytics),
    identify: options.identify ?? workspaceRuns(settings, 'identify') ?? false
  }
}

const configurations = new WeakMap<object, Configuration>()

/** `configure`, once per destination instance: analytics.js hands every plugin of it the same settings object. */
export function configurationOf(settings: FactorySettings, analytics: Analytics | undefined): Configuration {
  let configuration = configurations.get(settings)
  if (configuration) return configuration
  try {
    configuration = configure(settings, analytics)
  } catch (error) {
    // Settings analytics.js should never hold: the catalog settings alone, and the package's presets off.
    console.error(`${LOG_PREFIX} could not read the source's settings; the catalog settings alone apply.`, error)
    const category = text(settings.consentCategory)
    configuration = { consentCategories: category ? [category] : undefined, eventsApiMatchKeys: false, identify: false }
  }
  configurations.set(settings, configuration)
  return configuration
}
