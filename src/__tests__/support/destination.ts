/**
 * Test support: the destination loaded on the runtime (in the contribution, Segment's stock one)
 * with a mapping of every track, events sent to it, and their consent answers.
 */
import { destination } from '../..'
import { generatePlugins } from '../../runtime'
import { deliver, loadPlugins, PIXEL_CODE, queued } from './page'

/** Every track event, with the customer's e-mail, phone and user ID. */
export const reportAll = {
  name: 'Every track',
  partnerAction: 'reportWebEvent',
  subscribe: 'type = "track"',
  enabled: true,
  mapping: {
    event: { '@path': '$.event' },
    event_id: { '@path': '$.messageId' },
    email: { '@path': '$.context.traits.email' },
    phone_number: { '@path': '$.context.traits.phone' },
    external_id: { '@path': '$.userId' }
  }
}

let messages = 0

/** The destination loaded with `reportAll` (or `subscriptions`) and `settings`; returns how to send it an event (a track by default). */
export async function destinationWith(settings: Record<string, unknown>, subscriptions: unknown[] = [reportAll]) {
  const plugins = await loadPlugins(
    generatePlugins(destination, {
      pixelCode: PIXEL_CODE,
      autoPageView: false,
      subscriptions,
      ...settings
    } as never)
  )
  return (event: Record<string, unknown>) => deliver(plugins, { type: 'track', messageId: `m-${++messages}`, ...event })
}

/** The event fields of Segment's consent tooling answering for the Advertising category; none when undefined. */
export const consent = (advertising?: boolean) =>
  advertising === undefined ? {} : { context: { consent: { categoryPreferences: { Advertising: advertising } } } }

/** The methods called on the pixel, each track with its event name. */
export const methods = () =>
  queued().map((call) => (call[0] === 'track' ? `track ${String(call[1])}` : String(call[0])))
