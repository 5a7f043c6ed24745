/**
 * Test support: a clean jsdom page, the destination's plugins loaded on it, and a view of what
 * TikTok's base-code stub queued for the pixel (`[method, ...args]`, TikTok's public queue format).
 */
import { createHash, webcrypto } from 'node:crypto'
import { TextEncoder } from 'node:util'
import { Context } from '@segment/analytics-next'
import type { Analytics, Plugin } from '@segment/analytics-next'
import type { Preset } from '@segment/actions-core'
import type { Subscription } from '@segment/browser-destination-runtime/types'

export const PIXEL_CODE = 'CD9079RC77U0N3GBV16Y'

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex')

/** Web Crypto as in a browser on https, so identifiers are hashed as they would be in production. */
export function useWebCrypto(): void {
  Object.assign(globalThis, { TextEncoder })
  Object.defineProperty(globalThis.crypto, 'subtle', { value: webcrypto.subtle, configurable: true })
}

/** A page without any TikTok code, script or history, at http://localhost/. */
export function resetPage(): void {
  delete window.ttq
  delete window.TiktokAnalyticsObject
  document.head.innerHTML = ''
  document.body.innerHTML = ''
  window.history.replaceState(null, '', '/')
}

export function pixelScripts(): HTMLScriptElement[] {
  return Array.from(document.querySelectorAll('script')).filter((script) =>
    script.src.startsWith('https://analytics.tiktok.com/')
  )
}

/** The calls queued on this pixel's instance, copied. */
export function queued(pixelCode = PIXEL_CODE): unknown[][] {
  const queue = window.ttq?._i?.[pixelCode]
  return Array.isArray(queue) ? [...(queue as unknown[][])] : []
}

/** Presets as the subscriptions Segment hands a device-mode destination. */
export function subscriptionsOf(presets: Preset[]): Subscription[] {
  return presets.map((preset) => {
    if (preset.type !== 'automatic') throw new Error(`preset ${preset.name} has no trigger`)
    return {
      name: preset.name ?? preset.partnerAction,
      subscribe: preset.subscribe,
      partnerAction: preset.partnerAction,
      mapping: preset.mapping as Subscription['mapping'],
      enabled: true
    }
  })
}

export const fakeAnalytics = {} as Analytics

/**
 * Loads the plugins, and returns once the pixel client has opened: without an analytics.js
 * loader to wait for, it opens in the task after `initialize`.
 */
export async function loadPlugins(plugins: Plugin[], analytics = fakeAnalytics): Promise<Plugin[]> {
  await Promise.all(plugins.map((plugin) => plugin.load(new Context({ type: 'track' }), analytics)))
  await new Promise((resolve) => setTimeout(resolve, 0))
  return plugins
}

type EventType = 'track' | 'page' | 'identify' | 'group' | 'alias'

/** Hands `event` to every plugin the way analytics.js does, by its type; resolves when all are done. */
export async function deliver(plugins: Plugin[], event: Record<string, unknown>): Promise<void> {
  const type = (typeof event.type === 'string' ? event.type : 'track') as EventType
  const context = new Context(event as never)
  await Promise.all(plugins.map((plugin) => plugin[type]?.(context)))
}

/**
 * No test fetches TikTok's script, whatever jsdom's `resources` option: segmentio/action-destinations'
 * jest config sets it to 'usable', which makes jsdom fetch every script a page inserts. jsdom
 * runs only scripts of a JavaScript type, so TikTok's script element gets another type just before
 * it enters the page; its URL, and the events a test dispatches on it, stay as the destination made them.
 */
function neverFetchPixelScripts(): void {
  const inert = (node: Node): void => {
    if (node instanceof HTMLScriptElement && node.src.startsWith('https://analytics.tiktok.com/'))
      node.type = 'text/plain'
  }
  const { insertBefore, appendChild } = Node.prototype
  Node.prototype.insertBefore = function <T extends Node>(this: Node, node: T, child: Node | null): T {
    inert(node)
    return insertBefore.call(this, node, child) as T
  }
  Node.prototype.appendChild = function <T extends Node>(this: Node, node: T): T {
    inert(node)
    return appendChild.call(this, node) as T
  }
}
neverFetchPixelScripts()
