import type { SegmentEvent } from '@segment/analytics-next'
import { consentOf } from '../consent'
import { text } from '../normalize'

/**
 * What Segment's server-side TikTok Conversions destination matches ad clicks by: the click ID
 * (`ttclid` in the landing page's query) and TikTok's first-party cookie (`_ttp`). It reads
 * them by default from `integrations['TikTok Conversions']`, which is where they are put.
 */

/** The destination's name in `integrations`, as Segment's catalog spells it. */
export const EVENTS_API = 'TikTok Conversions'
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

export interface MatchKeys {
  ttclid?: string
  ttp?: string
}

export interface MatchKeysInput {
  event: SegmentEvent
  /** The Consent Category setting, trimmed; undefined when consent is not checked. */
  consentCategory: string | undefined
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
  /** A click to remember, `null` to forget the remembered one, undefined to leave storage alone. */
  store?: StoredClick | null
}

const cookiePatterns = new Map<string, RegExp>()

/** The value of cookie `name` (no RegExp characters) in a `document.cookie` string; undefined when absent or empty. */
export function cookieValue(cookies: string, name: string): string | undefined {
  // Built once per name: this runs for every event of the page.
  let pattern = cookiePatterns.get(name)
  if (!pattern) cookiePatterns.set(name, (pattern = new RegExp(`(?:^|;)\\s*${name}=([^;]*)`)))
  return text(pattern.exec(cookies)?.[1])
}

/**
 * Decides, for one event, what to attach and what to remember. A `ttclid` in the URL that is
 * not the remembered one is a new click; the remembered click is attached until a week after it
 * was first seen. With a consent category, nothing is stored or attached unless the event grants
 * it, and an event that revokes it forgets the click.
 */
export function matchKeys({ event, consentCategory, stored, search, ttp, now }: MatchKeysInput): MatchKeysPlan {
  const consent = consentCategory === undefined || consentOf(event, consentCategory)
  if (consent !== true) return { attach: {}, store: consent === false && stored != null ? null : undefined }
  const previous = stored as Partial<StoredClick> | null
  let click =
    typeof previous?.ttclid === 'string' && now - (previous.at as number) < CLICK_LIFETIME_MS
      ? (previous as StoredClick)
      : undefined
  // Expired or unreadable: forgotten.
  let store: StoredClick | null | undefined = click || stored == null ? undefined : null
  // Parsed only when the query can hold a click ID (a percent-encoded name included): ~2 µs an event otherwise.
  const mayHoldClick = search.includes('ttclid') || search.includes('%')
  const clicked = mayHoldClick ? text(new URLSearchParams(search).get('ttclid')) : undefined
  if (clicked && clicked !== click?.ttclid) store = click = { ttclid: clicked, at: now }

  const attach: MatchKeys = {}
  const setting = event.integrations?.[EVENTS_API] as MatchKeys | boolean | undefined
  // Not for events that turn TikTok Conversions off, by name or through `All: false`.
  if (setting !== false && (event.integrations?.All !== false || setting)) {
    const alreadySet = typeof setting === 'object' ? setting : {}
    if (click && alreadySet.ttclid === undefined) attach.ttclid = click.ttclid
    if (ttp && alreadySet.ttp === undefined) attach.ttp = ttp
  }
  return { attach, store }
}
