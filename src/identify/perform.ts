import type { Context } from '@segment/analytics-next'
import type { PixelClient } from '../pixel'
import { identifyCalls } from './calls'
import type { Payload } from './generated-types'

export function perform(
  pixel: PixelClient,
  { payload, context }: { payload: Payload; context: Context }
): void | Promise<void> {
  return pixel.send(identifyCalls(payload), context.event)
}
