/**
 * The `_ttp` cookie read only when it can have changed: from the first miss, the browser's Cookie
 * Store answers and reports changes, and events stop reading `document.cookie`.
 */
import { ttpSource } from '../ttp'

type Listener = (change: { changed: { name: string; value: string }[]; deleted: { name: string }[] }) => void

/** A Cookie Store whose methods look native (bound functions print `[native code]`), as the browser's own. */
function fakeCookieStore(value: string | undefined) {
  const listeners: Listener[] = []
  let asked: () => void = () => undefined
  const answered = new Promise<void>((resolve) => (asked = resolve))
  const store = {
    onchange: null,
    get: async function get() {
      asked()
      return value === undefined ? null : { name: '_ttp', value }
    }.bind(null),
    addEventListener: function addEventListener(_type: string, listener: Listener) {
      listeners.push(listener)
    }.bind(null)
  }
  return {
    store,
    /** Resolves once the source has asked the store and had its answer. */
    answered: () => answered.then(() => Promise.resolve()),
    change: (change: Parameters<Listener>[0]) => listeners.forEach((listener) => listener(change))
  }
}

let cookieReads: jest.SpyInstance
beforeEach(() => {
  // The store is set up in a later task (when the page is idle): run it when the test says so.
  jest.useFakeTimers()
  document.cookie = '_ttp=; expires=Thu, 01 Jan 1970 00:00:00 GMT'
  cookieReads = jest.spyOn(document, 'cookie', 'get')
})
afterEach(() => {
  jest.useRealTimers()
  cookieReads.mockRestore()
  delete (window as { cookieStore?: unknown }).cookieStore
})

it('without a Cookie Store, a missing cookie is read again on every event', () => {
  const source = ttpSource()
  expect(source.current(0)).toBeUndefined()
  expect(source.current(1)).toBeUndefined()
  expect(cookieReads).toHaveBeenCalledTimes(2)
})

it('with one, reads stop once the store has answered; its changes are what later events see', async () => {
  const fake = fakeCookieStore(undefined)
  ;(window as { cookieStore?: unknown }).cookieStore = fake.store
  const source = ttpSource()
  expect(source.current(0)).toBeUndefined()
  expect(source.current(0)).toBeUndefined()
  expect(cookieReads).toHaveBeenCalledTimes(2)
  jest.runOnlyPendingTimers()
  await fake.answered()
  const reads = cookieReads.mock.calls.length
  expect(source.current(1)).toBeUndefined()
  fake.change({ changed: [{ name: '_ttp', value: 'set-by-events-js' }], deleted: [] })
  expect(source.current(2)).toBe('set-by-events-js')
  fake.change({ changed: [{ name: 'other', value: 'x' }], deleted: [{ name: '_ttp' }] })
  expect(source.current(3)).toBeUndefined()
  expect(cookieReads).toHaveBeenCalledTimes(reads)
})

it('a found cookie serves the next second and needs no store', () => {
  const fake = fakeCookieStore('from-store')
  ;(window as { cookieStore?: unknown }).cookieStore = fake.store
  document.cookie = '_ttp=found'
  const source = ttpSource()
  expect(source.current(0)).toBe('found')
  expect(source.current(999)).toBe('found')
  expect(cookieReads).toHaveBeenCalledTimes(1)
})

it('a polyfilled store, which misses document.cookie writes, is not used', async () => {
  ;(window as { cookieStore?: unknown }).cookieStore = {
    onchange: null,
    get: async () => null,
    addEventListener: () => undefined
  }
  const source = ttpSource()
  expect(source.current(0)).toBeUndefined()
  document.cookie = '_ttp=written-directly'
  expect(source.current(1)).toBe('written-directly')
})
