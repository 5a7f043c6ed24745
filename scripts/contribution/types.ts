/**
 * `generated-types.ts` files as segmentio/action-destinations writes them (`./bin/run
 * generate:types`, packages/cli/src/commands/generate/types.ts): actions-core's JSON schema of the
 * fields, made TypeScript by json-schema-to-typescript (the version its CLI pins) in the
 * monorepo's Prettier style, which is this repository's too.
 */
import { fieldsToJsonSchema, type GlobalSetting, type InputField } from '@segment/actions-core'
import type { JSONSchema4 } from 'json-schema'
import { compile } from 'json-schema-to-typescript'

const BANNER = '// Generated file. DO NOT MODIFY IT BY HAND.'
const MONOREPO_PRETTIER = { semi: false, singleQuote: true, trailingComma: 'none', printWidth: 120 } as const

/** Titles and enums out, as the CLI does, so that the output has no named sub-types. */
function withoutExtras(schema: JSONSchema4): JSONSchema4 {
  const copy = { ...schema }
  delete copy.title
  delete copy.enum
  if (copy.type === 'object' && copy.properties) {
    for (const [key, property] of Object.entries(copy.properties)) copy.properties[key] = withoutExtras(property)
  } else if (copy.type === 'array' && copy.items) {
    copy.items = withoutExtras(copy.items as JSONSchema4)
  }
  return copy
}

export function typesFile(fields: Record<string, InputField | GlobalSetting>, name: string): Promise<string> {
  const schema = withoutExtras(fieldsToJsonSchema(fields as Record<string, InputField>, { tsType: true }))
  return compile(schema, name, { bannerComment: BANNER, style: MONOREPO_PRETTIER })
}
