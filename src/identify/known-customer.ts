import type { Analytics, SegmentEvent } from '@segment/analytics-next'

type User = Pick<ReturnType<Analytics['user']>, 'id' | 'anonymousId' | 'traits'>

/**
 * The customer analytics.js remembers from earlier identify() calls (cleared by reset()), as the
 * identify event that carried them; none when it remembers no user ID and no traits. Run at load
 * through the Identify subscriptions, it makes a returning customer's events match on every
 * page, not only on the page that called identify(). It has no consent information of its own:
 * with a Consent Category the pixel keeps it on hold until an event grants consent.
 */
export function knownCustomer(user: User): SegmentEvent[] {
  const userId = user.id() ?? undefined
  const traits = user.traits() ?? {}
  if (!userId && Object.keys(traits).length === 0) return []
  return [{ type: 'identify', userId, anonymousId: user.anonymousId() ?? undefined, traits }]
}

/**
 * What Identify runs at load: the known customer of this analytics.js instance, read when called
 * (so after any reset()), handed to `identify`, which runs it through this action's subscriptions
 * and no other action's.
 */
export function replayKnownCustomer(analytics: Analytics | undefined, identify: (event: SegmentEvent) => void): void {
  if (typeof analytics?.user === 'function') knownCustomer(analytics.user()).forEach(identify)
}
