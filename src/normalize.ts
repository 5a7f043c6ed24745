/**
 * Normalisation of mapped values into what TikTok accepts. Pure functions: every value that is
 * not usable becomes `undefined`, never an empty string, object or list.
 */

/** Arrays stand for "several candidates"; TikTok takes one value, the first. */
export function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value
}

/** A trimmed, non-empty string from a string or a finite number. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}

/** Decimal notation, as in JSON: `Number()` alone would also read '0x10', '0b11' and '0o7'. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/** A finite number from a number or a decimal numeric string; 0 is kept, anything else dropped. */
export function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || !DECIMAL.test(value.trim())) return undefined
  const parsed = Number(value)
  return Number.isFinite(parsed) ? parsed : undefined
}

/** A list of non-empty strings from one value or a list; undefined when none is left. */
export function textList(value: unknown): string[] | undefined {
  const items = (Array.isArray(value) ? value : [value]).map(text).filter((item): item is string => item !== undefined)
  return items.length > 0 ? items : undefined
}

/** ISO 4217: three letters, upper case. */
export function currency(value: unknown): string | undefined {
  const code = text(value)?.toUpperCase()
  return code !== undefined && /^[A-Z]{3}$/.test(code) ? code : undefined
}

export function email(value: unknown): string | undefined {
  const address = text(first(value))?.toLowerCase()
  return address !== undefined && /^[^\s@]+@[^\s@]+$/.test(address) ? address : undefined
}

/**
 * E.164: `+`, country code and number, 8 to 15 digits in all. `00` is the international prefix
 * and stands for `+`. A national number has no country code, and a guessed one would attribute
 * the conversion to someone else's number, so it is left out.
 */
export function phone(value: unknown): string | undefined {
  const raw = text(first(value))
  if (raw === undefined) return undefined
  // '+44 (0)20 …': the bracketed 0 is the trunk prefix, dialled only within the country.
  const compacted = raw
    .replace(/\(0\)/g, '')
    .replace(/[\s().\-/]/g, '')
    .replace(/^00/, '+')
  return /^\+[1-9]\d{7,14}$/.test(compacted) ? compacted : undefined
}

/** Lower case, letters only: TikTok's rule for names (é and other letters kept). */
export function name(value: unknown): string | undefined {
  return (
    text(first(value))
      ?.normalize('NFC')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}]/gu, '') || undefined
  )
}

/** Lower case without spaces or punctuation: TikTok's rule for city, state, country and zip. */
export function addressPart(value: unknown): string | undefined {
  return (
    text(first(value))
      ?.normalize('NFC')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}]/gu, '') || undefined
  )
}

/** Copies the keys of `source` whose value is defined: the one place that drops empty values. */
export function defined<T extends Record<string, unknown>>(source: T): Partial<T> | undefined {
  const result: Record<string, unknown> = {}
  let empty = true
  for (const key of Object.keys(source)) {
    if (source[key] !== undefined) {
      result[key] = source[key]
      empty = false
    }
  }
  return empty ? undefined : (result as Partial<T>)
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
