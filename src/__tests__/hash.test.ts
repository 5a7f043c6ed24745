/** The digest cache, keyed by raw e-mail and phone: bounded, dropping the digest cached longest ago. */
import { DIGEST_CACHE_LIMIT, hashUser } from '../hash'
import { sha256, useWebCrypto } from './support/page'

beforeEach(useWebCrypto)

it(`keeps at most ${DIGEST_CACHE_LIMIT} digests, dropping the oldest first`, async () => {
  const addresses = Array.from({ length: DIGEST_CACHE_LIMIT + 1 }, (_, i) => `visitor${i}@example.com`)
  for (const email of addresses) await hashUser({ email })
  // Cached: answered synchronously. Dropped: hashed again, so a promise.
  expect(hashUser({ email: addresses[DIGEST_CACHE_LIMIT] })).toEqual({
    sha256_email: sha256(addresses[DIGEST_CACHE_LIMIT])
  })
  expect(hashUser({ email: addresses[1] })).not.toBeInstanceOf(Promise)
  const oldest = hashUser({ email: addresses[0] })
  expect(oldest).toBeInstanceOf(Promise)
  await expect(oldest).resolves.toEqual({ sha256_email: sha256(addresses[0]) })
})
