import type { Analytics, Context } from '@segment/analytics-next'
import { clickRefusedByAll } from '../consent'
import type { Settings } from '../generated-types'
import { isRecord } from '../normalize'
import type { PixelClient } from '../pixel'
import { configurationOf } from '../workspace'
import { EVENTS_API, matchKeys, type MatchKeys, STORAGE_KEY } from './match-keys'
import { ttpSource, type TtpSource } from './ttp'

/**
 * What the enrichment keeps between events, per analytics.js instance, so an event reads neither
 * analytics.js storage nor `document.cookie` when they cannot have changed: the remembered click
 * (only this code writes it, so storage is read once and then mirrored) and the `_ttp` cookie.
 */
interface Memory {
  stored: unknown
  ttp: TtpSource
}

const memories = new WeakMap<object, Memory>()
/** What calls without an analytics.js instance share. */
const NO_INSTANCE = {}

/**
 * Sets the event's `integrations` to a copy with `keys` added under `integrations['TikTok
 * Conversions']` (also a copy): analytics.js copies the site's `integrations` option into the
 * event only one level deep, so the objects under it are the site's own, which this destination
 * never changes (a site reusing one options object would find the keys, stale later, in it).
 */
function attach(event: Context['event'], keys: MatchKeys): void {
  const integrations = isRecord(event.integrations) ? event.integrations : undefined
  const current = integrations?.[EVENTS_API]
  event.integrations = { ...integrations, [EVENTS_API]: { ...(isRecord(current) ? current : undefined), ...keys } }
}

/**
 * Runs before the destinations (analytics.js enrichment): remembers the click through
 * analytics.js storage, so the site's storage settings apply, and writes the match keys into the
 * event every destination (Segment's API included) receives. It never touches the pixel, so it
 * works when TikTok's script is blocked.
 */
export function perform(
  client: PixelClient,
  { context, settings, analytics }: { context: Context; settings: Settings; analytics: Analytics | undefined }
): void {
  if (!configurationOf(settings, analytics).eventsApiMatchKeys) return
  const state = client.observe(context.event)
  // `storage` came with analytics-next 1.53; without it the click is attached on its landing page only.
  const storage = analytics?.storage as Analytics['storage'] | undefined
  const instance = analytics ?? NO_INSTANCE
  let memory = memories.get(instance)
  if (!memory) memories.set(instance, (memory = { stored: storage?.get(STORAGE_KEY), ttp: ttpSource() }))
  const now = Date.now()
  const plan = matchKeys({
    event: context.event,
    // One pixel's refusal never forgets the click another pixel on the page may still send.
    consent: state === 'revoked' && !clickRefusedByAll(instance) ? 'held' : state,
    stored: memory.stored,
    search: window.location.search,
    ttp: memory.ttp.current(now),
    now
  })
  if (plan.store === null) {
    memory.stored = undefined
    storage?.clear(STORAGE_KEY)
  } else if (plan.store) {
    memory.stored = plan.store
    storage?.set(STORAGE_KEY, plan.store)
  }
  if (plan.attach.ttclid !== undefined || plan.attach.ttp !== undefined) attach(context.event, plan.attach)
}

/** The Events API keys as the page runs them: before the destinations; ./index.ts adds the catalog text. */
export const onPage = { perform, lifecycleHook: 'enrichment' as const }
