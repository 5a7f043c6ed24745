import type { Analytics, Context } from '@segment/analytics-next'
import type { Settings } from '../generated-types'
import { isRecord, text } from '../normalize'
import { cookieValue, EVENTS_API, matchKeys, type MatchKeys, STORAGE_KEY, TTP_COOKIE } from './match-keys'

/**
 * How long a `_ttp` found in `document.cookie` serves the events that follow. A missing one is looked up again on every
 * event, since TikTok's script sets it at any moment.
 *
 * `document.cookie` and not the Cookie Store API: analytics.js reads its own cookies while it loads, so on a shop's
 * page a read costs the destination about 0.06 ms, where watching `_ttp` through `window.cookieStore` costs 0.7–0.9 ms
 * of set-up on every page (see docs/maintainers.md).
 */
const TTP_KEPT_MS = 1000
const ttpSeen = new WeakMap<Analytics, { ttp: string; at: number }>()

/** `document.cookie`, or nothing where reading it throws (a sandboxed iframe without same-origin access). */
function readCookies(): string {
  try {
    return document.cookie
  } catch {
    return ''
  }
}

/** The `_ttp` cookie; a value found is kept for a second per analytics.js instance, so a burst of events shares one read. */
function currentTtp(analytics: Analytics | undefined, now: number): string | undefined {
  if (!analytics) return cookieValue(readCookies(), TTP_COOKIE)
  const last = ttpSeen.get(analytics)
  if (last && now - last.at < TTP_KEPT_MS && now >= last.at) return last.ttp
  const ttp = cookieValue(readCookies(), TTP_COOKIE)
  if (ttp !== undefined) ttpSeen.set(analytics, { ttp, at: now })
  return ttp
}

/**
 * Adds `keys` to the event's `integrations['TikTok Conversions']`, creating either object where it is missing or not
 * an object: what `context.updateEvent` does for each key, without parsing a path per key.
 */
function attach(event: Context['event'], keys: MatchKeys): void {
  const integrations: Record<string, unknown> = isRecord(event.integrations)
    ? event.integrations
    : (event.integrations = {})
  const current = integrations[EVENTS_API]
  Object.assign(isRecord(current) ? current : (integrations[EVENTS_API] = {}), keys)
}

/**
 * Runs before the destinations (analytics.js enrichment): remembers the click through
 * analytics.js storage, so the site's storage settings apply, and writes the match keys into the
 * event every destination (Segment's API included) receives. It never touches the pixel, so it
 * works when TikTok's script is blocked.
 */
export function perform(
  _client: unknown,
  { context, settings, analytics }: { context: Context; settings: Settings; analytics: Analytics | undefined }
): void {
  // `storage` came with analytics-next 1.53; without it the click is attached on its landing page only.
  const storage = analytics?.storage as Analytics['storage'] | undefined
  const now = Date.now()
  const plan = matchKeys({
    event: context.event,
    consentCategory: text(settings.consentCategory),
    stored: storage?.get(STORAGE_KEY),
    search: window.location.search,
    ttp: currentTtp(analytics, now),
    now
  })
  if (plan.store === null) storage?.clear(STORAGE_KEY)
  else if (plan.store) storage?.set(STORAGE_KEY, plan.store)
  if (plan.attach.ttclid !== undefined || plan.attach.ttp !== undefined) attach(context.event, plan.attach)
}
