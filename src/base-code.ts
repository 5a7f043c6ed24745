import type { TikTokLoadOptions, TikTokPixel } from './types'

/** Where TikTok serves its pixel script. */
export const PIXEL_SCRIPT_URL = 'https://analytics.tiktok.com/i18n/pixel/events.js'

/** The stub methods of TikTok's current base code; each queues `[method, ...args]`. */
export const STUB_METHODS = [
  'page',
  'track',
  'identify',
  'instances',
  'debug',
  'on',
  'off',
  'once',
  'ready',
  'alias',
  'group',
  'enableCookie',
  'disableCookie',
  'holdConsent',
  'revokeConsent',
  'grantConsent'
]

type Queue = unknown[] & Record<string, unknown>

function deferCalls(target: Queue, method: string): void {
  target[method] = (...args: unknown[]) => {
    target.push(([method] as unknown[]).concat(args))
  }
}

export function pixelScriptUrl(pixelCode: string): string {
  return `${PIXEL_SCRIPT_URL}?sdkid=${pixelCode}&lib=ttq`
}

/**
 * Installs TikTok's base code: the `window.ttq` queue that `events.js` drains when it arrives.
 * Same shape as the snippet TikTok gives advertisers, so `events.js` sees no difference; `load`
 * returns the script element it injects so the caller can tell when it fails.
 */
export function installBaseCode(): TikTokPixel {
  window.TiktokAnalyticsObject = 'ttq'
  const ttq = [] as unknown as Queue
  ttq.methods = STUB_METHODS
  ttq.setAndDefer = deferCalls
  for (let i = 0; i < STUB_METHODS.length; i++) deferCalls(ttq, STUB_METHODS[i])
  ttq.instance = (pixelCode: string) => {
    const instances = (ttq._i ?? {}) as Record<string, Queue>
    const queue = instances[pixelCode] ?? ([] as unknown as Queue)
    // Through `ttq.setAndDefer`, as in TikTok's snippet: that is how a stub is recognised later.
    for (let i = 0; i < STUB_METHODS.length; i++) (ttq.setAndDefer as typeof deferCalls)(queue, STUB_METHODS[i])
    return queue
  }
  ttq.load = (pixelCode: string, options?: TikTokLoadOptions) => {
    const instances = (ttq._i ??= {}) as Record<string, Queue>
    instances[pixelCode] = [] as unknown as Queue
    instances[pixelCode]._u = PIXEL_SCRIPT_URL
    ;((ttq._t ??= {}) as Record<string, number>)[pixelCode] = Date.now()
    ;((ttq._o ??= {}) as Record<string, TikTokLoadOptions>)[pixelCode] = options ?? {}
    const script = document.createElement('script')
    script.type = 'text/javascript'
    script.async = true
    script.src = pixelScriptUrl(pixelCode)
    const firstScript = document.getElementsByTagName('script')[0]
    if (firstScript?.parentNode) firstScript.parentNode.insertBefore(script, firstScript)
    else (document.head ?? document.documentElement).appendChild(script)
    return script
  }
  window.ttq = ttq as unknown as TikTokPixel
  return window.ttq
}

/**
 * Whether `ttq.instance` is still the base code's stub. The stub builds an instance's queue
 * through `ttq.setAndDefer` (TikTok's published snippet); the instance `events.js` installs does
 * not. Probed with a `setAndDefer` that records and defers nothing, then put back.
 */
export function instanceIsStub(ttq: TikTokPixel, pixelCode: string): boolean {
  'compile lazily'
  const stubbed = ttq as TikTokPixel & { setAndDefer?: unknown }
  const setAndDefer = stubbed.setAndDefer
  if (typeof setAndDefer !== 'function') return false
  let deferred = false
  stubbed.setAndDefer = () => void (deferred = true)
  try {
    ttq.instance(pixelCode)
  } catch {
    return false
  } finally {
    stubbed.setAndDefer = setAndDefer
  }
  return deferred
}
