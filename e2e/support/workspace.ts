/**
 * A Segment source as customers have it today, as the shop's CDN settings: Segment's own TikTok
 * Pixel catalog entry (its four settings, and the fifteen subscriptions its presets create, stored
 * as Segment stores them, from the latest release in fixtures/segment-saved-subscriptions.json),
 * with or without Segment's TikTok Conversions (cloud mode) and Consent Management.
 */
import savedReleases from '../../src/__tests__/fixtures/segment-saved-subscriptions.json'
import { PIXEL_CODE, WRITE_KEY, type ShopOptions } from './harness'
import type { Subscription } from './subscriptions'

export interface WorkspaceOptions {
  /** The source also sends to Segment's TikTok Conversions (cloud mode, catalog spelling). */
  eventsApi?: boolean
  /** Consent Management maps these categories to TikTok Pixel. */
  consentCategories?: string[]
  /** The site's `integrations: { 'TikTok Pixel': options }` in analytics.js's load options. */
  options?: Record<string, unknown>
  /** The CDN lists no `TikTok Pixel` entry in `integrations` (analytics.js then merges no options). */
  withoutIntegrationEntry?: boolean
}

/** The catalog entry's settings as the Segment app saves them: its four, at their defaults. */
export const CATALOG_SETTINGS = { pixelCode: PIXEL_CODE, ldu: false, autoPageView: true, useExistingPixel: false }

const latest = (savedReleases as unknown as { subscriptions: Subscription[] }[]).at(-1)
/** What the presets create: the fifteen Report Web Event subscriptions, each with the ID Segment gives it. */
export const CATALOG_SUBSCRIPTIONS: Subscription[] = (latest?.subscriptions ?? [])
  .filter((subscription) => subscription.partnerAction === 'reportWebEvent')
  .map((subscription, index) => ({ id: `sub${String(index + 1).padStart(2, '0')}`, ...subscription }))

/** Harness options for a shop on this workspace; Segment.io stays as the harness sets it. */
export function todaysWorkspace({
  eventsApi = false,
  consentCategories,
  options,
  withoutIntegrationEntry = false
}: WorkspaceOptions = {}): ShopOptions {
  const eventsApiName = 'Tiktok Conversions'
  const pixelEntry = {
    ...CATALOG_SETTINGS,
    versionSettings: { componentTypes: [] },
    ...(consentCategories && { consentSettings: { categories: consentCategories } })
  }
  return {
    settings: CATALOG_SETTINGS,
    subscriptions: CATALOG_SUBSCRIPTIONS,
    cdnSettings: {
      integrations: {
        'Segment.io': {
          apiKey: WRITE_KEY,
          unbundledIntegrations: eventsApi ? [eventsApiName] : [],
          addBundledMetadata: true,
          maybeBundledConfigIds: {},
          versionSettings: { version: '4.4.7', componentTypes: ['browser'] }
        },
        ...(!withoutIntegrationEntry && { 'TikTok Pixel': pixelEntry }),
        ...(eventsApi && {
          [eventsApiName]: { versionSettings: { componentTypes: ['server'] }, bundlingStatus: 'unbundled' }
        })
      },
      ...(consentCategories && {
        consentSettings: { allCategories: consentCategories, hasUnmappedDestinations: false }
      })
    },
    loadOptions: options && { integrations: { 'TikTok Pixel': options } }
  }
}
