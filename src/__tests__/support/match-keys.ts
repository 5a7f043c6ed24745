/** Test support: the Events API keys' planner given one page's input, everything but `overrides` fixed. */
import type { SegmentEvent } from '@segment/analytics-next'
import type { MatchKeysInput } from '../../eventsApiMatchKeys/match-keys'

export const NOW = Date.UTC(2026, 0, 10)
export const DAY = 24 * 60 * 60 * 1000

export function input(
  overrides: Omit<Partial<MatchKeysInput>, 'event'> & { event?: Partial<SegmentEvent> } = {}
): MatchKeysInput {
  return {
    consent: 'granted',
    stored: null,
    search: '',
    ttp: undefined,
    now: NOW,
    ...overrides,
    event: { type: 'track', event: 'Order Completed', ...overrides.event } as SegmentEvent
  }
}
