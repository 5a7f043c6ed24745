/**
 * Which of an event's values a mapping reads but TikTok's pixel did not get. The destination
 * leaves out values TikTok would reject (README "What TikTok receives": a `value` that is not a
 * number, a `currency` that is not an ISO 4217 code, ...). This reads the mapping and TikTok's
 * record only; it does not restate the destination's rules.
 */
import type { EmulatorLogEntry } from '../devkit/emulator'

/** Mapping fields that reach TikTok under their own name in the `track` call's properties. */
const SAME_NAME = ['value', 'currency', 'num_items', 'order_id', 'shop_id', 'query', 'search_string', 'description']

/** The `$.a.b` path a mapping field reads for `event`: `@path`, or the branch an `@if exists` takes. */
function sourcePath(spec: unknown, event: Record<string, unknown>): string | undefined {
  if (typeof spec !== 'object' || spec === null) return undefined
  const directive = spec as Record<string, unknown>
  if (typeof directive['@path'] === 'string') return directive['@path']
  const condition = directive['@if'] as { exists?: unknown; then?: unknown; else?: unknown } | undefined
  if (condition) {
    const tested = sourcePath(condition.exists, event)
    const exists = tested !== undefined && valueAt(event, tested) !== undefined
    return sourcePath(exists ? condition.then : condition.else, event)
  }
  return undefined
}

function valueAt(event: Record<string, unknown>, path: string): unknown {
  let value: unknown = event
  for (const key of path.replace(/^\$\.?/, '').split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

/** `"value ← properties.revenue = "abc""` for each value the mapping read and TikTok did not get. */
export function droppedValues(
  event: Record<string, unknown>,
  mapping: Record<string, unknown>,
  calls: EmulatorLogEntry[]
): string[] {
  const track = calls.find((call) => call.method === 'track')
  if (!track) return []
  const received = (track.args[1] ?? {}) as Record<string, unknown>
  const dropped: string[] = []
  for (const field of SAME_NAME) {
    const path = sourcePath(mapping[field], event)
    if (path === undefined || field in received) continue
    const value = valueAt(event, path)
    if (value === undefined || value === null || value === '') continue
    dropped.push(`${field} ← ${path.replace(/^\$\./, '')} = ${JSON.stringify(value)}`)
  }
  return dropped
}
