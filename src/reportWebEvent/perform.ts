import type { Context } from '@segment/analytics-next'
import type { PixelClient } from '../pixel'
import { reportWebEventCalls } from './calls'
import type { Payload } from './generated-types'

export function perform(
  pixel: PixelClient,
  { payload, context }: { payload: Payload; context: Context }
): void | Promise<void> {
  return pixel.send(reportWebEventCalls(payload, context.event.messageId), context.event)
}
