import type { BrowserDestinationDefinition } from '@segment/browser-destination-runtime/types'
import type { Settings } from './generated-types'
import eventsApiMatchKeys from './eventsApiMatchKeys'
import identify from './identify'
import { initialize, type PixelClient } from './pixel'
import { presets } from './presets'
import reportWebEvent from './reportWebEvent'
import { settings } from './settings'

export const destination: BrowserDestinationDefinition<Settings, PixelClient> = {
  name: 'TikTok Pixel',
  slug: 'actions-tiktok-pixel',
  mode: 'device',
  description:
    "Sends Segment events to TikTok's pixel in the browser: standard e-commerce events, customer data for advanced matching, consent and Limited Data Use.",
  settings,
  presets,
  initialize,
  actions: { reportWebEvent, identify, eventsApiMatchKeys }
}

export type { Settings }
export type { PixelClient }
