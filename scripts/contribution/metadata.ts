/**
 * `metadata.json` of a browser destination as segmentio/action-destinations writes it
 * (`./bin/run generate:metadata-payload`, packages/cli/src/commands/generate/metadata-payload.ts):
 * the same keys, in the same order, with the same defaults for what a definition leaves out.
 * Only what a browser destination can hold: settings, actions and presets (no audience settings).
 */
import type { InputField } from '@segment/actions-core'

type Field = Partial<InputField> & Record<string, unknown>

const orNull = (value: unknown): unknown => value ?? null

/** `required` as the CLI writes it: a condition object kept, anything else true only when true. */
const required = (value: unknown): unknown => (typeof value === 'object' && value !== null ? value : value === true)

function choices(value: unknown): { label: string; value: unknown }[] | null {
  if (!Array.isArray(value) || value.length === 0) return null
  return value.map((choice: unknown) =>
    typeof choice === 'object' && choice !== null && 'label' in choice && 'value' in choice
      ? (choice as { label: string; value: unknown })
      : { label: String(choice), value: choice }
  )
}

/** What a setting and an action field both declare, first, in the CLI's order. */
function common(field: Field): Record<string, unknown> {
  return {
    label: field.label,
    description: field.description,
    type: field.type,
    required: required(field.required),
    multiple: field.multiple ?? false
  }
}

function setting(field: Field): Record<string, unknown> {
  return {
    ...common(field),
    choices: choices(field.choices),
    default: orNull(field.default),
    depends_on: orNull(field.depends_on)
  }
}

function actionField(field: Field): Record<string, unknown> {
  const properties =
    field.type === 'object' && field.properties && typeof field.properties === 'object'
      ? Object.fromEntries(Object.entries(field.properties).map(([key, inner]) => [key, actionField(inner as Field)]))
      : null
  return {
    ...common(field),
    allowNull: field.allowNull ?? false,
    dynamic: typeof field.dynamic === 'function' ? true : (field.dynamic ?? false),
    default: orNull(field.default),
    choices: choices(field.choices),
    placeholder: orNull(field.placeholder),
    properties,
    category: orNull(field.category),
    depends_on: orNull(field.depends_on),
    readOnly: orNull(field.readOnly),
    hidden: orNull(field.unsafe_hidden),
    minimum: orNull(field.minimum),
    maximum: orNull(field.maximum),
    defaultObjectUI: orNull(field.defaultObjectUI),
    disabledInputMethods: orNull(field.disabledInputMethods),
    displayMode: orNull(field.displayMode),
    format: orNull(field.format),
    additionalProperties: field.additionalProperties ?? false
  }
}

interface Action {
  title?: string
  description?: string
  platform?: string
  defaultSubscription?: string
  hidden?: boolean
  fields?: Record<string, unknown>
}

function action(key: string, definition: Action): Record<string, unknown> {
  const more = definition as Record<string, unknown>
  if (more.syncMode || more.hooks || more.dynamicFields)
    throw new Error(`action ${key}: sync modes, hooks and dynamic fields are not written here`)
  return {
    title: definition.title ?? key,
    description: definition.description ?? '',
    platform: definition.platform === 'web' ? 'web' : 'cloud',
    defaultSubscription: definition.defaultSubscription ?? null,
    hidden: definition.hidden ?? false,
    hasPerformBatch: typeof more.performBatch === 'function',
    syncMode: null,
    hooks: null,
    dynamicFields: null,
    fields: Object.fromEntries(
      Object.entries(definition.fields ?? {}).map(([fieldKey, field]) => [fieldKey, actionField(field as Field)])
    )
  }
}

export interface BrowserDefinition {
  name: string
  slug?: string
  mode: string
  description?: string
  settings?: Record<string, unknown>
  actions: Record<string, Action>
  presets?: object[]
}

/** A preset's properties, whichever kind of preset it is. */
export const presetOf = (preset: object): Record<string, unknown> => preset as Record<string, unknown>

/** The file's text: the payload as JSON with two spaces and a final newline (Prettier leaves it, being ignored there). */
export function metadataJson(definition: BrowserDefinition): string {
  const settings = definition.settings ?? {}
  const payload = {
    slug: definition.slug,
    name: definition.name,
    mode: definition.mode ?? 'cloud',
    description: definition.description,
    authentication:
      Object.keys(settings).length > 0
        ? {
            scheme: 'custom',
            fields: Object.fromEntries(Object.entries(settings).map(([key, field]) => [key, setting(field as Field)]))
          }
        : null,
    audienceConfig: null,
    actions: Object.fromEntries(Object.entries(definition.actions).map(([key, value]) => [key, action(key, value)])),
    presets: (definition.presets ?? []).map(presetOf).map((preset) => ({
      name: preset.name,
      type: preset.type,
      partnerAction: preset.partnerAction,
      subscribe: preset.subscribe,
      mapping: preset.mapping ?? {},
      eventSlug: preset.eventSlug ?? null
    }))
  }
  return JSON.stringify(payload, null, 2) + '\n'
}
