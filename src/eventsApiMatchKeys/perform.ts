import type { Analytics, Context } from '@segment/analytics-next'
import type { Settings } from '../generated-types'
import { text } from '../normalize'
import { EVENTS_API, matchKeys, STORAGE_KEY } from './match-keys'

/** How long one read of `document.cookie` (~6 µs in Chromium, on every event) serves the events that follow. */
const COOKIE_READ_MS = 1000
const cookieReads = new WeakMap<Analytics, { cookies: string; at: number }>()

/** `document.cookie`, read again at most once a second per analytics.js instance: a burst of events shares one read. */
function currentCookies(analytics: Analytics | undefined, now: number): string {
  const last = analytics && cookieReads.get(analytics)
  if (last && now - last.at < COOKIE_READ_MS && now >= last.at) return last.cookies
  const cookies = document.cookie
  if (analytics) cookieReads.set(analytics, { cookies, at: now })
  return cookies
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
    cookies: currentCookies(analytics, now),
    now
  })
  if (plan.store === null) storage?.clear(STORAGE_KEY)
  else if (plan.store) storage?.set(STORAGE_KEY, plan.store)
  for (const [key, value] of Object.entries(plan.attach))
    context.updateEvent(`integrations.${EVENTS_API}.${key}`, value)
}
