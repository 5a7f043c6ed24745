/**
 * The contribution's tests run the package's behaviour tests on Segment's stock runtime: this
 * module stands where they import the package's runtime (`src/runtime`), with the same call.
 */
import type { Plugin } from '@segment/analytics-next'
import { generatePlugins as generateStockPlugins } from '@segment/browser-destination-runtime/plugin'
import type { BrowserDestinationDefinition, Subscription } from '@segment/browser-destination-runtime/types'

/** The stock runtime's plugins for `settings`, its subscriptions taken from them as the stock factory does. */
export function generatePlugins<Settings, Client>(
  definition: BrowserDestinationDefinition<Settings, Client>,
  settings: Settings & { subscriptions?: unknown }
): Plugin[] {
  const subscriptions = Array.isArray(settings.subscriptions) ? (settings.subscriptions as Subscription[]) : []
  return generateStockPlugins(definition, settings, subscriptions)
}
