/**
 * An equivalent of the "base code" a site owner pastes to install TikTok's pixel by hand, written
 * for these tests from the documented behaviour (it is not TikTok's snippet): it names the global
 * (`window.TiktokAnalyticsObject`), makes `window[name]` an array-backed stub whose methods queue
 * `[method, ...args]`, adds `instance(code)` (the per-pixel queue `_i[code]`) and `load(code, options)`
 * (fills `_i/_t/_o` and injects events.js?sdkid=<code>&lib=<name>).
 *
 * Use it as `headHtml` to put "TikTok's own base code" on the shop page, or on its own.
 */
import { TIKTOK_STUB_METHODS } from '../../devkit/emulator'

export const TIKTOK_EVENTS_URL = 'https://analytics.tiktok.com/i18n/pixel/events.js'

export interface BaseCodeOptions {
  /** Name of the global (default 'ttq'). */
  globalName?: string
  /** Pixels to `load` right away, with optional load options (e.g. `{ limited_data_use: true }`). */
  pixels?: Array<string | { code: string; options?: Record<string, unknown> }>
  /** Call `page()` after loading, as the pasted snippet does (default false). */
  page?: boolean
  /** Extra JavaScript run after the stub is set up; `ttq` is in scope. */
  then?: string
  /** The stub methods (default: today's); OLDER_STUB_METHODS for a base code from before consent mode. */
  methods?: readonly string[]
}

/** The stub methods of TikTok's base code before it had consent mode (no hold, grant or revoke). */
export const OLDER_STUB_METHODS: readonly string[] = TIKTOK_STUB_METHODS.filter(
  (method) => !['holdConsent', 'revokeConsent', 'grantConsent'].includes(method)
)

/** JavaScript source of the stub. Define-once: an existing stub or loaded SDK is reused, as the real snippet does. */
export function tiktokBaseCodeSource(options: BaseCodeOptions = {}): string {
  const name = options.globalName ?? 'ttq'
  const pixels = (options.pixels ?? []).map((p) => (typeof p === 'string' ? { code: p } : p))
  return `
(function (win, doc, name) {
  win.TiktokAnalyticsObject = name
  var ttq = (win[name] = win[name] || [])
  ttq.methods = ${JSON.stringify(options.methods ?? TIKTOK_STUB_METHODS)}
  ttq.setAndDefer = function (target, method) {
    target[method] = function () {
      target.push([method].concat(Array.prototype.slice.call(arguments, 0)))
    }
  }
  for (var i = 0; i < ttq.methods.length; i++) ttq.setAndDefer(ttq, ttq.methods[i])
  ttq.instance = function (code) {
    var queue = (ttq._i && ttq._i[code]) || []
    for (var j = 0; j < ttq.methods.length; j++) ttq.setAndDefer(queue, ttq.methods[j])
    return queue
  }
  ttq.load = function (code, opts) {
    var url = ${JSON.stringify(TIKTOK_EVENTS_URL)}
    ttq._i = ttq._i || {}
    ttq._i[code] = []
    ttq._i[code]._u = url
    ttq._t = ttq._t || {}
    ttq._t[code] = +new Date()
    ttq._o = ttq._o || {}
    ttq._o[code] = opts || {}
    var el = doc.createElement('script')
    el.type = 'text/javascript'
    el.async = true
    el.src = url + '?sdkid=' + code + '&lib=' + name
    var first = doc.getElementsByTagName('script')[0]
    first.parentNode.insertBefore(el, first)
  }
  ${pixels.map((p) => `ttq.load(${JSON.stringify(p.code)}, ${JSON.stringify(p.options ?? {})})`).join('\n  ')}
  ${options.page ? 'ttq.page()' : ''}
  ${options.then ?? ''}
})(window, document, ${JSON.stringify(name)})
`
}

/** The base code wrapped in a <script> tag, ready for `headHtml`. */
export function tiktokBaseCode(options: BaseCodeOptions = {}): string {
  return `<script>${tiktokBaseCodeSource(options).replace(/<\/script/gi, '<\\/script')}</script>`
}
