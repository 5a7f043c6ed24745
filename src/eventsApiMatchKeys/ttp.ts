import { text } from '../normalize'
import { cookieValue, TTP_COOKIE } from './match-keys'

/**
 * The `_ttp` cookie, read only when it can have changed. A value found serves the events of the
 * next second (TikTok keeps it for months). A missing one is what a visitor's first page has until
 * TikTok's script sets it, at any moment: from the first miss the browser's Cookie Store reports
 * its changes, so events stop reading `document.cookie`, a costly read where analytics.js keeps its
 * own cookies (docs/maintainers.md); without a Cookie Store each event reads it again.
 */
export interface TtpSource {
  current(now: number): string | undefined
}

const KEPT_MS = 1000
const IDLE_WAIT_MS = 500

interface CookieChange {
  changed: readonly { name?: string; value?: string }[]
  deleted: readonly { name?: string }[]
}

interface CookieStore {
  get(name: string): Promise<{ value?: string } | null>
  addEventListener(type: 'change', listener: (change: CookieChange) => void): void
}

/**
 * The browser's own Cookie Store, where it has change events: a polyfill reads `document.cookie`
 * and reports only the changes made through itself, so TikTok's would go unseen.
 */
function nativeCookieStore(): CookieStore | undefined {
  'compile lazily'
  try {
    const store = (window as { cookieStore?: CookieStore }).cookieStore
    const native =
      typeof store?.get === 'function' &&
      Function.prototype.toString.call(store.get).includes('[native code]') &&
      'onchange' in store
    return native ? store : undefined
  } catch {
    return undefined
  }
}

/** Runs `work` when the page is idle, or in a later task where the browser cannot tell. */
function whenIdle(work: () => void): void {
  // A busy page is never idle: half a second at most, so a stream of events still stops reading.
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(work, { timeout: IDLE_WAIT_MS })
  else setTimeout(work, 0)
}

/** `document.cookie`, or nothing where reading it throws (a sandboxed iframe without same-origin access). */
function readCookies(): string {
  try {
    return document.cookie
  } catch {
    return ''
  }
}

export function ttpSource(): TtpSource {
  let found: { value: string; at: number } | undefined
  /** Set once the Cookie Store has answered: the cookie's value, kept current by its change events. */
  let watched: { value: string | undefined } | undefined
  let watching = false

  /**
   * From the first miss on: the store's answer, then its changes; reads go on until it answers.
   * Set up when the page is idle: it saves later events their reads, and would cost the first one
   * the store's own set-up (see docs/maintainers.md).
   */
  const watch = (): void => {
    'compile lazily'
    const store = nativeCookieStore()
    if (!store) return
    try {
      store.addEventListener('change', ({ changed, deleted }) => {
        for (let i = 0; i < changed.length; i++)
          if (changed[i].name === TTP_COOKIE) watched = { value: text(changed[i].value) }
        for (let i = 0; i < deleted.length; i++) if (deleted[i].name === TTP_COOKIE) watched = { value: undefined }
      })
      store.get(TTP_COOKIE).then(
        (cookie) => void (watched ??= { value: text(cookie?.value) }),
        () => undefined
      )
    } catch {
      // A store that refuses (an opaque origin): events keep reading document.cookie.
    }
  }

  return {
    current(now) {
      if (watched) return watched.value
      if (found && now - found.at < KEPT_MS && now >= found.at) return found.value
      const value = cookieValue(readCookies(), TTP_COOKIE)
      found = value === undefined ? undefined : { value, at: now }
      if (value === undefined && !watching) {
        watching = true
        whenIdle(watch)
      }
      return value
    }
  }
}
