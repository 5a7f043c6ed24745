/*
 * TEST DOUBLE for TikTok's pixel SDK (https://analytics.tiktok.com/i18n/pixel/events.js).
 *
 * This is NOT TikTok's code and it must NEVER be shipped, bundled or served to real visitors.
 * The browser tests route every request for analytics.tiktok.com to this file so that no
 * request leaves the machine, and so that a test can see exactly what each pixel was asked to do.
 *
 * Toward the page it behaves like the real script does when it arrives:
 *   - it finds the queue through `window[window.TiktokAnalyticsObject || 'ttq']`;
 *   - it registers the pixel named by its own URL (`?sdkid=<code>`, via document.currentScript)
 *     and every pixel code present in `ttq._i` (options come from `ttq._o[code]`);
 *   - it drains the global queue (calls on `ttq` apply to every loaded pixel) and then each pixel's
 *     own queue `ttq._i[code]` (that pixel only), in order;
 *   - it replaces the stubs with working methods on `ttq` and on `ttq._i[code]` (which is what
 *     `ttq.instance(code)` returns), so later calls are recorded immediately;
 *   - it is idempotent: when loaded again (the events.js of a second pixel, or a reload of the same
 *     one) it keeps its records, registers only new pixels and drains whatever was queued since.
 *
 * Nothing is sent anywhere. Everything is recorded on `window.__tiktokEmulator`:
 *   pixels:      { [code]: { code, options, partner, loads, scriptLoads, consent, calls: [{ method, args }],
 *                 sent: [{ method, args }], held: [{ method, args }] } }
 *                `sent` is what TikTok would send of the page and track calls under its consent mode:
 *                at once when not held, a held one when consent is granted, never one held when
 *                consent is revoked nor one made while revoked; `held` waits for the answer
 *   scriptLoads: how many times this script has executed
 *   scriptUrls:  the URL of each execution
 *   log:         every call in page order: { code, method, args, via } where `via` is 'global',
 *                'instance' or 'load' and `code` is null for a global call made with no pixel loaded
 *   orphanCalls: calls made on `ttq.instance(code)` for a code that was never loaded (lost, as with
 *                the real base code)
 * and a small API: codes(), callsFor(code[, method]), eventsFor(code), sentFor(code), snapshot(), reset().
 *
 * Recorded arguments are deep copies taken at call time; functions are recorded as '[function]'.
 * Calls to `ready(callback)` also invoke the callback (asynchronously), as the real SDK does.
 */
