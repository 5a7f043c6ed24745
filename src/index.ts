import type { BrowserDestinationDefinition } from '@segment/browser-destination-runtime/types'
import type { Settings } from './generated-types'
import eventsApiMatchKeys from './eventsApiMatchKeys'
import identify from './identify'
import type { PixelClient } from './pixel'
import { presets } from './presets'
import reportWebEvent from './reportWebEvent'
import type { RuntimeDestination } from './runtime'
import { settings } from './settings'
import { webDestination } from './web-destination'

/**
 * The catalog definition: the destination as the page runs it (./web-destination.ts, also its
 * name, `initialize`, `onLoad`, `observe` and fallback subscriptions), with the catalog text added.
 */
export const destination: BrowserDestinationDefinition<Settings, PixelClient> &
  Pick<RuntimeDestination<Settings, PixelClient>, 'onLoad' | 'fallbackSubscriptions' | 'observe'> = {
  ...webDestination,
  slug: 'actions-tiktok-pixel',
  mode: 'device',
  description:
    "Sends Segment events to TikTok's pixel in the browser: standard e-commerce events, customer data for advanced matching, consent and Limited Data Use.",
  settings,
  presets,
  actions: { reportWebEvent, identify, eventsApiMatchKeys }
}

export type { Settings }
export type { PixelClient }
