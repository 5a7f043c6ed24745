import type { Analytics, Context } from '@segment/analytics-next'
import { generatePlugins } from '@segment/browser-destination-runtime/plugin'
import type { Subscription } from '@segment/browser-destination-runtime/types'
import { catalog } from '../../../src/catalog'
import type { Settings } from '../../../src/generated-types'
import { replayKnownCustomer } from '../../../src/identify/known-customer'
import { LOG_PREFIX } from '../../../src/log'
import { initialize as loadPixel, type PixelClient } from '../../../src/pixel'

/** The settings the stock runtime hands `initialize`: the workspace's, its subscriptions included. */
type StockSettings = Settings & { subscriptions?: Subscription[] }

const warnKnownCustomerLost = (error: unknown): void =>
  console.warn(`${LOG_PREFIX} the known customer was not sent (${error instanceof Error ? error.name : typeof error}).`)

/**
 * Runs an event of the destination's own through the workspace's Identify subscriptions alone,
 * exactly as the stock runtime runs an identify event (its own plugin: FQL trigger, mapping, the
 * action's perform); undefined when the workspace has none enabled. The plugin calls `perform`
 * before its first await, so the calls reach the client at once.
 */
async function identifySubscriptions(
  client: PixelClient,
  settings: StockSettings,
  analytics: Analytics
): Promise<((event: Context['event']) => void) | undefined> {
  const plugins = generatePlugins(
    { ...catalog, actions: { identify: catalog.actions.identify }, initialize: () => Promise.resolve(client) },
    settings,
    settings.subscriptions ?? []
  )
  if (plugins.length === 0) return undefined
  const plugin = plugins[0]
  await plugin.load({} as Context, analytics)
  // A bare context: the event is this destination's own and never enters analytics.js.
  return (event) => {
    if (plugin.identify) Promise.resolve(plugin.identify({ event } as Context)).catch(warnKnownCustomerLost)
  }
}

/**
 * `initialize` on the stock runtime, which has no hook after it: loads the pixel as the package
 * does, and has the client send first, once analytics.js has run the page's
 * buffered calls (a `reset()` included), the customer analytics.js then remembers, through the
 * workspace's Identify subscriptions only; the page view on load follows, carrying their data.
 * Never throws: a failure of the known customer is warned (by the error's class, never its
 * message) and the page view still sent.
 */
export async function initialize({
  settings,
  analytics
}: {
  settings: StockSettings
  analytics: Analytics
}): Promise<PixelClient> {
  // The package's own: the workspace's consent, the Events API keys sharing the click.
  const client = await loadPixel({ settings, analytics })
  try {
    const identify = await identifySubscriptions(client, settings, analytics)
    if (identify)
      client.sendFirst(() => {
        try {
          replayKnownCustomer(analytics, identify)
        } catch (error) {
          warnKnownCustomerLost(error)
        }
      })
  } catch (error) {
    warnKnownCustomerLost(error)
  }
  return client
}
