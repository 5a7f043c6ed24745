import type { JSONObject } from '@segment/actions-core'

/**
 * The workspace's saved subscriptions as `settings.subscriptions` carries them, read and checked: what the package's
 * runtime runs, and what the destination reads to know which actions the workspace turned on.
 */

/** A subscription as Segment's settings deliver it (`settings.subscriptions`). */
export interface Subscription {
  name: string
  partnerAction: string
  subscribe: string
  enabled: boolean
  mapping?: JSONObject
}

function isSubscription(value: unknown): value is Subscription {
  const candidate = value as Partial<Subscription> | null
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.partnerAction === 'string' &&
    typeof candidate.subscribe === 'string' &&
    typeof candidate.enabled === 'boolean'
  )
}

/** What `settings.subscriptions` holds: a list, a JSON text of one, something else, or nothing. */
function subscriptionList(value: unknown): { list: unknown[] } | { problem: string } {
  'compile lazily'
  if (Array.isArray(value)) return { list: value }
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value)
      if (Array.isArray(parsed)) return { list: parsed }
    } catch {
      // Reported below, as any other text that is no list.
    }
    return { problem: 'is text that is not a JSON list of subscriptions' }
  }
  if (value === undefined || value === null) return { list: [] }
  return { problem: `is ${typeof value === 'object' ? 'an object' : `a ${typeof value}`}, not a list of subscriptions` }
}

/**
 * The saved subscriptions in `settings.subscriptions`: a list of them, or (as Segment's settings have carried it)
 * the JSON text of one. Settings of any other shape, and entries that are not subscriptions, are reported once with
 * a console error naming the problem, never a value; the valid subscriptions run.
 */
export function savedSubscriptions(source: string, value: unknown, report = true): Subscription[] {
  if (Array.isArray(value) && value.every(isSubscription)) return value
  const read = subscriptionList(value)
  if ('problem' in read) {
    if (report) console.error(`[${source}] settings.subscriptions ${read.problem}; no mapping of the workspace runs.`)
    return []
  }
  const valid = read.list.filter(isSubscription)
  const invalid = read.list.length - valid.length
  if (report && invalid > 0)
    console.error(
      `[${source}] ${invalid} of the ${read.list.length} entries of settings.subscriptions are not subscriptions (objects with partnerAction, subscribe and enabled); they are ignored and the others run.`
    )
  return valid
}
