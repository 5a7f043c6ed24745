import type { BrowserActionDefinition } from '@segment/browser-destination-runtime/types'
import { userFields } from '../fields'
import type { Settings } from '../generated-types'
import type { PixelClient } from '../pixel'
import { eventFields } from './fields'
import type { Payload } from './generated-types'
import { onPage } from './perform'

const reportWebEvent: BrowserActionDefinition<Settings, PixelClient, Payload> = {
  title: 'Report Web Event',
  description:
    'Sends a standard or custom TikTok event (ttq.track), preceded by the normalised and hashed customer data (ttq.identify) when the event carries any.',
  platform: 'web',
  defaultSubscription: 'type = "track"',
  ...onPage,
  fields: { ...eventFields, ...userFields('event') }
}

export default reportWebEvent
