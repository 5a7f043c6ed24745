import type { BrowserDestinationDefinition } from '@segment/browser-destination-runtime/types'
import type { Settings } from './generated-types'
import eventsApiMatchKeys from './eventsApiMatchKeys'
import identify from './identify'
import { fallbackSubscriptions } from './generated-presets'
import { initialize, onLoad, type PixelClient } from './pixel'
import { presets } from './presets'
import reportWebEvent from './reportWebEvent'
import type { RuntimeDestination } from './runtime'
import { settings } from './settings'

export const destination: BrowserDestinationDefinition<Settings, PixelClient> &
  Pick<RuntimeDestination<Settings, PixelClient>, 'onLoad' | 'fallbackSubscriptions'> = {
  name: 'TikTok Pixel',
  slug: 'actions-tiktok-pixel',
  mode: 'device',
  description:
    "Sends Segment events to TikTok's pixel in the browser: standard e-commerce events, customer data for advanced matching, consent and Limited Data Use.",
  settings,
  presets,
  initialize,
  actions: { reportWebEvent, identify, eventsApiMatchKeys },
  // This package's runtime: the known customer, then the page view on load; the package's presets.
  onLoad,
  fallbackSubscriptions
}

export type { Settings }
export type { PixelClient }
