import type { TikTokUser } from './types'
import { isSha256Hex } from './hash'
import { AN_ID, leftOutUnless, warnLeftOut } from './log'
import { addressPart, bounded, defined, email, first, given, identifier, isRecord, name, phone } from './normalize'

/** The advanced-matching part of a payload, shared by both actions. */
export interface UserPayload {
  phone_number?: unknown
  email?: unknown
  first_name?: unknown
  last_name?: unknown
  address?: unknown
  external_id?: unknown
}

/** A SHA-256 hex digest as given: identifiers hashed upstream are passed on, never re-normalised. */
function digest(value: unknown): string | undefined {
  const candidate = identifier(value)
  return candidate !== undefined && isSha256Hex(candidate) ? candidate : undefined
}

/** What the warnings say a name or an address part must be. */
const NAME = 'text of at most 128 characters with a letter'
const ADDRESS_PART = 'text or a number of at most 128 characters with a letter or digit'

/** Why a given phone number is left out: a national number without a country to place it, or no phone number. */
function warnPhoneLeftOut(mapped: unknown): void {
  'compile lazily'
  const digits = bounded(first(mapped), 32)?.replace(/[\s().\-/]/g, '')
  warnLeftOut(
    'phone_number',
    digits !== undefined && /^\d+$/.test(digits)
      ? 'in E.164 (+ and the country code) and address.country names no country whose numbers it fits'
      : 'a phone number'
  )
}

function phoneNumber(mapped: unknown, country: unknown): string | undefined {
  const number = digest(mapped) ?? phone(mapped, country)
  if (number === undefined && given(mapped)) warnPhoneLeftOut(mapped)
  return number
}

function addressOf(mapped: unknown): Record<string, unknown> {
  if (isRecord(mapped)) return mapped
  if (given(mapped)) warnLeftOut('address', 'an object')
  return {}
}

/**
 * The normalised `ttq.identify` argument, or undefined when the payload carries no usable PII. A field given but
 * unusable is left out with one warning per field and kind of problem.
 */
export function tiktokUser(payload: UserPayload): TikTokUser | undefined {
  const address = addressOf(payload.address)
  return defined({
    email: leftOutUnless(digest(payload.email) ?? email(payload.email), payload.email, 'email', 'an e-mail address'),
    phone_number: phoneNumber(payload.phone_number, address.country),
    external_id: leftOutUnless(identifier(payload.external_id), payload.external_id, 'external_id', AN_ID),
    first_name: leftOutUnless(name(payload.first_name), payload.first_name, 'first_name', NAME),
    last_name: leftOutUnless(name(payload.last_name), payload.last_name, 'last_name', NAME),
    city: leftOutUnless(addressPart(address.city), address.city, 'address.city', ADDRESS_PART),
    state: leftOutUnless(addressPart(address.state), address.state, 'address.state', ADDRESS_PART),
    country: leftOutUnless(addressPart(address.country), address.country, 'address.country', ADDRESS_PART),
    zip_code: leftOutUnless(addressPart(address.zip_code), address.zip_code, 'address.zip_code', ADDRESS_PART)
  })
}
