/**
 * tiktok-pixel-segment-destination: `import tiktokPixel from 'tiktok-pixel-segment-destination'`,
 * then `AnalyticsBrowser.load({ writeKey, plugins: [tiktokPixel] })`. Importing it touches no
 * browser global, so server rendering and Node test runners can import it; the page work starts
 * when analytics.js loads the plugins.
 */
import type { Plugin } from '@segment/analytics-next'
import { webDestination } from './web-destination'
import { actionDestination } from './runtime'

export type { Settings } from './generated-types'
export type { TikTokPixelOptions } from './options'

/** A PluginFactory for analytics.js, matched to the workspace's TikTok Pixel destination by `pluginName`. */
export interface TikTokPixelFactory {
  /** analytics.js calls it with the destination's settings and its subscriptions (the mappings). */
  (settings: unknown): Plugin[]
  readonly pluginName: 'TikTok Pixel'
}

export const tiktokPixel: TikTokPixelFactory = actionDestination(webDestination) as TikTokPixelFactory
export default tiktokPixel
