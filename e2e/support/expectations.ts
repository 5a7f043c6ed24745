/**
 * Small helpers the browser tests share: what TikTok's script (the events.js emulator) is expected
 * to receive, and ways to wait for the page, its console and a recording analytics.js plugin.
 */
import { createHash } from 'node:crypto'
import type { Page } from 'playwright-core'
import type { EmulatorCall } from '../../devkit/emulator'
import type { Shop } from './harness'
import { withoutMarkers } from './page'

/** The two ways analytics-next gets the destination: remote plugin (metadata.json) and bundled. */
export const MODES = ['remote', 'bundled'] as const

/** A Segment event as analytics.js hands it back (messageId, userId, anonymousId, properties, ...). */
export type Event = Record<string, any>

/** Hex SHA-256 of the UTF-8 `value`, as the destination hashes identifiers. */
export const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex')

/** The URL of TikTok's script (events.js) for pixel `code`. */
export const eventsJs = (code: string): string =>
  `https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=${code}&lib=ttq`

/** The `ttq.page()` call TikTok's script gets. */
export const pageCall = (): EmulatorCall => ({ method: 'page', args: [] })

/** The `ttq.identify(user)` call TikTok's script gets. */
export const identifyCall = (user: Record<string, unknown>): EmulatorCall => ({ method: 'identify', args: [user] })

/** The `ttq.track(name, properties, { event_id })` call TikTok's script gets for `event`. */
export const trackCall = (
  name: string,
  properties: Record<string, unknown> | undefined,
  event: Event
): EmulatorCall => ({
  method: 'track',
  args: [name, properties, { event_id: event.messageId }]
})

/** The identify every event brings by default: External ID is the userId, else the anonymousId, hashed. */
export const externalId = (event: Event): Record<string, unknown> => ({
  external_id: sha256((event.userId as string | null) || (event.anonymousId as string))
})

/** Waits until events.js (the emulator) has registered `code`, so "no calls" means none were made. */
export async function waitForPixel(page: Page, code: string): Promise<void> {
  await page.waitForFunction((c) => window.__tiktokEmulator?.pixels[c] !== undefined, code, { polling: 25 })
}

/** The console messages the destination itself logged ('[TikTok Pixel] ...'). */
export function destinationLogs(shop: Shop): Array<{ type: string; text: string }> {
  return shop.consoleMessages.filter((m) => m.text.includes('[TikTok Pixel]'))
}

/** The destination logged nothing and nothing threw in the page. */
export function expectNoLogsOrPageErrors(shop: Shop): void {
  expect(destinationLogs(shop)).toEqual([])
  expect(shop.pageErrors).toEqual([])
}

/** Resolves once the page has logged a console message that matches `predicate` (maybe already). */
export async function waitForConsole(
  shop: Shop,
  predicate: (m: { type: string; text: string }) => boolean
): Promise<void> {
  if (shop.consoleMessages.some(predicate)) return
  await shop.page.waitForEvent('console', { predicate: (msg) => predicate({ type: msg.type(), text: msg.text() }) })
}

/** Registers a plain analytics.js destination plugin that records `type:event` of what it gets in window.__recorded. */
export async function registerRecorder(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const w = window as unknown as { __recorded: string[]; analytics: { register(...p: unknown[]): Promise<unknown> } }
    w.__recorded = []
    const record = (ctx: { event: { type: string; event?: string } }) => {
      w.__recorded.push(`${ctx.event.type}:${ctx.event.event ?? ''}`)
      return ctx
    }
    await w.analytics.register({
      name: 'E2E Recorder',
      type: 'destination',
      version: '1.0.0',
      isLoaded: () => true,
      load: () => Promise.resolve(),
      track: record,
      page: record,
      identify: record
    })
  })
}

/** What the plugin of `registerRecorder` has recorded so far, as `type:event` (markers left out). */
export const recorded = async (page: Page): Promise<string[]> =>
  withoutMarkers(await page.evaluate(() => (window as unknown as { __recorded: string[] }).__recorded))

/**
 * Init script that holds back any analytics.tiktok.com <script> inserted into the page (a slow
 * network): the calls then sit in the base code's queues until `window.__releaseTikTok()` inserts
 * it into <head>. `window.__heldTikTokScripts()` counts the scripts held.
 */
export const HOLD_TIKTOK_SCRIPT = `
(function () {
  var held = []
  var released = false
  var insertBefore = Node.prototype.insertBefore
  var appendChild = Node.prototype.appendChild
  function isTikTok(node) {
    return !released && node && node.tagName === 'SCRIPT' && /analytics\\.tiktok\\.com/.test(node.src || '')
  }
  Node.prototype.insertBefore = function (node, ref) {
    if (isTikTok(node)) { held.push(node); return node }
    return insertBefore.call(this, node, ref)
  }
  Node.prototype.appendChild = function (node) {
    if (isTikTok(node)) { held.push(node); return node }
    return appendChild.call(this, node)
  }
  window.__heldTikTokScripts = function () { return held.length }
  window.__releaseTikTok = function () {
    released = true
    held.forEach(function (node) { appendChild.call(document.head, node) })
  }
})()
`

/** What the pixel gets for `analytics.track('Products Searched', { query })` with the presets. */
export const searchCalls = (event: Event): EmulatorCall[] => [
  identifyCall(externalId(event)),
  trackCall('Search', { query: (event.properties as { query: string }).query }, event)
]

/** How many <script> elements for analytics.tiktok.com the page holds. */
export const tiktokScriptsInDom = (page: Page): Promise<number> =>
  page.evaluate(() => document.querySelectorAll('script[src*="analytics.tiktok.com"]').length)
