import type { BrowserDestinationDefinition } from '@segment/browser-destination-runtime/types'
import { catalog } from './catalog'
import type { Settings } from './generated-types'
import type { PixelClient } from './pixel'
import type { RuntimeDestination } from './runtime'
import { webDestination } from './web-destination'

/**
 * The catalog definition: the destination as the page runs it (./web-destination.ts, also its
 * name, `initialize`, `onLoad`, `observe` and fallback subscriptions), with the catalog text (./catalog.ts) added.
 */
export const destination: BrowserDestinationDefinition<Settings, PixelClient> &
  Pick<RuntimeDestination<Settings, PixelClient>, 'onLoad' | 'fallbackSubscriptions' | 'observe'> = {
  ...webDestination,
  ...catalog
}

export type { Settings }
export type { PixelClient }
