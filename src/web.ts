import { tiktokPixel } from './plugin'

/**
 * Entry of the browser bundle `dist/web/tiktok-pixel.js`: analytics.js finds remote action
 * destinations under `window[libraryName]`.
 */
;(window as unknown as Record<string, unknown>)['tiktok-pixelDestination'] = tiktokPixel
