import type { SegmentEvent } from '@segment/analytics-next'
import { consentOf } from '../pixel'
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
  /** `document.cookie`. */
  cookies: string
  now: number
}

export interface MatchKeysPlan {
  /** The keys to set under `integrations['TikTok Conversions']`. */
  attach: MatchKeys
  /** A click to remember, `null` to forget the remembered one, undefined to leave storage alone. */
  store?: StoredClick | null
}

function storedClick(value: unknown): StoredClick | undefined {
  const click = value as Partial<StoredClick> | null
  return typeof click?.ttclid === 'string' && typeof click.at === 'number' && Number.isFinite(click.at)
    ? (click as StoredClick)
    : undefined
}

/** The value of cookie `name` in a `document.cookie` string, decoded; undefined when absent or empty. */
export function cookieValue(cookies: string, name: string): string | undefined {
  for (const pair of cookies.split(';')) {
    const separator = pair.indexOf('=')
    if (separator < 0 || pair.slice(0, separator).trim() !== name) continue
    const raw = pair.slice(separator + 1)
    try {
      return text(decodeURIComponent(raw))
    } catch {
      return text(raw)
    }
  }
  return undefined
}

/** Whether the event leaves TikTok Conversions on: not switched off, nor off through `All: false`. */
function eventsApiEnabled(integrations: SegmentEvent['integrations']): boolean {
  const setting = integrations?.[EVENTS_API]
  return setting !== false && (integrations?.All !== false || Boolean(setting))
}

/**
 * Decides, for one event, what to attach and what to remember. A `ttclid` in the URL that is
 * not the remembered one is a new click; the remembered click is attached until a week after it
 * was first seen. With a consent category, nothing is stored or attached unless the event grants
 * it, and an event that revokes it forgets the click.
 */
export function matchKeys({ event, consentCategory, stored, search, cookies, now }: MatchKeysInput): MatchKeysPlan {
  if (consentCategory !== undefined) {
    const consent = consentOf(event, consentCategory)
    if (consent !== true) return { attach: {}, ...(consent === false && stored != null && { store: null }) }
  }
  let click = storedClick(stored)
  let store: StoredClick | null | undefined
  if (!click || !(now - click.at < CLICK_LIFETIME_MS)) {
    click = undefined
    // Expired or unreadable: forget it.
    if (stored != null) store = null
  }
  const clicked = text(new URLSearchParams(search).get('ttclid'))
  if (clicked !== undefined && clicked !== click?.ttclid) store = click = { ttclid: clicked, at: now }

  const attach: MatchKeys = {}
  if (eventsApiEnabled(event.integrations)) {
    const current = event.integrations?.[EVENTS_API] as MatchKeys | boolean | undefined
    const alreadySet = typeof current === 'object' && current !== null ? current : {}
    const ttp = cookieValue(cookies, '_ttp')
    if (click && alreadySet.ttclid === undefined) attach.ttclid = click.ttclid
    if (ttp !== undefined && alreadySet.ttp === undefined) attach.ttp = ttp
  }
  return store === undefined ? { attach } : { attach, store }
}
