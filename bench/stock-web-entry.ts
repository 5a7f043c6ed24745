/**
 * For comparison only: what a web bundle of this destination on the stock runtime would hold
 * (the full definition from src/index and @segment/browser-destination-runtime's generatePlugins).
 * bench/run.ts builds it like dist/web/tiktok-pixel.js and times its evaluation next to ours.
 * The stock runtime has no `onLoad`: the pixel client sends its page view on load by itself,
 * without the known customer.
 */
import { generatePlugins } from '@segment/browser-destination-runtime/plugin'
import type { Subscription } from '@segment/browser-destination-runtime/types'
import { destination, type Settings } from '../src/index'
import { LIBRARY_NAME } from '../devkit/constants'

;(window as unknown as Record<string, unknown>)[`${LIBRARY_NAME}-stock`] = (
  settings: Settings & { subscriptions?: Subscription[] }
) => generatePlugins(destination, settings, settings.subscriptions ?? [])
