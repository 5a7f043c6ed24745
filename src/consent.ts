import type { SegmentEvent } from '@segment/analytics-next'
import type { TikTokCall } from './types'

/**
 * TikTok's consent mode driven by Segment's consent tooling. With a category set the pixel starts
 * held; each event's `context.consent.categoryPreferences[category]` moves it: true grants, false
 * revokes, absent keeps the current state. TikTok gets a call only when the state changes.
 */
type ConsentState = 'held' | 'granted' | 'revoked'

export interface Consent {
  /** Whether the pixel must be held (`holdConsent()`) before anything else is sent. */
  heldAtStart: boolean
  /** The consent calls this event brings, and whether the event itself may reach the pixel. */
  apply(event: SegmentEvent): { changes: TikTokCall[]; allowed: boolean }
}

/** The event's answer for `category` from Segment's consent tooling: true, false, or undefined. */
export function consentOf(event: SegmentEvent, category: string): boolean | undefined {
  'compile lazily'
  const preferences = (event.context?.consent as { categoryPreferences?: Record<string, unknown> } | undefined)
    ?.categoryPreferences
  const answer = preferences?.[category]
  return typeof answer === 'boolean' ? answer : undefined
}

const noConsentChecks: Consent = { heldAtStart: false, apply: () => ({ changes: [], allowed: true }) }

/** Consent for `category`; without one, every event is allowed and no consent call is made. */
export function consentFor(category: string | undefined): Consent {
  if (category === undefined) return noConsentChecks
  let state: ConsentState = 'held'
  return {
    heldAtStart: true,
    apply(event) {
      'compile lazily'
      const answer = consentOf(event, category)
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
