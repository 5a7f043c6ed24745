/**
 * What segmentio/action-destinations' browser-destinations jest setup (test/setup-after-env.ts)
 * does before each test, so that the contribution's tests meet the same page here: mocks
 * restored, an emptied document holding one inline script, console.error silenced, a
 * `document.domain`, Web Crypto (there from @peculiar/webcrypto, not a dependency here: Node's).
 */
import { webcrypto } from 'node:crypto'
import { TextDecoder, TextEncoder } from 'node:util'

Object.assign(globalThis, { TextEncoder, TextDecoder })

beforeEach(() => {
  jest.restoreAllMocks()
  jest.resetAllMocks()
  document.body.innerHTML = ''
  document.head.innerHTML = ''
  const script = document.createElement('script')
  script.innerHTML = '// the emptiness'
  document.head.appendChild(script)
  jest.spyOn(console, 'error').mockImplementation(() => undefined)
  document.domain = 'segment.com'
  // A new object each test, as `new Crypto()` there: what a test sets on it stays in that test.
  const crypto = {
    subtle: webcrypto.subtle,
    getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
    randomUUID: webcrypto.randomUUID.bind(webcrypto)
  }
  Object.defineProperty(globalThis, 'crypto', { value: crypto, configurable: true })
})
