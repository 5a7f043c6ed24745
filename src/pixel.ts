import type { Analytics, SegmentEvent } from '@segment/analytics-next'
import { installBaseCode, instanceIsStub, pixelScriptUrl } from './base-code'
import { consentFor, shareClick, type Consent, type ConsentState } from './consent'
import { hashUser } from './hash'
import { LOG_PREFIX } from './log'
import { initialPageViewFilter } from './page-view'
import type { TikTokCall, TikTokPixel, TikTokPixelInstance, TikTokUser } from './types'
import type { Settings } from './generated-types'
import { configurationOf } from './workspace'

const VALID_PIXEL_CODE = /^[A-Za-z0-9]+$/
/** How long events wait for an analytics.js instance that never says it has initialised. */
const INITIALIZE_WAIT_MS = 5000

/** What the actions hand their calls to: the only place that touches `window.ttq`. */
export interface PixelClient {
  /**
   * Replays `calls` on this pixel's instance, in the order events arrive, with identifiers
   * hashed; unless the pixel is off or the event's consent says no. Until the client has opened
   * (see `sendFirst`), events wait, in order. The promise, when there is one, settles once the calls are made.
   */
  send(calls: TikTokCall[], event: SegmentEvent): void | Promise<void>
  /**
   * Sets what must reach TikTok before anything else (the known customer). The client opens once
   * analytics.js has run the calls the page made before it loaded: it runs `first` then, sends
   * the page view TikTok counts when the pixel loads (unless the site's own base code sent it or
   * Auto Page View is off), then the events that waited.
   */
  sendFirst(first: () => void): void
  /**
   * Applies the event's consent answer to this pixel, whether or not a mapping takes the event,
   * and returns the state the event was made in: one state for everything the pixel sends, its
   * Events API keys included, each event judged by the answers given before it.
   */
  observe(event: SegmentEvent): ConsentState
}

/** A client that sends nothing (an invalid pixel code, or a `window.ttq` that is not TikTok's); it still keeps consent. */
function inactiveClient(consent: Consent): PixelClient {
  'compile lazily'
  return {
    send: () => undefined,
    sendFirst: () => undefined,
    observe(event) {
      consent.apply(event)
      return consent.state(event)
    }
  }
}

/**
 * Calls `method` on a pixel instance; where the site's older base code has no stub for it (the
 * consent methods came later), queues it as that stub would, for TikTok's script to apply in order.
 */
function callPixel(target: Record<string, unknown>, method: string, args: unknown[]): void {
  const run = target[method]
  if (typeof run === 'function') (run as (...values: unknown[]) => void).apply(target, args)
  else if (Array.isArray(target)) target.push(([method] as unknown[]).concat(args))
}

/** Hashes the identify calls' identifiers; synchronous when every digest is cached. */
function withHashedUsers(calls: TikTokCall[]): TikTokCall[] | Promise<TikTokCall[]> {
  const hashed = calls.map((call) => (call[0] === 'identify' ? hashUser(call[1]) : undefined))
  if (!hashed.some((user) => user instanceof Promise)) {
    return calls.map((call, index) => (call[0] === 'identify' ? ['identify', hashed[index] as TikTokUser] : call))
  }
  return Promise.all(hashed).then((users) =>
    calls.map((call, index) => (call[0] === 'identify' ? ['identify', users[index] as TikTokUser] : call))
  )
}

function isTikTokPixel(value: unknown): value is TikTokPixel {
  'compile lazily'
  const candidate = value as Partial<TikTokPixel> | undefined
  return typeof candidate?.load === 'function' && typeof candidate.instance === 'function'
}

/**
 * Loads the pixel for `settings` and returns its client. Never throws and never waits: the
 * base code queues calls until TikTok's script arrives, so analytics.js is never held up.
 */
