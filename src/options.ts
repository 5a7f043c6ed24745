/**
 * What a site may set in `integrations: { 'TikTok Pixel': { ... } }` of analytics.js's load options. An invalid or
 * unknown option is reported once with a console error and ignored. A type alias, not an interface: analytics.js
 * types those values as `Record<string, unknown>`, which only an alias is assignable to.
 */
export type TikTokPixelOptions = {
  /**
   * Adds TikTok's click ID (`ttclid`) and `_ttp` cookie to the events under
   * `integrations['TikTok Conversions']`, where Segment's TikTok Conversions destination reads them.
   * Default: the workspace's Click ID and Cookie mappings where it has any (on when one is enabled),
   * else on where the source sends to TikTok Conversions.
   */
  eventsApiMatchKeys?: boolean
  /**
   * Whether the Identify action runs. `true`: where the workspace has no enabled Identify mapping,
   * this package's Identify preset runs (identify() calls, and at load the customer analytics.js
   * remembers). `false`: no Identify mapping runs, the workspace's included; Report Web Event
   * mappings still hand TikTok the customer data they map, before their event.
   * Default: the workspace's Identify mappings.
   */
  identify?: boolean
  /**
   * Segment consent categories that must all be granted before TikTok gets events and events get
   * the Events API keys; `[]` turns consent checks off. Default: the Consent Category setting, else the categories Segment's
   * Consent Management maps to this destination.
   */
  consentCategories?: string[]
}
