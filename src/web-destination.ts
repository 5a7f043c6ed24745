import { fallbackSubscriptions } from './generated-presets'
import { perform as eventsApiMatchKeys } from './eventsApiMatchKeys/perform'
import { perform as identify } from './identify/perform'
import { initialize, onLoad } from './pixel'
import { conditionalFields } from './reportWebEvent/event-spec'
import { perform as reportWebEvent } from './reportWebEvent/perform'

/**
 * The destination as it runs on the page: what the browser bundle and the npm package ship. It
 * leaves the catalog text (labels, descriptions, presets) to `metadata.json`; a test checks that
 * it is the same destination as `src/index.ts`.
 */
export const webDestination = {
  name: 'TikTok Pixel',
  initialize,
  actions: {
    reportWebEvent: { perform: reportWebEvent, fields: conditionalFields },
    identify: { perform: identify },
    eventsApiMatchKeys: { perform: eventsApiMatchKeys, lifecycleHook: 'enrichment' as const }
  },
  onLoad,
  fallbackSubscriptions
}
