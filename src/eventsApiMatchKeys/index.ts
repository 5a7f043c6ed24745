import type { BrowserActionDefinition } from '@segment/browser-destination-runtime/types'
import type { Settings } from '../generated-types'
import type { PixelClient } from '../pixel'
import { onPage } from './perform'

const eventsApiMatchKeys: BrowserActionDefinition<Settings, PixelClient, Record<string, never>> = {
  title: 'Click ID and Cookie for the Events API',
  description:
    "Adds TikTok's click ID (ttclid, remembered for 7 days from the ad click) and the _ttp cookie to every event under integrations['TikTok Conversions'], where Segment's TikTok Conversions (Events API) destination reads them by default to match server events to ads. Runs before the destinations, never overwrites values already there, skips events that turn TikTok Conversions off, and follows the Consent Category setting.",
  platform: 'web',
  defaultSubscription: 'type = "track" or type = "page" or type = "identify" or type = "group" or type = "alias"',
  fields: {},
  ...onPage
}

export default eventsApiMatchKeys