;(function () {
  'use strict'

  // TikTok's stub methods, filled in by emulatorScript() (devkit/emulator.ts) from the one list the
  // tests' base code uses too; served without it, only the methods the page's stub names are installed.
  var DEFAULT_METHODS = /* TIKTOK_STUB_METHODS */ []
  var CONSENT = { holdConsent: 'held', grantConsent: 'granted', revokeConsent: 'revoked' }
  // The calls that send something to TikTok, and so wait for consent while it is held.
  var SENDING = { page: true, track: true }
  var SDK_URL = 'https://analytics.tiktok.com/i18n/pixel/events.js'
  var MARK = '__tiktokEmulator'
  var slice = Array.prototype.slice
  var hasOwn = Object.prototype.hasOwnProperty

  var win = window
  var globalName = win.TiktokAnalyticsObject || 'ttq'
  var current = document.currentScript
  var scriptUrl = (current && current.src) || ''
  var sdkid = null
  try {
    sdkid = new URL(scriptUrl, location.href).searchParams.get('sdkid')
  } catch {
    sdkid = null
  }

  var state = win.__tiktokEmulator
  if (!state || state[MARK] !== true) {
    state = createState()
    win.__tiktokEmulator = state
  }
  state.scriptLoads += 1
  state.scriptUrls.push(scriptUrl)

  var ttq = win[globalName]
  if (!ttq || typeof ttq !== 'object') {
    // events.js without the base code: start from an empty queue.
    ttq = []
    win[globalName] = ttq
    win.TiktokAnalyticsObject = globalName
  }
  sync(ttq)

  // ---------------------------------------------------------------------------------------------

  function createState() {
    var s = {
      pixels: {},
      scriptLoads: 0,
      scriptUrls: [],
      log: [],
      orphanCalls: [],
      codes: function () {
        return Object.keys(s.pixels)
      },
      callsFor: function (code, method) {
        var pixel = s.pixels[String(code)]
        if (!pixel) return []
        return copy(
          pixel.calls.filter(function (c) {
            return method === undefined || c.method === method
          })
        )
      },
      sentFor: function (code) {
        var pixel = s.pixels[String(code)]
        return pixel ? copy(pixel.sent) : []
      },
      eventsFor: function (code) {
        return s.callsFor(code, 'track').map(function (c) {
          return c.args[0]
        })
      },
      snapshot: function () {
        return copy({
          pixels: s.pixels,
          scriptLoads: s.scriptLoads,
          scriptUrls: s.scriptUrls,
          log: s.log,
          orphanCalls: s.orphanCalls
        })
      },
      reset: function () {
        Object.keys(s.pixels).forEach(function (code) {
          s.pixels[code].calls.length = 0
          s.pixels[code].sent.length = 0
        })
        s.log.length = 0
        s.orphanCalls.length = 0
      }
    }
    Object.defineProperty(s, MARK, { value: true })
    return s
  }

  function methodList(q) {
    var list = DEFAULT_METHODS.slice()
    if (q && Array.isArray(q.methods)) {
      q.methods.forEach(function (m) {
        if (typeof m === 'string' && list.indexOf(m) === -1) list.push(m)
      })
    }
    return list
  }

  /** Deep copy of what the page passed, taken at call time so later mutation cannot alter the record. */
  function copy(value, seen) {
    if (typeof value === 'function') return '[function]'
    if (value === null || typeof value !== 'object') return value
    if (value instanceof Date) return new Date(value.getTime())
    seen = seen || []
    if (seen.indexOf(value) !== -1) return '[circular]'
    seen.push(value)
    var out
    if (Array.isArray(value)) {
      out = value.map(function (v) {
        return copy(v, seen)
      })
    } else {
      out = {}
      Object.keys(value).forEach(function (k) {
        out[k] = copy(value[k], seen)
      })
    }
    seen.pop()
    return out
  }

  function register(q, code) {
    if (hasOwn.call(state.pixels, code)) return
    var options = q._o && q._o[code]
    state.pixels[code] = {
      code: code,
      options: copy(options || {}),
      partner: q._partner === undefined ? null : q._partner,
      loads: 1,
      scriptLoads: 0,
      consent: null,
      calls: [],
      sent: [],
      held: []
    }
  }

  function isQueuedCall(item) {
    return Array.isArray(item) && typeof item[0] === 'string'
  }

  function effects(method, args) {
    if (method === 'ready' && typeof args[0] === 'function') {
      var cb = args[0]
      setTimeout(function () {
        try {
          cb()
        } catch (e) {
          setTimeout(function () {
            throw e
          })
        }
      }, 0)
    }
  }

  function recordFor(code, method, args, via) {
    var pixel = state.pixels[code]
    var entry = { method: method, args: copy(args) }
    pixel.calls.push(entry)
    if (hasOwn.call(CONSENT, method)) consentCall(pixel, method)
    else if (SENDING[method] === true) {
      if (pixel.consent === 'held') pixel.held.push(copy(entry))
      else if (pixel.consent !== 'revoked') pixel.sent.push(copy(entry))
    }
    state.log.push({ code: code, method: method, args: copy(args), via: via })
  }

  /** TikTok's consent mode: a grant sends what was held, a revocation drops it. */
  function consentCall(pixel, method) {
    pixel.consent = CONSENT[method]
    if (method === 'grantConsent') Array.prototype.push.apply(pixel.sent, pixel.held)
    if (method !== 'holdConsent') pixel.held.length = 0
  }

  function handleGlobal(method, args) {
    var codes = Object.keys(state.pixels)
    if (codes.length === 0) state.log.push({ code: null, method: method, args: copy(args), via: 'global' })
    codes.forEach(function (code) {
      recordFor(code, method, args, 'global')
    })
    effects(method, args)
  }

  function handleInstance(code, method, args) {
    recordFor(code, method, args, 'instance')
    effects(method, args)
  }

  function drain(list, handle) {
    if (!list || typeof list.length !== 'number') return
    var items = Array.prototype.splice.call(list, 0, list.length)
    items.forEach(function (item) {
      if (isQueuedCall(item)) handle(item[0], item.slice(1))
    })
  }

  /** Stub methods, exactly like the base code's: each call is queued on the array itself. */
  function installStubs(target, methods, onCall) {
    methods.forEach(function (method) {
      target[method] = function () {
        var args = slice.call(arguments)
        if (onCall) onCall(method, args)
        Array.prototype.push.call(target, [method].concat(args))
      }
    })
    return target
  }

  function installInstance(q, code, methods) {
    var inst = q._i[code]
    if (!inst || typeof inst !== 'object') {
      inst = []
      q._i[code] = inst
    }
    drain(inst, function (method, args) {
      handleInstance(code, method, args)
    })
    methods.forEach(function (method) {
      inst[method] = function () {
        handleInstance(code, method, slice.call(arguments))
      }
    })
    // Anything pushed directly later ([method, ...args]) is handled as a call too.
    inst.push = function () {
      slice.call(arguments).forEach(function (item) {
        if (isQueuedCall(item)) handleInstance(code, item[0], item.slice(1))
      })
      return inst.length
    }
  }

  function sync(q) {
    var methods = methodList(q)
    if (!q._i || typeof q._i !== 'object') q._i = {}
    if (!q._o || typeof q._o !== 'object') q._o = {}
    if (!q._t || typeof q._t !== 'object') q._t = {}

    if (sdkid && !hasOwn.call(q._i, sdkid)) {
      q._i[sdkid] = []
      q._t[sdkid] = q._t[sdkid] || +new Date()
      q._o[sdkid] = q._o[sdkid] || {}
    }
    Object.keys(q._i).forEach(function (code) {
      register(q, code)
    })
    if (sdkid && state.pixels[sdkid]) state.pixels[sdkid].scriptLoads += 1
    Object.keys(state.pixels).forEach(function (code) {
      if (state.pixels[code].partner === null && q._partner !== undefined) state.pixels[code].partner = q._partner
    })

    // Global queue first: those calls apply to every pixel loaded now.
    drain(q, handleGlobal)
    // Then each pixel's own queue.
    Object.keys(state.pixels).forEach(function (code) {
      installInstance(q, code, methods)
    })

    methods.forEach(function (method) {
      q[method] = function () {
        handleGlobal(method, slice.call(arguments))
      }
    })
    q.push = function () {
      slice.call(arguments).forEach(function (item) {
        if (isQueuedCall(item)) handleGlobal(item[0], item.slice(1))
      })
      return q.length
    }

    q.instance = function (code) {
      code = String(code)
      if (hasOwn.call(state.pixels, code)) return q._i[code]
      if (q._i[code] && typeof q._i[code] === 'object') {
        // Loaded by ttq.load after this script ran; its own events.js has not arrived yet.
        return installStubs(q._i[code], methods)
      }
      // Never loaded: like the base code, hand out a throwaway queue; remember what was lost.
      return installStubs([], methods, function (method, args) {
        state.orphanCalls.push({ code: code, method: method, args: copy(args) })
      })
    }

    if (!(q.load && q.load[MARK])) {
      var original = typeof q.load === 'function' ? q.load : null
      var load = function (code, options) {
        code = String(code)
        if (hasOwn.call(state.pixels, code)) {
          // Already loaded: the SDK keeps the existing pixel; count the repeated request.
          state.pixels[code].loads += 1
          state.log.push({ code: code, method: 'load', args: copy(slice.call(arguments)), via: 'load' })
          return
        }
        if (original) {
          original.apply(q, arguments)
          return
        }
        q._i[code] = []
        q._t[code] = +new Date()
        q._o[code] = options || {}
        var el = document.createElement('script')
        el.async = true
        el.src = SDK_URL + '?sdkid=' + encodeURIComponent(code) + '&lib=' + globalName
        var first = document.getElementsByTagName('script')[0]
        if (first && first.parentNode) first.parentNode.insertBefore(el, first)
        else document.head.appendChild(el)
      }
      Object.defineProperty(load, MARK, { value: true })
      q.load = load
    }
  }
})()
