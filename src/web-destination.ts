import type { Analytics, SegmentEvent } from '@segment/analytics-next'
import { onPage as eventsApiMatchKeys } from './eventsApiMatchKeys/perform'
import { fallbackSubscriptions } from './generated-presets'
import { replayKnownCustomer } from './identify/known-customer'
import { onPage as identify } from './identify/perform'
import { DESTINATION_NAME } from './log'
import { initialize, observe, onLoad, type PixelClient } from './pixel'
import { onPage as reportWebEvent } from './reportWebEvent/perform'

const actions = { reportWebEvent, identify, eventsApiMatchKeys }

/**
 * The destination as it runs on the page: what the browser bundle and the npm package ship, and
 * what `src/index.ts` adds the catalog text (labels, descriptions, settings, presets) to. At
 * load, the known customer goes through Identify alone, before the page view on load.
 */
export const webDestination = {
  name: DESTINATION_NAME,
  initialize,
  onLoad: (
    client: PixelClient,
    { analytics, handle }: { analytics: Analytics; handle: (action: keyof typeof actions, event: SegmentEvent) => void }
  ): void => onLoad(client, () => replayKnownCustomer(analytics, (event) => handle('identify', event))),
  observe,
  fallbackSubscriptions,
  actions
}
