/**
 * Types for TikTok's pixel (`window.ttq`) as far as this destination uses it.
 * The base code makes `ttq` an array-backed stub; TikTok's `events.js` later drains its queues
 * and replaces the stubs with working methods. Both shapes satisfy these types.
 */

/** Advanced-matching data for `ttq.identify`. Plain values are hashed by the pixel itself. */
export interface TikTokUser {
  email?: string
  phone_number?: string
  external_id?: string
  sha256_email?: string
  sha256_phone_number?: string
  first_name?: string
  last_name?: string
  city?: string
  state?: string
  country?: string
  zip_code?: string
}

export interface TikTokContent {
  content_id?: string
  content_type?: string
  content_name?: string
  content_category?: string
  price?: number
  quantity?: number
  brand?: string
}

export type TikTokProperties = Record<string, unknown> & {
  contents?: TikTokContent[]
  content_type?: string
  content_ids?: string[]
  currency?: string
  value?: number
  num_items?: number
}

export interface TikTokTrackOptions {
  event_id?: string
}

export interface TikTokLoadOptions {
  limited_data_use?: boolean
}

/** The methods a pixel instance (`ttq.instance(code)`) offers; the global `ttq` has the same. */
export interface TikTokPixelInstance {
  page(): void
  track(event: string, properties?: TikTokProperties, options?: TikTokTrackOptions): void
  identify(user: TikTokUser): void
  holdConsent(): void
  grantConsent(): void
  revokeConsent(): void
}

/**
 * One call on a pixel instance, as `[method, ...arguments]`: what the mapping decides and the
 * client replays. Trailing `undefined` arguments are left off.
 */
export type TikTokCall =
  | ['page']
  | ['track', string]
  | ['track', string, TikTokProperties | undefined]
  | ['track', string, TikTokProperties | undefined, TikTokTrackOptions]
  | ['identify', TikTokUser]
  | ['holdConsent']
  | ['grantConsent']
  | ['revokeConsent']

/** `window.ttq`, stub or loaded. */
export interface TikTokPixel extends TikTokPixelInstance {
  load(pixelCode: string, options?: TikTokLoadOptions): void
  instance(pixelCode: string): TikTokPixelInstance
  methods?: string[]
  _i?: Record<string, unknown>
  _t?: Record<string, number>
  _o?: Record<string, TikTokLoadOptions>
  _partner?: string
}

declare global {
  interface Window {
    ttq?: TikTokPixel
    TiktokAnalyticsObject?: string
  }
}
