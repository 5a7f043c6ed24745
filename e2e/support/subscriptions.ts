/** The subscriptions (mappings) the test shops give the destination, as Segment's settings deliver them. */
import fs from 'node:fs'
import { METADATA_JSON } from '../../devkit/paths'
import { enabledSubscriptions, type Preset, type Subscription } from '../../devkit/subscriptions'

export type { Preset, Subscription }

export function loadPresets(metadataPath: string = process.env.E2E_METADATA || METADATA_JSON): Preset[] {
  if (!fs.existsSync(metadataPath)) {
    throw new Error(
      `metadata.json not found at ${metadataPath}: run \`npm run build\` (or \`npm run generate\`) first.`
    )
  }
  const metadata = JSON.parse(fs.readFileSync(metadataPath, 'utf8')) as { presets?: Preset[] }
  if (!Array.isArray(metadata.presets)) throw new Error(`${metadataPath} has no "presets" array`)
  return metadata.presets
}

/** The presets as enabled subscriptions. */
export function presetSubscriptions(metadataPath?: string): Subscription[] {
  return enabledSubscriptions(loadPresets(metadataPath))
}

/** The Segment event `drain()` sends, and the TikTok event the destination turns it into. */
export const MARKER_EVENT = 'E2E Marker'
export const MARKER_TIKTOK_EVENT = 'E2EMarker'

/**
 * Every test shop's destination is subscribed to the marker too: sent through the same queue as
 * the events under test, its arrival proves that whatever was sent before it has arrived.
 */
export const markerSubscription: Subscription = {
  name: MARKER_EVENT,
  subscribe: `event = "${MARKER_EVENT}"`,
  partnerAction: 'reportWebEvent',
  enabled: true,
  mapping: { event: MARKER_TIKTOK_EVENT, event_id: { '@path': '$.messageId' } }
}
