import type { Context } from '@segment/analytics-next'
import type { PixelClient } from '../pixel'
import { reportWebEventCalls } from './calls'
import { conditionalFields } from './event-spec'
import type { Payload } from './generated-types'

export function perform(
  pixel: PixelClient,
  { payload, context }: { payload: Payload; context: Context }
): void | Promise<void> {
  return pixel.send(reportWebEventCalls(payload, context.event.messageId), context.event)
}

/** Report Web Event as the page runs it: the fields the runtime needs are those with a condition. ./index.ts adds the catalog text. */
export const onPage = { perform, fields: conditionalFields }
