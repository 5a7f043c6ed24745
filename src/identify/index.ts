import type { BrowserActionDefinition } from '@segment/browser-destination-runtime/types'
import { userFields } from '../fields'
import type { Settings } from '../generated-types'
import type { PixelClient } from '../pixel'
import type { Payload } from './generated-types'
import { onPage } from './perform'

const identify: BrowserActionDefinition<Settings, PixelClient, Payload> = {
  title: 'Identify',
  description:
    "Hands the customer's normalised and hashed data to the pixel (ttq.identify); TikTok applies it to the events that follow.",
  platform: 'web',
  defaultSubscription: 'type = "identify"',
  fields: userFields('identify'),
  ...onPage
}

export default identify
