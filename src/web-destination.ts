import { onPage as eventsApiMatchKeys } from './eventsApiMatchKeys/perform'
import { fallbackSubscriptions } from './generated-presets'
import { onPage as identify } from './identify/perform'
import { DESTINATION_NAME } from './log'
import { initialize, observe, onLoad } from './pixel'
import { onPage as reportWebEvent } from './reportWebEvent/perform'

/**
 * The destination as it runs on the page: what the browser bundle and the npm package ship, and
 * what `src/index.ts` adds the catalog text (labels, descriptions, settings, presets) to.
 */
export const webDestination = {
  name: DESTINATION_NAME,
  initialize,
  onLoad,
  observe,
  fallbackSubscriptions,
  actions: { reportWebEvent, identify, eventsApiMatchKeys }
}
