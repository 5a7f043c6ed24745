/**
 * Presets (as metadata.json lists them) and the subscriptions Segment's settings deliver to the
 * destination. Plain data, no Node APIs: the browser tests and the playground page both use it.
 */

export interface Preset {
  name: string
  subscribe: string
  partnerAction: string
  mapping: Record<string, unknown>
}

export interface Subscription extends Preset {
  enabled: boolean
}

/** Each preset as the enabled subscription Segment saves when a user turns it on. */
export function enabledSubscriptions(presets: Preset[]): Subscription[] {
  return presets.map((p) => ({
    name: p.name,
    subscribe: p.subscribe,
    partnerAction: p.partnerAction,
    mapping: p.mapping,
    enabled: true
  }))
}
