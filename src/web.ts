import { perform as identify } from './identify/perform'
import { initialize } from './pixel'
import { conditionalFields } from './reportWebEvent/event-spec'
import { perform as reportWebEvent } from './reportWebEvent/perform'
import { actionDestination } from './runtime'

/**
 * Entry of the browser bundle `dist/web/tiktok-pixel.js`. It carries what runs on the page and
 * leaves the catalog text (labels, descriptions, presets) to `metadata.json`; a test checks that
 * it is the same destination as `src/index.ts`.
 */
export const webDestination = {
  name: 'TikTok Pixel',
  initialize,
  actions: {
    reportWebEvent: { perform: reportWebEvent, fields: conditionalFields },
    identify: { perform: identify }
  }
}

// analytics.js finds remote action destinations under `window[libraryName]`.
;(window as unknown as Record<string, unknown>)['tiktok-pixelDestination'] = actionDestination(webDestination)
