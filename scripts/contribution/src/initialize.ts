import type { Analytics, Context, SegmentEvent } from '@segment/analytics-next'
import { generatePlugins } from '@segment/browser-destination-runtime/plugin'
import type { Subscription } from '@segment/browser-destination-runtime/types'
import { catalog } from '../../../src/catalog'
import type { Settings } from '../../../src/generated-types'
import { knownCustomerOnLoad } from '../../../src/identify/known-customer'
import { LOG_PREFIX } from '../../../src/log'
import { loadPixel, type PixelClient } from '../../../src/pixel'
import { configurationOf } from '../../../src/workspace'

/** The settings the stock runtime hands `initialize`: the workspace's, its subscriptions included. */
type StockSettings = Settings & { subscriptions?: Subscription[] }

/**
 * Runs `events` through the workspace's Identify subscriptions exactly as the stock runtime runs
 * an identify event (its own plugin: FQL trigger, mapping, the action's perform); settles once
 * their calls are made.
 */
async function runIdentifySubscriptions(
  client: PixelClient,
  settings: StockSettings,
  analytics: Analytics,
  events: SegmentEvent[]
): Promise<void> {
  const plugins = generatePlugins(
    { ...catalog, actions: { identify: catalog.actions.identify }, initialize: () => Promise.resolve(client) },
    settings,
    settings.subscriptions ?? []
  )
  if (plugins.length === 0) return
  const plugin = plugins[0]
  await plugin.load({} as Context, analytics)
  // A bare context: the event is this destination's own and never enters analytics.js.
  await Promise.all(events.map((event) => plugin.identify?.({ event } as Context)))
}

/**
 * `initialize` on the stock runtime, which has no hook after it: loads the pixel, hands TikTok
 * the customer analytics.js remembers through the workspace's Identify subscriptions, then the
 * page view on load, so that the page view carries their data. Never throws: a failure of the
 * known customer is warned (by the error's class, never its message) and the page view still sent.
 */
export async function initialize({
  settings,
  analytics
}: {
  settings: StockSettings
  analytics: Analytics
}): Promise<PixelClient> {
  const client = loadPixel(settings, configurationOf(settings, analytics).consentCategories)
  const warn = (error: unknown): void =>
    console.warn(
      `${LOG_PREFIX} the known customer was not sent (${error instanceof Error ? error.name : typeof error}).`
    )
  let knownCustomer: Promise<void> | undefined
  try {
    const events = knownCustomerOnLoad(analytics)
    if (events.length > 0) knownCustomer = runIdentifySubscriptions(client, settings, analytics, events)
  } catch (error) {
    warn(error)
  }
  // The page view goes after the known customer's calls, which wait for their digests.
  await knownCustomer?.catch(warn)
  client.sendPageViewOnLoad()
  return client
}
