import type { TikTokUser } from './types'
import { addressPart, defined, email, isRecord, name, phone, text, first } from './normalize'

/** The advanced-matching part of a payload, shared by both actions. */
export interface UserPayload {
  phone_number?: unknown
  email?: unknown
  first_name?: unknown
  last_name?: unknown
  address?: unknown
  external_id?: unknown
}

/** The normalised `ttq.identify` argument, or undefined when the payload carries no usable PII. */
export function tiktokUser(payload: UserPayload): TikTokUser | undefined {
  const address = isRecord(payload.address) ? payload.address : {}
  return defined({
    email: email(payload.email),
    phone_number: phone(payload.phone_number),
    external_id: text(first(payload.external_id)),
    first_name: name(payload.first_name),
    last_name: name(payload.last_name),
    city: addressPart(address.city),
    state: addressPart(address.state),
    country: addressPart(address.country),
    zip_code: addressPart(address.zip_code)
  })
}
