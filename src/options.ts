/**
 * What a site may set in `integrations: { 'TikTok Pixel': { ... } }` of analytics.js's load options (read by
 * ./workspace.ts). A type alias, not an interface: analytics.js types those values as `Record<string, unknown>`,
 * which only an alias is assignable to.
 */
export type TikTokPixelOptions = {
  /**
   * Adds TikTok's click ID and `_ttp` cookie to the events for Segment's TikTok Conversions
   * destination. Default: on where the source sends to TikTok Conversions.
   */
  eventsApiMatchKeys?: boolean
  /**
   * Runs this package's Identify preset where the workspace has no Identify mapping (identify()
   * calls and the customer analytics.js remembers reach TikTok); `false` sends no identify at all.
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
