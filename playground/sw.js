/*
 * STAND-IN FOR TIKTOK. The playground's Service Worker (scope /playground/).
 *
 * The destination injects TikTok's real script tag,
 *   <script src="https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=<pixel code>&lib=ttq">,
 * exactly as it does on a real site. For the pages this worker controls, the browser asks the
 * worker first, and the worker answers that request with the local pixel EMULATOR
 * (/devkit/tiktok-pixel-emulator.js, a test double that records what it
 * is asked to do and sends nothing). The destination cannot tell the difference, and the request
 * never leaves the machine. The script element keeps its TikTok URL, so the emulator reads the
 * pixel code from `?sdkid=` as TikTok's script does.
 *
 * Any other request for another origin is refused (a network error) and reported to the page, so
 * nothing from the playground reaches the internet (Segment's CDN and API included).
 *
 * If a page in this scope is not the playground (another app now on this port), the worker
 * unregisters itself and stops intercepting.
 */
'use strict'

const TIKTOK_HOST = 'analytics.tiktok.com'
const TIKTOK_SCRIPT_PATH = '/i18n/pixel/events.js'
const EMULATOR_URL = '/devkit/tiktok-pixel-emulator.js'
const PLAYGROUND_HEADER = 'x-tiktok-pixel-playground'

let retired = false

self.addEventListener('install', () => {
  self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  // Take over the page that registered us, so it need not be reloaded.
  event.waitUntil(self.clients.claim())
})

self.addEventListener('message', (event) => {
  // A page loaded with a hard reload (Shift+Reload) is not controlled; it asks to be claimed.
  if (event.data && event.data.type === 'claim') event.waitUntil(self.clients.claim())
})

function report(clientId, message) {
  if (!clientId) return
  self.clients.get(clientId).then((client) => {
    if (client) client.postMessage(message)
  })
}

self.addEventListener('fetch', (event) => {
  if (retired) return
  const request = event.request
  const url = new URL(request.url)

  if (url.origin === self.location.origin) {
    if (request.mode === 'navigate') {
      event.respondWith(
        fetch(request).then((response) => {
          if (!response.headers.get(PLAYGROUND_HEADER)) {
            retired = true
            self.registration.unregister()
          }
          return response
        })
      )
    }
    return // every other local request goes to the playground server untouched
  }

  if (url.hostname === TIKTOK_HOST && url.pathname === TIKTOK_SCRIPT_PATH) {
    event.respondWith(
      fetch(EMULATOR_URL, { cache: 'no-store' }).then(
        (local) =>
          new Response(local.body, {
            status: local.status,
            headers: {
              'content-type': 'text/javascript; charset=utf-8',
              'x-answered-by': 'tiktok-pixel-emulator (playground Service Worker)'
            }
          })
      )
    )
    return
  }

  event.respondWith(Response.error())
  report(event.clientId, { type: 'blocked', url: request.url })
})