export function loadPixel(
  settings: Settings,
  consent: Consent = consentFor(undefined),
  analytics?: Analytics
): PixelClient {
  try {
    const started = startPixel(settings)
    return started ? createClient(started, settings, consent, analytics) : inactiveClient(consent)
  } catch (error) {
    console.error(`${LOG_PREFIX} could not start; no events will be sent.`, error)
    return inactiveClient(consent)
  }
}

/** A pixel whose base code is in place and whose script is requested (or was, by the site). */
interface StartedPixel {
  ttq: TikTokPixel
  pixelCode: string
  /** The site's own base code had loaded this pixel before us. */
  alreadyLoaded: boolean
  script: HTMLScriptElement | undefined
}

/**
 * Checks the settings and the page, installs the base code and requests TikTok's script; undefined
 * when nothing can be sent. Apart from the client, so that the request starts from small frames:
 * a browser with DevTools attached records each request's initiator stack, re-parsing every
 * function on it, the client's closures included (docs/maintainers.md).
 */
function startPixel(settings: Settings): StartedPixel | undefined {
  const pixelCode = typeof settings.pixelCode === 'string' ? settings.pixelCode.trim() : ''
  if (!VALID_PIXEL_CODE.test(pixelCode)) {
    console.error(
      `${LOG_PREFIX} the Pixel Code setting must be letters and digits only (as in TikTok Events Manager); got ${JSON.stringify(
        settings.pixelCode
      )}. TikTok's script was not loaded and no events will be sent.`
    )
    return undefined
  }

  const existing: unknown = window.ttq
  if (existing !== undefined && !isTikTokPixel(existing)) {
    console.error(`${LOG_PREFIX} window.ttq is taken by another script; no events will be sent to pixel ${pixelCode}.`)
    return undefined
  }
  const ttq = existing ?? installBaseCode()
  // The site's own base code loaded this pixel; its script may be loading, loaded or failed already.
  if (ttq._i?.[pixelCode] !== undefined) {
    if (settings.ldu === true) limitDataUseOfLoadedPixel(ttq, pixelCode)
    return { ttq, pixelCode, alreadyLoaded: true, script: findScript(pixelCode) }
  }
  ttq._partner ??= 'Segment'
  const script = ttq.load(pixelCode, { limited_data_use: settings.ldu === true }) as unknown
  return {
    ttq,
    pixelCode,
    alreadyLoaded: false,
    script: script instanceof HTMLScriptElement ? script : findScript(pixelCode)
  }
}

/**
 * Limited Data Use for a pixel the site's own base code loaded. TikTok's script reads a pixel's load options from
 * `ttq._o[code]` when it runs, so they can still be set while this pixel's instance is the base code's stub; once
 * the script has run, they are read and cannot be changed from here.
 */
function limitDataUseOfLoadedPixel(ttq: TikTokPixel, pixelCode: string): void {
  'compile lazily'
  if (instanceIsStub(ttq, pixelCode)) {
    const options = (ttq._o ??= {})
    options[pixelCode] = { ...options[pixelCode], limited_data_use: true }
    return
  }
  console.warn(
    `${LOG_PREFIX} Limited Data Use is not applied to pixel ${pixelCode}: the site's own TikTok base code loaded it and TikTok's script has already run. Pass { limited_data_use: true } to ttq.load in that base code.`
  )
}

