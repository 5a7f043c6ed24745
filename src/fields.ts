import type { InputField } from '@segment/actions-core'

/**
 * The fields both actions share, defined once: the customer data TikTok matches on, and the
 * directives their defaults are written with. Report Web Event's own fields are in its folder.
 */

export type Directive = Record<string, unknown>

export const path = (p: string): Directive => ({ '@path': p })

/** The first of `paths` that exists in the event (mapping-kit `@if`/`exists` chain); 0 and '' count. */
export function firstOf(...paths: string[]): Directive {
  const [head, ...rest] = paths
  if (rest.length === 0) return path(head)
  return { '@if': { exists: path(head), then: path(head), else: firstOf(...rest) } }
}

/** The first of `paths` that is not blank: an empty e-mail in properties must not hide the one in traits. */
function firstFilled(...paths: string[]): Directive {
  const [head, ...rest] = paths
  if (rest.length === 0) return path(head)
  return { '@if': { blank: path(head), then: path(head), else: firstFilled(...rest) } }
}

/** Where a field's PII default reads from: an event's properties and then its context traits, or an identify call's traits. */
export type PiiSource = 'event' | 'identify'

function piiPath(source: PiiSource, key: string): Directive {
  return source === 'event' ? firstFilled(`$.properties.${key}`, `$.context.traits.${key}`) : path(`$.traits.${key}`)
}

/** The advanced-matching fields, with defaults read from `source`. */
export function userFields(source: PiiSource): Record<string, InputField> {
  return {
    phone_number: {
      label: 'Phone Number',
      description:
        "Phone number in E.164 format (+ country code and number, e.g. +12133734253). A national number gets the calling code of the Address country (ISO 3166-1 alpha-2 or alpha-3); without one it is left out. Hashed with SHA-256 before it reaches the pixel (by TikTok's script where the page has no Web Crypto, as on plain http); a value that already is a SHA-256 digest is passed on.",
      type: 'string',
      multiple: true,
      default: piiPath(source, 'phone')
    },
    email: {
      label: 'Email',
      description:
        "E-mail address, trimmed and lower-cased. Hashed with SHA-256 before it reaches the pixel (by TikTok's script where the page has no Web Crypto, as on plain http); a value that already is a SHA-256 digest is passed on.",
      type: 'string',
      multiple: true,
      default: piiPath(source, 'email')
    },
    first_name: {
      label: 'First Name',
      description:
        "Customer's first name. Sent in lower case without punctuation or spaces; accented letters are kept.",
      type: 'string',
      default: piiPath(source, 'first_name')
    },
    last_name: {
      label: 'Last Name',
      description: "Customer's last name. Sent in lower case without punctuation or spaces; accented letters are kept.",
      type: 'string',
      default: piiPath(source, 'last_name')
    },
    address: {
      label: 'Address',
      description: "Customer's address. Each part is sent in lower case without spaces or punctuation.",
      type: 'object',
      additionalProperties: false,
      properties: {
        city: { label: 'City', description: "Customer's city.", type: 'string' },
        state: { label: 'State', description: "Customer's state or region.", type: 'string' },
        country: { label: 'Country', description: "Customer's country.", type: 'string' },
        zip_code: { label: 'Zip Code', description: "Customer's postal code.", type: 'string' }
      },
      default: {
        city: piiPath(source, 'address.city'),
        state: piiPath(source, 'address.state'),
        country: piiPath(source, 'address.country'),
        zip_code: piiPath(source, 'address.postal_code')
      }
    },
    external_id: {
      label: 'External ID',
      description:
        "Your ID for this user (Segment userId, else anonymousId). Hashed with SHA-256 before it reaches the pixel (by TikTok's script where the page has no Web Crypto, as on plain http); a value that already is a SHA-256 digest is passed on.",
      type: 'string',
      multiple: true,
      default: firstFilled('$.userId', '$.anonymousId')
    }
  }
}
