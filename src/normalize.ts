import { phonePlan } from './phone-plans'

/**
 * Normalisation of mapped values into what TikTok accepts. Pure functions: every value that is
 * not usable becomes `undefined`, never an empty string, object or list.
 */

/** Arrays stand for "several candidates"; TikTok takes one value, the first. */
export function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value
}

/**
 * The longest strings worth handling, checked before any trimming, matching or hashing so that
 * a hostile page cannot make one event cost seconds. Free text is cut to its cap; an identifier,
 * name or contact longer than its cap cannot be a real one and is dropped.
 */
export const MAX_LENGTH = {
  /** RFC 5321: an address has at most 254 characters. */
  email: 254,
  /** E.164 has at most 15 digits; the rest is room for `+`, spaces, brackets and dashes. */
  phone: 32,
  /** IDs (order, shop, content, event, external) and custom event names. */
  id: 256,
  /** First and last names, city, state, country, zip code. */
  name: 128,
  /** Free text: query, search string, description, product name, category and brand. */
  text: 1000
}

/** Room for spaces around a value, which trimming removes before the cap applies. */
const PADDING = 64

/** A trimmed, non-empty string from a string or a finite number, cut to `max` characters. */
export function text(value: unknown, max = MAX_LENGTH.text): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  if (typeof value !== 'string') return undefined
  const trimmed = (value.length > max + PADDING ? value.slice(0, max + PADDING) : value).trim()
  if (trimmed === '') return undefined
  return trimmed.length > max ? trimmed.slice(0, max).trimEnd() : trimmed
}

/** A trimmed, non-empty string of at most `max` characters; anything longer is dropped, not cut. */
export function bounded(value: unknown, max: number): string | undefined {
  if (typeof value === 'string' && value.length > max + PADDING) return undefined
  const trimmed = text(value, Infinity)
  return trimmed !== undefined && trimmed.length <= max ? trimmed : undefined
}

/** An ID (order, content, user...): the first candidate, dropped when longer than any real ID. */
export function identifier(value: unknown): string | undefined {
  return bounded(first(value), MAX_LENGTH.id)
}

/** Longer than any number a double holds in decimal notation, with spaces around it. */
const MAX_NUMBER_TEXT = 400

/** Decimal notation, as in JSON: `Number()` alone would also read '0x10', '0b11' and '0o7'. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/** A finite number from a number or a decimal numeric string; 0 is kept, anything else dropped. */
export function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || value.length > MAX_NUMBER_TEXT || !DECIMAL.test(value.trim())) return undefined
  const parsed = Number(value)
  return Number.isFinite(parsed) ? parsed : undefined
}

/**
 * The most items of a list (contents, content IDs, travel lists) worth handling: far beyond any basket, and a
 * bound on one event's work however long a list a page sends. Items beyond it are left out.
 */
export const MAX_ITEMS = 1000

/** The first MAX_ITEMS items of a list, or the value as a list of one. */
export function listOf(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [value]
  return value.length > MAX_ITEMS ? value.slice(0, MAX_ITEMS) : value
}

/** The ISO 4217 codes the browser knows, read once; null where it cannot list them. */
let knownCurrencies: Set<string> | null | undefined

function currencyCodes(): Set<string> | null {
  if (knownCurrencies === undefined) {
    const list = (Intl as { supportedValuesOf?: (key: 'currency') => string[] }).supportedValuesOf
    try {
      knownCurrencies = typeof list === 'function' ? new Set(list('currency')) : null
    } catch {
      knownCurrencies = null
    }
  }
  return knownCurrencies
}

/**
 * An ISO 4217 code, upper case: one the browser lists (`Intl.supportedValuesOf('currency')`); where it cannot list
 * them (browsers before 2022), any three letters.
 */
export function currency(value: unknown): string | undefined {
  const code = bounded(value, 3)?.toUpperCase()
  if (code === undefined || !/^[A-Z]{3}$/.test(code)) return undefined
  const known = currencyCodes()
  return known === null || known.has(code) ? code : undefined
}

/** Nothing at all: a missing value, `null` or blank text. */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}

/**
 * Whether a value was given at all: anything but a blank one or a list of blank ones. Only a given value that cannot
 * be used is a problem worth a warning.
 */
