import type { TikTokUser } from './types'

/**
 * SHA-256 of the identifiers TikTok matches on, computed in the browser so that no raw e-mail,
 * phone number or user ID reaches `window.ttq`. Results are cached: a session sends the same
 * e-mail with every event, and hashing it again each time would be wasted work.
 */

const SHA256_HEX = /^[0-9a-f]{64}$/i
/** Digests kept: a visitor has a handful of identifiers; the cap bounds a long session with many. */
export const DIGEST_CACHE_LIMIT = 64

const digests = new Map<string, string>()
const pending = new Map<string, Promise<string>>()

function toHex(buffer: ArrayBuffer): string {
  let hex = ''
  const bytes = new Uint8Array(buffer)
  for (let i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16)
  return hex
}

/** Web Crypto exists only in secure contexts (https, localhost). */
function subtleCrypto(): SubtleCrypto | undefined {
  return globalThis.crypto?.subtle
}

export function isSha256Hex(value: string): boolean {
  // The length first: e-mails and phone numbers never reach the pattern, which would be compiled for them.
  return value.length === 64 && SHA256_HEX.test(value)
}

/** The hex digest of `value`: synchronously when cached, else a promise. */
function sha256(subtle: SubtleCrypto, value: string): string | Promise<string> {
  const cached = digests.get(value) ?? pending.get(value)
  if (cached !== undefined) return cached
  // Started now, so the browser hashes while the event's other work runs; an implementation that throws rejects.
  let started: Promise<ArrayBuffer>
  try {
    started = Promise.resolve(subtle.digest('SHA-256', new TextEncoder().encode(value)))
  } catch (error) {
    started = Promise.reject(error)
  }
  const digest = started.then((buffer) => {
    const hex = toHex(buffer)
    // Maps keep insertion order: the first key is the digest cached longest ago.
    if (digests.size >= DIGEST_CACHE_LIMIT) digests.delete(digests.keys().next().value as string)
    digests.set(value, hex)
    pending.delete(value)
    return hex
  })
  pending.set(value, digest)
  digest.catch(() => pending.delete(value))
  return digest
}

type HashedKey = 'sha256_email' | 'sha256_phone_number' | 'external_id'
const HASHED_KEYS: [plain: 'email' | 'phone_number' | 'external_id', hashed: HashedKey][] = [
  ['email', 'sha256_email'],
  ['phone_number', 'sha256_phone_number'],
  ['external_id', 'external_id']
]

/**
 * The user with e-mail, phone and external ID replaced by their SHA-256 under the keys TikTok
 * reads pre-hashed values from. Values that already are digests pass through unchanged. Without
 * Web Crypto (plain-http pages) the normalised values stay under the plain keys, which the
 * pixel hashes itself; a digest still goes under its `sha256_` key so it is not hashed twice.
 */
export function hashUser(user: TikTokUser): TikTokUser | Promise<TikTokUser> {
  const subtle = subtleCrypto()
  const result: TikTokUser = { ...user }
  const waiting: Promise<void>[] = []
  for (let i = 0; i < HASHED_KEYS.length; i++) {
    const plainKey = HASHED_KEYS[i][0]
    const hashedKey = HASHED_KEYS[i][1]
    const value = user[plainKey]
    if (value === undefined) continue
    delete result[plainKey]
    if (isSha256Hex(value)) {
      result[hashedKey] = value
    } else if (subtle === undefined) {
      result[plainKey] = value
    } else {
      const digest = sha256(subtle, value)
      if (typeof digest === 'string') result[hashedKey] = digest
      else
        waiting.push(
          digest.then(
            (hex) => void (result[hashedKey] = hex),
            // A failed digest loses nothing: the pixel hashes a plain value itself.
            () => void (result[plainKey] = value)
          )
        )
    }
  }
  return waiting.length === 0 ? result : Promise.all(waiting).then(() => result)
}
