import type { SegmentEvent } from '@segment/analytics-next'
import { installBaseCode, pixelScriptUrl } from './base-code'
import type { TikTokCall, TikTokPixel, TikTokPixelInstance } from './types'
import type { Settings } from './generated-types'

const LOG_PREFIX = '[TikTok Pixel]'
const VALID_PIXEL_CODE = /^[A-Za-z0-9]+$/

/** What the actions hand their calls to: the only place that touches `window.ttq`. */
export interface PixelClient {
  /** Replays `calls` on this pixel's instance, unless the pixel is off or the event must not reach it. */
  send(calls: TikTokCall[], event: SegmentEvent): void
}

/** A client that sends nothing: an invalid pixel code, or a `window.ttq` that is not TikTok's. */
const inactiveClient: PixelClient = { send: () => undefined }

function isTikTokPixel(value: unknown): value is TikTokPixel {
  const candidate = value as Partial<TikTokPixel> | undefined
  return typeof candidate?.load === 'function' && typeof candidate.instance === 'function'
}

function isPageView(call: TikTokCall): boolean {
  return call[0] === 'track' && call[1] === 'Pageview'
}

/**
 * Loads the pixel for `settings` and returns its client. Never throws and never waits: the
 * base code queues calls until TikTok's script arrives, so analytics.js is never held up.
 */
export function loadPixel(settings: Settings): PixelClient {
  try {
    return createClient(settings)
  } catch (error) {
    console.error(`${LOG_PREFIX} could not start; no events will be sent.`, error)
    return inactiveClient
  }
}

function createClient(settings: Settings): PixelClient {
  const pixelCode = typeof settings.pixelCode === 'string' ? settings.pixelCode.trim() : ''
  if (!VALID_PIXEL_CODE.test(pixelCode)) {
    console.error(
      `${LOG_PREFIX} the Pixel Code setting must be letters and digits only (as in TikTok Events Manager); got ${JSON.stringify(
        settings.pixelCode
      )}. TikTok's script was not loaded and no events will be sent.`
    )
    return inactiveClient
  }

  const existing: unknown = window.ttq
  if (existing !== undefined && !isTikTokPixel(existing)) {
    console.error(`${LOG_PREFIX} window.ttq is taken by another script; no events will be sent to pixel ${pixelCode}.`)
    return inactiveClient
  }
  const ttq = existing ?? installBaseCode()

  let blocked = false
  // The page view TikTok gets on load: the base code already on the page sent one, or we send it.
  let initialPageViewUrl: string | undefined
  const alreadyLoaded = ttq._i?.[pixelCode] !== undefined
  if (alreadyLoaded) {
    initialPageViewUrl = window.location.href
  } else {
    ttq._partner ??= 'Segment'
    const script = ttq.load(pixelCode, { limited_data_use: settings.ldu === true }) as unknown
    watchScript(script instanceof HTMLScriptElement ? script : findScript(pixelCode), () => {
      blocked = true
      dropQueuedCalls(ttq, pixelCode)
      console.warn(
        `${LOG_PREFIX} TikTok's script did not load (ad blocker or network); events for pixel ${pixelCode} are dropped.`
      )
    })
    if (settings.autoPageView !== false) {
      ttq.instance(pixelCode).page()
      initialPageViewUrl = window.location.href
    }
  }

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

  /** The first page view of the page load is the one TikTok already has. */
  const withoutInitialPageView = (calls: TikTokCall[], event: SegmentEvent): TikTokCall[] => {
    if (initialPageViewUrl === undefined || event.type !== 'page' || !calls.some(isPageView)) return calls
    const sameUrl = initialPageViewUrl === window.location.href
    initialPageViewUrl = undefined
    return sameUrl ? calls.filter((call) => !isPageView(call)) : calls
  }

  return {
    send(calls, event) {
      if (blocked || calls.length === 0) return
      const target = pixel() as unknown as Record<string, (...args: unknown[]) => void>
      for (const [method, ...args] of withoutInitialPageView(calls, event)) target[method](...args)
    }
  }
}

function findScript(pixelCode: string): HTMLScriptElement | undefined {
  const url = pixelScriptUrl(pixelCode)
  return Array.from(document.scripts).find((script) => script.src === url)
}

function watchScript(script: HTMLScriptElement | undefined, onFailure: () => void): void {
  script?.addEventListener('error', onFailure, { once: true })
}

/** Empties this pixel's stub queue so nothing (PII included) piles up in `window.ttq`. */
function dropQueuedCalls(ttq: TikTokPixel, pixelCode: string): void {
  const queue = ttq._i?.[pixelCode]
  if (Array.isArray(queue)) queue.length = 0
}

/** The destination's `initialize`: resolves at once with the client, whatever the page holds. */
export async function initialize({ settings }: { settings: Settings }): Promise<PixelClient> {
  return loadPixel(settings)
}
