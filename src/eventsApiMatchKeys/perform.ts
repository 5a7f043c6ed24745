import type { Analytics, Context } from '@segment/analytics-next'
import type { Settings } from '../generated-types'
import { isRecord, text } from '../normalize'
import { cookieValue, EVENTS_API, matchKeys, type MatchKeys, STORAGE_KEY, TTP_COOKIE } from './match-keys'

/** How long a `_ttp` found in `document.cookie` (a synchronous read) serves the events that follow. */
const TTP_KEPT_MS = 1000
const ttpSeen = new WeakMap<Analytics, { ttp: string; at: number }>()

/**
 * `_ttp` as the Cookie Store API tells it, per analytics.js instance: its value once read at load, then kept current
 * by the store's change events. Until the read has answered, or where there is no Cookie Store, events read
 * `document.cookie`.
 */
interface WatchedTtp {
  ttp: string | undefined
  /** The read has answered, or a change has: `ttp` is the cookie's current value. */
  known: boolean
}
const ttpWatched = new WeakMap<Analytics, WatchedTtp>()

/** `document.cookie`, or nothing where reading it throws (a sandboxed iframe without same-origin access). */
function readCookies(): string {
  try {
    return document.cookie
  } catch {
    return ''
  }
}

/**
 * The `_ttp` cookie: as watched through the Cookie Store, else read from `document.cookie`. A value read is kept for a
 * second per analytics.js instance, so a burst of events shares one read; a missing one is looked up again on every
 * event, since TikTok's script sets it at any moment.
 */
function currentTtp(analytics: Analytics | undefined, now: number): string | undefined {
  if (!analytics) return cookieValue(readCookies(), TTP_COOKIE)
  const watched = ttpWatched.get(analytics)
  if (watched?.known) return watched.ttp
  const last = ttpSeen.get(analytics)
  if (last && now - last.at < TTP_KEPT_MS && now >= last.at) return last.ttp
  const ttp = cookieValue(readCookies(), TTP_COOKIE)
  if (ttp !== undefined) ttpSeen.set(analytics, { ttp, at: now })
  return ttp
}

interface CookieChange {
  changed: readonly { name?: string; value?: string }[]
  deleted: readonly { name?: string }[]
}

interface CookieStore {
  get(name: string): Promise<{ value?: string } | null>
  addEventListener(type: 'change', listener: (change: CookieChange) => void): void
}

/**
 * The browser's own Cookie Store, with change events: polyfills read `document.cookie` and report only the changes
 * made through themselves, so `_ttp` set by TikTok's script would go unseen.
 */
function nativeCookieStore(): CookieStore | undefined {
  const store = (window as { cookieStore?: CookieStore }).cookieStore
  const native =
    typeof store?.get === 'function' &&
    Function.prototype.toString.call(store.get).includes('[native code]') &&
    'onchange' in store
  return native ? store : undefined
}

/**
 * Watches `_ttp` from when the plugin loads, without blocking the page, where the browser has the Cookie Store API:
 * the page's first `document.cookie` read is a synchronous round trip to the browser process (0.5–2 ms in Chromium),
 * and every event would otherwise read it while the cookie is missing, as it is on a visitor's first page until
 * TikTok's script sets it.
 */
export function watchTtp(analytics: Analytics): void {
  const store = nativeCookieStore()
  if (!store) return
  const watched: WatchedTtp = { ttp: undefined, known: false }
  const learn = (ttp: string | undefined): void => {
    watched.ttp = ttp
    watched.known = true
  }
  // An async function, so that a store throwing outright is one more rejection to ignore (and events read cookies).
  const watch = async (): Promise<void> => {
    store.addEventListener('change', ({ changed, deleted }) => {
      for (let i = 0; i < deleted.length; i++) if (deleted[i].name === TTP_COOKIE) learn(undefined)
      for (let i = 0; i < changed.length; i++) if (changed[i].name === TTP_COOKIE) learn(text(changed[i].value))
    })
    const read = text((await store.get(TTP_COOKIE))?.value)
    // A change of `_ttp` reported while reading is newer than what the read found.
    if (!watched.known) learn(read)
  }
  ttpWatched.set(analytics, watched)
  watch().catch(() => undefined)
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