export function given(value: unknown): boolean {
  return Array.isArray(value) ? !value.every(isBlank) : !isBlank(value)
}

export function email(value: unknown): string | undefined {
  const address = bounded(first(value), MAX_LENGTH.email)?.toLowerCase()
  return address !== undefined && /^[^\s@]+@[^\s@]+$/.test(address) ? address : undefined
}

/**
 * E.164: `+`, country code and number, 8 to 15 digits in all. `00` is the international prefix
 * and stands for `+`. A national number (no `+` or `00`) becomes E.164 only with the customer's
 * `country` (ISO 3166-1 alpha-2 or alpha-3): its calling code, its trunk prefix dropped, and a
 * length that country's numbers have. Without one it is left out: a guessed country code would
 * attribute the conversion to someone else's number.
 */
export function phone(value: unknown, country?: unknown): string | undefined {
  const raw = bounded(first(value), MAX_LENGTH.phone)
  if (raw === undefined) return undefined
  // '+44 (0)20 …': the bracketed 0 is the trunk prefix, dialled only within the country.
  const compacted = raw
    .replace(/\(0\)/g, '')
    .replace(/[\s().\-/]/g, '')
    .replace(/^00/, '+')
  if (/^\+[1-9]\d{7,14}$/.test(compacted)) return compacted
  return /^\d+$/.test(compacted) ? withCallingCode(compacted, bounded(first(country), 3)) : undefined
}

function withCallingCode(national: string, country: string | undefined): string | undefined {
  'compile lazily'
  const plan = country === undefined ? undefined : phonePlan(country)
  if (plan === undefined) return undefined
  const plausible = (digits: string) => digits.length >= plan.minLength && digits.length <= plan.maxLength
  // The trunk prefix as dialled there ('020 …' in the UK); a number may also come without it.
  const candidates = plan.trunks
    .filter((trunk) => national.startsWith(trunk))
    .map((trunk) => national.slice(trunk.length))
  const digits = [...candidates, national].find(plausible)
  const e164 = digits === undefined ? undefined : `+${plan.callingCode}${digits}`
  return e164 !== undefined && e164.length <= 16 ? e164 : undefined
}

/** Lower case, letters only: TikTok's rule for names (é and other letters kept). */
export function name(value: unknown): string | undefined {
  return keptCharacters(value, /[^a-z]/g, nonLetters)
}

/** Lower case without spaces or punctuation: TikTok's rule for city, state, country and zip. */
export function addressPart(value: unknown): string | undefined {
  return keptCharacters(value, /[^a-z\d]/g, nonAlphanumerics)
}

const ASCII = /^[\0-\x7f]*$/

/**
 * A pattern of every character but the Unicode classes `kept`, built on its first use. V8 checks a Unicode property
 * pattern written as a literal when it compiles the script, even if it never runs, and pays as much again to build
 * it (docs/maintainers.md): most text is ASCII and never needs it.
 */
function droppedUnless(kept: string): () => RegExp {
  let pattern: RegExp | undefined
  return () => (pattern ??= new RegExp(`[^${kept}]`, 'gu'))
}
const nonLetters = droppedUnless('\\p{L}\\p{M}')
const nonAlphanumerics = droppedUnless('\\p{L}\\p{M}\\p{N}')

/**
 * The text in NFC and lower case without the characters `unicodeDropped` matches. ASCII text (most names), which
 * NFC leaves as it is, goes through `asciiDropped`, the same set within ASCII.
 */
function keptCharacters(value: unknown, asciiDropped: RegExp, unicodeDropped: () => RegExp): string | undefined {
  const candidate = bounded(first(value), MAX_LENGTH.name)
  if (candidate === undefined) return undefined
  if (ASCII.test(candidate)) return candidate.toLowerCase().replace(asciiDropped, '') || undefined
  return candidate.normalize('NFC').toLowerCase().replace(unicodeDropped(), '') || undefined
}

/** Copies the keys of `source` whose value is defined: the one place that drops empty values. */
export function defined<T extends Record<string, unknown>>(source: T): Partial<T> | undefined {
  const result: Record<string, unknown> = {}
  let empty = true
  const keys = Object.keys(source)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
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
