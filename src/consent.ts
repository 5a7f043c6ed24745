import type { SegmentEvent } from '@segment/analytics-next'
import type { TikTokCall } from './types'

/**
 * TikTok's consent mode driven by Segment's consent tooling. With categories to check the pixel
 * starts held; each event's `context.consent.categoryPreferences` moves it: every category true
 * grants, any false revokes, anything else keeps the current state. TikTok gets a call only when
 * the state changes.
 */
type ConsentState = 'held' | 'granted' | 'revoked'

export interface Consent {
  /** Whether the pixel must be held (`holdConsent()`) before anything else is sent. */
  heldAtStart: boolean
  /** The consent calls this event brings, and whether the event itself may reach the pixel. */
  apply(event: SegmentEvent): { changes: TikTokCall[]; allowed: boolean }
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

const noConsentChecks: Consent = { heldAtStart: false, apply: () => ({ changes: [], allowed: true }) }

/** Consent for `categories`; without any, every event is allowed and no consent call is made. */
export function consentFor(categories: string[] | undefined): Consent {
  if (categories === undefined) return noConsentChecks
  let state: ConsentState = 'held'
  return {
    heldAtStart: true,
    apply(event) {
      'compile lazily'
      const answer = consentOf(event, categories)
      if (answer === true && state !== 'granted') {
        state = 'granted'
        return { changes: [['grantConsent']], allowed: true }
      }
      if (answer === false && state !== 'revoked') {
        state = 'revoked'
        return { changes: [['revokeConsent']], allowed: false }
      }
      return { changes: [], allowed: state !== 'revoked' }
    }
  }
}
