import type { SegmentEvent } from '@segment/analytics-next'
import type { ConsentState } from '../consent'
import { text } from '../normalize'
import { EVENTS_API_NAMES } from '../workspace'

/**
 * What Segment's server-side TikTok Conversions destination matches ad clicks by: the click ID
 * (`ttclid` in the landing page's query) and TikTok's first-party cookie (`_ttp`). It reads
 * them by default from `integrations['TikTok Conversions']`, which is where they are put.
 */

/** Where TikTok Conversions reads the keys by default: `integrations['TikTok Conversions']`. */
export const EVENTS_API = EVENTS_API_NAMES[0]
/** Key of the remembered click in analytics.js storage. */
export const STORAGE_KEY = 'tiktok_ttclid'
/** TikTok treats a click ID as valid for 7 days from the click. */
export const CLICK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000
/** TikTok's first-party cookie, set by its script when cookies are on. */
export const TTP_COOKIE = '_ttp'

/** A click as remembered: its ID and when it was first seen (ms since the epoch). */
export interface StoredClick {
  ttclid: string
  at: number
}

/**
 * What is stored: the last clicks seen, in the order first seen, expired or replaced ones
 * included, so that reopening an old landing address (history, a restored tab) neither revives
 * its click nor lets it replace a newer one. The newest is the click attached, for a week.
 */
export interface StoredClicks {
  clicks: StoredClick[]
}

/** How many clicks are remembered: enough for the old addresses a visitor reopens, small in a cookie. */
export const REMEMBERED_CLICKS = 5

export interface MatchKeys {
  ttclid?: string
  ttp?: string
}

export interface MatchKeysInput {
  event: SegmentEvent
  /**
   * The pixel's consent, which its keys follow as its events do: keys only when granted; `revoked`
   * (when no other pixel may still send the click) forgets the click.
   */
  consent: ConsentState
  /** Whatever analytics.js storage holds under STORAGE_KEY. */
  stored: unknown
  /** `window.location.search` of the page the event is sent from. */
  search: string
  /** The value of the `_ttp` cookie, if any. */
  ttp: string | undefined
  now: number
}

export interface MatchKeysPlan {
  /** The keys to set under `integrations['TikTok Conversions']`. */
  attach: MatchKeys
  /** The clicks to remember, `null` to forget them all, undefined to leave storage alone. */
  store?: StoredClicks | null
}

const cookiePatterns = new Map<string, RegExp>()

/** The value of cookie `name` (no RegExp characters) in a `document.cookie` string; undefined when absent or empty. */
export function cookieValue(cookies: string, name: string): string | undefined {
  // Built once per name: this runs for every event of the page.
  let pattern = cookiePatterns.get(name)
  if (!pattern) cookiePatterns.set(name, (pattern = new RegExp(`(?:^|;)\\s*${name}=([^;]*)`)))
  return text(pattern.exec(cookies)?.[1])
}

let lastQuery: { search: string; click: string | undefined } | undefined

/** The `ttclid` of a query string; the last query's answer is kept, as every event of a page asks about the same one. */
export function clickIdIn(search: string): string | undefined {
  if (lastQuery?.search !== search) {
    // A percent-encoded name counts too, as URLSearchParams decodes it.
    const mayHoldClick = search.includes('ttclid') || search.includes('%')
    lastQuery = { search, click: mayHoldClick ? text(new URLSearchParams(search).get('ttclid')) : undefined }
  }
  return lastQuery.click
}

/**
 * Whether the event goes to TikTok Conversions at all, so the keys never widen where it goes: not
 * when either spelling of the destination is false, nor under `All: false` unless one names it.
 */
function sendsToEventsApi(event: SegmentEvent): boolean {
  const integrations = event.integrations
  if (!integrations) return true
  let named = false
  for (let i = 0; i < EVENTS_API_NAMES.length; i++) {
    const setting = integrations[EVENTS_API_NAMES[i]]
    if (setting === false) return false
    if (setting) named = true
  }
  return named || integrations.All !== false
}

function isClick(value: unknown): value is StoredClick {
  const click = value as Partial<StoredClick> | null
  return typeof click === 'object' && click !== null && typeof click.ttclid === 'string' && Number.isFinite(click.at)
}

/**
 * The clicks in storage as of `now`, and whether storage must be rewritten: a time in the future
 * (the clock was set back) counts as now, and is stored so, so that it never lengthens a click's
 * week; an unreadable value is forgotten; a click stored by an earlier version is one click.
 */
function storedClicks(stored: unknown, now: number): { clicks: StoredClick[]; rewrite: boolean } {
  if (stored == null) return { clicks: [], rewrite: false }
  const list: unknown[] = isClick(stored)
    ? [stored]
    : Array.isArray((stored as StoredClicks).clicks)
      ? (stored as StoredClicks).clicks
      : []
  let rewrite = list !== (stored as StoredClicks).clicks
  let clicks = list as StoredClick[]
  for (let i = 0; i < list.length; i++) {
    const click = list[i]
    if (isClick(click) && click.at <= now) continue
    // Rare: copied once, then each entry kept, capped or dropped.
    clicks = list.filter(isClick).map((kept) => (kept.at > now ? { ttclid: kept.ttclid, at: now } : kept))
    rewrite = true
    break
  }
  return { clicks, rewrite }
}

/** The click first seen last; undefined when none is. */
function newest(clicks: StoredClick[]): StoredClick | undefined {
  let found: StoredClick | undefined
  for (let i = 0; i < clicks.length; i++) if (!found || clicks[i].at >= found.at) found = clicks[i]
  return found
}

function seen(clicks: StoredClick[], ttclid: string): boolean {
  for (let i = 0; i < clicks.length; i++) if (clicks[i].ttclid === ttclid) return true
  return false
}

/**
 * Decides, for one event, what to attach and what to remember. A `ttclid` in the URL that was
 * never seen is a new click, first seen now; one already seen keeps the time it was first seen.
 * The click first seen last is attached until a week after that time. Unless consent is granted
 * nothing is stored or attached; once revoked the clicks are forgotten.
 */
export function matchKeys({ event, consent, stored, search, ttp, now }: MatchKeysInput): MatchKeysPlan {
  if (consent !== 'granted') return { attach: {}, store: consent === 'revoked' && stored != null ? null : undefined }
  const remembered = storedClicks(stored, now)
  let clicks = remembered.clicks
  let store: StoredClicks | null | undefined
  if (remembered.rewrite) store = clicks.length > 0 ? { clicks } : null
  const clicked = clickIdIn(search)
  if (clicked && !seen(clicks, clicked)) {
    clicks = clicks.concat({ ttclid: clicked, at: now }).slice(-REMEMBERED_CLICKS)
    store = { clicks }
  }
  const latest = newest(clicks)
  const click = latest && now - latest.at < CLICK_LIFETIME_MS ? latest : undefined

  const attach: MatchKeys = {}
  if (sendsToEventsApi(event)) {
    const setting = event.integrations?.[EVENTS_API]
    const alreadySet = (typeof setting === 'object' && setting !== null ? setting : {}) as MatchKeys
    if (click && alreadySet.ttclid === undefined) attach.ttclid = click.ttclid
    if (ttp && alreadySet.ttp === undefined) attach.ttp = ttp
  }
  return { attach, store }
}
