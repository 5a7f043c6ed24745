import type { SegmentEvent } from '@segment/analytics-next'
import type { TikTokCall } from './types'

/**
 * TikTok's consent mode driven by Segment's consent tooling, one state per pixel for everything
 * it sends (its events and the Events API keys). With categories to check the pixel starts held;
 * each event analytics.js processes moves it by its `context.consent.categoryPreferences`: every
 * category true grants, any false revokes, anything else keeps the current state. TikTok gets a
 * call only when the state changes.
 */
export type ConsentState = 'held' | 'granted' | 'revoked'

export interface Consent {
  /** Whether the pixel must be held (`holdConsent()`) before anything else is sent. */
  heldAtStart: boolean
  /** Applies the event's answer; the consent call it brings when the state changes, else none. */
  apply(event: SegmentEvent): TikTokCall[]
  /**
   * The state now, or with `event` the state it was made in (as the pixel first saw it), `revoked`
   * for one held until a refusal (TikTok dropped it): analytics.js runs an event's destinations
   * after the next events' plugins have started, and a later answer must not decide an earlier
   * event. `granted` throughout when no category is checked.
   */
  state(event?: SegmentEvent): ConsentState
}

/**
 * The event's answer for `categories` from Segment's consent tooling: true when it grants every
 * one, false when it denies one, undefined otherwise.
 */
export function consentOf(event: SegmentEvent, categories: string[]): boolean | undefined {
  'compile lazily'
  const preferences = (event.context?.consent as { categoryPreferences?: Record<string, unknown> } | undefined)
    ?.categoryPreferences
  if (typeof preferences !== 'object' || preferences === null) return undefined
  let granted = true
  for (let i = 0; i < categories.length; i++) {
    const answer = preferences[categories[i]]
    if (answer === false) return false
    if (answer !== true) granted = false
  }
  return granted ? true : undefined
}

const NO_CHANGE: TikTokCall[] = []
const noConsentChecks: Consent = { heldAtStart: false, apply: () => NO_CHANGE, state: () => 'granted' }

/** How many recent events' states are kept, far more than analytics.js runs at once. */
const RECENT_EVENTS = 64

/** Consent for `categories`; without any, everything is allowed and no consent call is made. */
export function consentFor(categories: string[] | undefined): Consent {
  if (categories === undefined) return noConsentChecks
  let state: ConsentState = 'held'
  /** The state after each change, in order. */
  const changes: ConsentState[] = []
  /** For each recent event, by messageId: how many changes came before it. */
  const changesBefore = new Map<string, number>()
  return {
    heldAtStart: true,
    apply(event) {
      'compile lazily'
      const answer = consentOf(event, categories)
      let change = NO_CHANGE
      if (answer === true && state !== 'granted') change = [['grantConsent']]
      else if (answer === false && state !== 'revoked') change = [['revokeConsent']]
      if (change !== NO_CHANGE) changes.push((state = answer ? 'granted' : 'revoked'))
      const id = event.messageId
      if (typeof id === 'string' && (change !== NO_CHANGE || !changesBefore.has(id))) {
        changesBefore.set(id, changes.length)
        if (changesBefore.size > RECENT_EVENTS) changesBefore.delete(changesBefore.keys().next().value as string)
      }
      return change
    },
    state(event) {
      const seen = event?.messageId === undefined ? undefined : changesBefore.get(event.messageId)
      if (seen === undefined) return state
      const madeIn = seen === 0 ? 'held' : changes[seen - 1]
      // Held, then refused: TikTok dropped it with everything it held.
      return madeIn === 'held' && changes[seen] === 'revoked' ? 'revoked' : madeIn
    }
  }
}

/** The consent of each pixel adding the Events API keys, per analytics.js instance (whose storage holds the click). */
const clickSharers = new WeakMap<object, Consent[]>()

/** Records that the pixel with `consent` adds the Events API keys on `analytics`, sharing its remembered click. */
export function shareClick(analytics: object, consent: Consent): void {
  const sharers = clickSharers.get(analytics)
  if (sharers) sharers.push(consent)
  else clickSharers.set(analytics, [consent])
}

/**
 * Whether the remembered click may be forgotten: every pixel sharing it on `analytics` was refused.
 * One pixel's refusal never takes the click from another that may still send it.
 */
export function clickRefusedByAll(analytics: object): boolean {
  'compile lazily'
  const sharers = clickSharers.get(analytics) ?? []
  for (let i = 0; i < sharers.length; i++) if (sharers[i].state() !== 'revoked') return false
  return true
}
