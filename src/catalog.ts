import eventsApiMatchKeys from './eventsApiMatchKeys'
import identify from './identify'
import { DESTINATION_NAME } from './log'
import { presets } from './presets'
import reportWebEvent from './reportWebEvent'
import { settings } from './settings'

/**
 * The catalog entry without its runtime hooks: what Segment's catalog lists (settings, actions,
 * presets, their text) and both entries add `initialize` to, this package's (./index.ts) and the
 * contribution to segmentio/action-destinations (scripts/contribution.ts).
 */
export const catalog = {
  name: DESTINATION_NAME,
  slug: 'actions-tiktok-pixel',
  mode: 'device' as const,
  description:
    "Sends Segment events to TikTok's pixel in the browser: standard e-commerce events, customer data for advanced matching, consent and Limited Data Use.",
  settings,
  presets,
  actions: { reportWebEvent, identify, eventsApiMatchKeys }
}
