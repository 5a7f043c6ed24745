/**
 * The breaking-change review of the contribution, by segmentio/action-destinations' rules: no new
 * required field, no field or setting removed or retyped, no action removed. Compares the catalog
 * entry this repository declares with Segment's as it is (upstream-catalog.json: keys and types).
 */
import upstream from './upstream-catalog.json'

interface FieldShape {
  type?: string
  multiple?: boolean
  required?: unknown
  properties?: Record<string, FieldShape>
}

export interface CatalogShape {
  settings?: Record<string, FieldShape>
  actions: Record<string, { fields: Record<string, FieldShape> }>
  presets?: { name?: string }[]
}

export interface Review {
  /** Paths (`settings.x`, `action`, `action.field.property`) Segment's entry has and this one lacks. */
  removed: string[]
  /** Paths whose type or list-ness changed. */
  retyped: string[]
  /** Paths required here that Segment's entry does not require. */
  newlyRequired: string[]
  added: { settings: string[]; actions: string[]; fields: string[]; presets: string[] }
}

const listed = (shape: FieldShape): string => `${shape.type}${shape.multiple === true ? '[]' : ''}`

function compareFields(
  before: Record<string, FieldShape>,
  after: Record<string, FieldShape>,
  prefix: string,
  review: Review,
  added: string[]
): void {
  for (const [key, old] of Object.entries(before)) {
    const path = `${prefix}.${key}`
    const now = after[key]
    if (!now) review.removed.push(path)
    else {
      if (listed(now) !== listed(old)) review.retyped.push(`${path} (${listed(old)} → ${listed(now)})`)
      if (now.required === true && old.required !== true) review.newlyRequired.push(path)
      if (old.properties) compareFields(old.properties, now.properties ?? {}, path, review, added)
    }
  }
  for (const [key, now] of Object.entries(after)) {
    if (before[key]) continue
    added.push(`${prefix}.${key}`)
    if (now.required === true) review.newlyRequired.push(`${prefix}.${key}`)
  }
}

export function breakingChangeReview(catalog: CatalogShape): Review {
  const review: Review = {
    removed: [],
    retyped: [],
    newlyRequired: [],
    added: { settings: [], actions: [], fields: [], presets: [] }
  }
  compareFields(upstream.settings, catalog.settings ?? {}, 'settings', review, review.added.settings)
  const before = upstream.actions as Record<string, { fields: Record<string, FieldShape> }>
  for (const [key, action] of Object.entries(before)) {
    if (catalog.actions[key])
      compareFields(action.fields, catalog.actions[key].fields, key, review, review.added.fields)
    else review.removed.push(key)
  }
  for (const [key, action] of Object.entries(catalog.actions)) {
    if (before[key]) continue
    review.added.actions.push(key)
    for (const [field, shape] of Object.entries(action.fields))
      if (shape.required === true) review.newlyRequired.push(`${key}.${field}`)
  }
  const presetNames = (catalog.presets ?? []).map((preset) => preset.name ?? '')
  review.removed.push(...upstream.presets.filter((name) => !presetNames.includes(name)).map((name) => `preset ${name}`))
  review.added.presets = presetNames.filter((name) => !upstream.presets.includes(name))
  return review
}

/** Whether the review finds nothing a merge would break. */
export const breaksNothing = (review: Review): boolean =>
  review.removed.length + review.retyped.length + review.newlyRequired.length === 0