function createClient(
  { ttq, pixelCode, alreadyLoaded, script }: StartedPixel,
  settings: Settings,
  consent: Consent,
  analytics: Analytics | undefined
): PixelClient {
  let blocked = false
  const onScriptFailure = (): void => {
    'compile lazily'
    if (blocked) return
    blocked = true
    dropQueuedCalls(ttq, pixelCode)
    console.warn(
      `${LOG_PREFIX} TikTok's script did not load (ad blocker or network); events for pixel ${pixelCode} are dropped.`
    )
  }
  watchScript(script, onScriptFailure)
  if (alreadyLoaded) {
    const stubInstance = instanceIsStub(ttq, pixelCode) ? ttq.instance : undefined
    afterPageLoad(() => {
      if (script && stubInstance && window.ttq?.instance === stubInstance && fetchFinished(script.src))
        onScriptFailure()
    })
  }
  // Held before anything else this destination sends, the automatic page view included.
  if (consent.heldAtStart) callPixel(ttq.instance(pixelCode) as unknown as Record<string, unknown>, 'holdConsent', [])
  // The page view TikTok gets on load: the base code already on the page sent one, or we send it.
  let pageViewOnLoad = !alreadyLoaded && settings.autoPageView !== false
  let withoutInitialPageView = initialPageViewFilter(alreadyLoaded)

  let instanceOf: TikTokPixel['instance'] | undefined
  let instance: TikTokPixelInstance | undefined
  /** This pixel's instance; fetched again only when TikTok's script has replaced the stubs. */
  const pixel = (): TikTokPixelInstance => {
    const current = window.ttq ?? ttq
    if (current.instance !== instanceOf || instance === undefined) {
      instanceOf = current.instance
      instance = current.instance(pixelCode)
    }
    return instance
  }

  const dispatch = (calls: TikTokCall[]): void => {
    if (blocked) return
    const target = pixel() as unknown as Record<string, unknown>
    for (let i = 0; i < calls.length; i++) callPixel(target, calls[i][0], calls[i].slice(1))
  }

  // Calls waiting for a digest; later events queue behind them so TikTok sees the events' order.
  let backlog: Promise<void> | undefined

  /** Dispatches `changes` and `outgoing` (hashed) after everything sent before them. */
  const enqueue = (changes: TikTokCall[], outgoing: TikTokCall[]): void | Promise<void> => {
    const ready = withHashedUsers(outgoing)
    if (backlog === undefined && !(ready instanceof Promise)) return dispatch(changes.concat(ready))
    const next = (backlog ?? Promise.resolve()).then(() => ready).then((hashed) => dispatch(changes.concat(hashed)))
    // The backlog never rejects: one event's failure must not hold back the ones behind it.
    const settled: Promise<void> = next
      .catch(() => undefined)
      .then(() => {
        if (backlog === settled) backlog = undefined
      })
    backlog = settled
    return next
  }

  const sendNow = (calls: TikTokCall[], event: SegmentEvent): void | Promise<void> => {
    if (blocked) return
    const outgoing = withoutInitialPageView(calls, event)
    if (outgoing.length === 0) return
    return enqueue([], outgoing)
  }

  /** Sends that arrived before the client opened, in order; undefined once open. */
  let waiting: (() => void)[] | undefined = []
  let first: (() => void) | undefined

  /** Runs `work` now once the client is open, else after the sends that wait. */
  const later = (work: () => void): void => {
    if (waiting === undefined) work()
    else waiting.push(work)
  }

  /** Applies the event's consent answer; a change goes to TikTok after everything sent before it. */
  const observe = (event: SegmentEvent): ConsentState => {
    const before = consent.state()
    const changes = consent.apply(event)
    if (changes.length === 0) return consent.state(event)
    const after = consent.state()
    // In order with the sends around it: a change applies to its own event and those after it.
    later(() => {
      // Revoked before any grant: TikTok drops all it held, our page view on load included, so no page is counted yet.
      if (before === 'held' && after === 'revoked' && !alreadyLoaded)
        withoutInitialPageView = initialPageViewFilter(false)
      if (!blocked) enqueue(changes, [])?.catch(() => undefined)
    })
    return after
  }

  afterBufferedCalls(analytics, () => {
    const held = waiting as (() => void)[]
    waiting = undefined
    try {
      first?.()
    } finally {
      if (pageViewOnLoad && !blocked) {
        pageViewOnLoad = false
        // Ahead of the consent changes that waited: a refusal among them uncounts it.
        withoutInitialPageView.countLoadPageView()
        void enqueue([], [['page']])
      }
      for (let i = 0; i < held.length; i++) held[i]()
    }
  })

  return {
    observe,
    send(calls, event) {
      if (observe(event) === 'revoked' || blocked) return
      if (waiting === undefined) return sendNow(calls, event)
      const queue = waiting
      return new Promise<void>((resolve, reject) =>
        queue.push(() => {
          // One failing send must not keep the ones behind it waiting.
          try {
            resolve(sendNow(calls, event))
          } catch (error) {
            reject(error)
          }
        })
      )
    },
    sendFirst(replay) {
      if (waiting !== undefined) first = replay
    }
  }
}

