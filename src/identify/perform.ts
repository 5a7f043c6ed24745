import type { Analytics, Context } from '@segment/analytics-next'
import type { Settings } from '../generated-types'
import type { PixelClient } from '../pixel'
import { configurationOf } from '../workspace'
import { identifyCalls } from './calls'
import type { Payload } from './generated-types'

export function perform(
  pixel: PixelClient,
  {
    payload,
    context,
    settings,
    analytics
  }: { payload: Payload; context: Context; settings: Settings; analytics: Analytics }
): void | Promise<void> {
  // The package's own Identify preset runs only where the site asks for it (see ../workspace.ts).
  if (!configurationOf(settings, analytics).identify) return
  return pixel.send(identifyCalls(payload), context.event)
}

/** Identify as the page runs it; ./index.ts adds the catalog text. */
export const onPage = { perform }
