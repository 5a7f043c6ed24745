import type { TikTokUser } from './types'
import { isSha256Hex } from './hash'
import { addressPart, defined, email, identifier, isRecord, name, phone } from './normalize'

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

/** The normalised `ttq.identify` argument, or undefined when the payload carries no usable PII. */
export function tiktokUser(payload: UserPayload): TikTokUser | undefined {
  const address = isRecord(payload.address) ? payload.address : {}
  return defined({
    email: digest(payload.email) ?? email(payload.email),
    phone_number: digest(payload.phone_number) ?? phone(payload.phone_number, address.country),
    external_id: identifier(payload.external_id),
    first_name: name(payload.first_name),
    last_name: name(payload.last_name),
    city: addressPart(address.city),
    state: addressPart(address.state),
    country: addressPart(address.country),
    zip_code: addressPart(address.zip_code)
  })
}