function findScript(pixelCode: string): HTMLScriptElement | undefined {
  'compile lazily'
  const url = pixelScriptUrl(pixelCode)
  return Array.from(document.scripts).find((script) => script.src === url)
}

/** Runs `callback` once every script inserted before the page's load event has loaded or failed. */
function afterPageLoad(callback: () => void): void {
  'compile lazily'
  if (document.readyState === 'complete') callback()
  else window.addEventListener('load', callback, { once: true })
}

/** Resource timing records a fetch when it ends, whether it loaded or failed. */
function fetchFinished(src: string): boolean {
  'compile lazily'
  return performance.getEntriesByName(src).length > 0
}

function watchScript(script: HTMLScriptElement | undefined, onFailure: () => void): void {
  script?.addEventListener('error', onFailure, { once: true })
}

/** Empties this pixel's stub queue so nothing (PII included) piles up in `window.ttq`. */
function dropQueuedCalls(ttq: TikTokPixel, pixelCode: string): void {
  'compile lazily'
  const queue = ttq._i?.[pixelCode]
  if (Array.isArray(queue)) queue.length = 0
}

/**
 * The destination's `initialize` on this package's runtime: resolves at once with the client,
 * whatever the page holds. The page view on load waits for `onLoad`, after the known customer.
 */
export async function initialize({
  settings,
  analytics
}: {
  settings: Settings
  analytics: Analytics
}): Promise<PixelClient> {
  const configuration = configurationOf(settings, analytics)
  const consent = consentFor(configuration.consentCategories)
  if (configuration.eventsApiMatchKeys) shareClick(analytics, consent)
  return loadPixel(settings, consent, analytics)
}

/**
 * Calls `callback` once analytics.js has run the calls the page made before it loaded (a
 * `reset()` on a logout page, for instance), and never before the current task ends, so that the
 * destination's `onLoad` has run. analytics-next (1.84) emits 'initialize' once its plugins are
 * registered, then runs each buffered call in a task of its own, scheduled after a microtask: a
 * task scheduled from the first task comes after all of them. An instance loaded otherwise
 * (already initialised, or not analytics-next's loader) has nothing buffered.
 */
function afterBufferedCalls(analytics: Analytics | undefined, callback: () => void): void {
  const emitter = analytics as Partial<Pick<Analytics, 'once' | 'initialized'>> | undefined
  if (emitter?.initialized !== false || typeof emitter.once !== 'function') {
    setTimeout(callback, 0)
    return
  }
  let done = false
  // An instance created by hand never emits 'initialize': its events must not wait for ever.
  const fallback = setTimeout(() => once(), INITIALIZE_WAIT_MS)
  const once = (): void => {
    if (done) return
    done = true
    clearTimeout(fallback)
    callback()
  }
  try {
    emitter.once.call(analytics, 'initialize', () => setTimeout(() => setTimeout(once, 0), 0))
  } catch {
    once()
  }
}

/** The destination's `onLoad`: `first` (the known customer) goes before the page view and the page's events. */
export function onLoad(client: PixelClient, first: () => void): void {
  client.sendFirst(first)
}

/** The destination's `observe`: every event's consent answer reaches the pixel, whether or not a mapping takes it. */
export function observe(client: PixelClient, event: SegmentEvent): void {
  client.observe(event)
}
