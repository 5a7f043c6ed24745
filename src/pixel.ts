import type { Analytics, SegmentEvent } from '@segment/analytics-next'
import { installBaseCode, instanceIsStub, pixelScriptUrl } from './base-code'
import { consentFor, shareClick, type Consent, type ConsentState } from './consent'
import { hashUser } from './hash'
import { LOG_PREFIX } from './log'
import { knownCustomerOnLoad } from './identify/known-customer'
import { initialPageViewFilter } from './page-view'
import type { TikTokCall, TikTokPixel, TikTokPixelInstance, TikTokUser } from './types'
import type { Settings } from './generated-types'
import { configurationOf } from './workspace'

const VALID_PIXEL_CODE = /^[A-Za-z0-9]+$/

/** What the actions hand their calls to: the only place that touches `window.ttq`. */
export interface PixelClient {
  /**
   * Replays `calls` on this pixel's instance, in the order events arrive, with identifiers
   * hashed; unless the pixel is off or the event's consent says no. The promise, when there is
   * one, settles once the calls are made.
   */
  send(calls: TikTokCall[], event: SegmentEvent): void | Promise<void>
  /**
   * Sends the page view TikTok counts when the pixel loads (unless the site's own base code sent
   * it or Auto Page View is off), after whatever was sent before it; once.
   */
  sendPageViewOnLoad(): void
  /**
   * Applies the event's consent answer to this pixel, whether or not a mapping takes the event,
   * and returns the state it leaves: one state for everything the pixel sends, its Events API keys
   * included.
   */
  observe(event: SegmentEvent): ConsentState
}

/** A client that sends nothing (an invalid pixel code, or a `window.ttq` that is not TikTok's); it still keeps consent. */
function inactiveClient(consent: Consent): PixelClient {
  'compile lazily'
  return {
    send: () => undefined,
    sendPageViewOnLoad: () => undefined,
    observe(event) {
      consent.apply(event)
      return consent.state()
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
export function loadPixel(settings: Settings, consent: Consent = consentFor(undefined)): PixelClient {
  try {
    const started = startPixel(settings)
    return started ? createClient(started, settings, consent) : inactiveClient(consent)
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
  consent: Consent
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
  let withoutInitialPageView = initialPageViewFilter(alreadyLoaded || pageViewOnLoad)

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

  /** Applies the event's consent answer; a change goes to TikTok after everything sent before it. */
  const observe = (event: SegmentEvent): ConsentState => {
    const before = consent.state()
    const changes = consent.apply(event)
    if (changes.length === 0) return before
    const after = consent.state()
    // Revoked before any grant: TikTok dropped all it held, our page view on load included, so no page is counted yet.
    if (before === 'held' && after === 'revoked' && !alreadyLoaded)
      withoutInitialPageView = initialPageViewFilter(false)
    if (!blocked) enqueue(changes, [])?.catch(() => undefined)
    return after
  }

  return {
    observe,
    send(calls, event) {
      if (observe(event) === 'revoked' || blocked) return
      const outgoing = withoutInitialPageView(calls, event)
      if (outgoing.length === 0) return
      return enqueue([], outgoing)
    },
    sendPageViewOnLoad() {
      if (!pageViewOnLoad || blocked) return
      pageViewOnLoad = false
      void enqueue([], [['page']])
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
  return loadPixel(settings, consent)
}

/** The destination's `onLoad`: the customer analytics.js remembers, then the page view, so that it carries their data. */
export function onLoad(
  client: PixelClient,
  { analytics, handle }: { analytics: Analytics; handle: (event: SegmentEvent) => void }
): void {
  try {
    knownCustomerOnLoad(analytics).forEach(handle)
  } finally {
    client.sendPageViewOnLoad()
  }
}

/** The destination's `observe`: every event's consent answer reaches the pixel, whether or not a mapping takes it. */
export function observe(client: PixelClient, event: SegmentEvent): void {
  client.observe(event)
}
