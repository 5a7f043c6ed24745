/** Names and limits the tools share. Plain data, no Node APIs: page scripts import it too. */

/** The global the destination's browser bundle assigns its PluginFactory to (`remotePlugins[].libraryName`). */
export const LIBRARY_NAME = 'tiktok-pixelDestination'
/** `PluginFactory.pluginName`; analytics-next matches bundled factories to remote plugins by this. */
export const PLUGIN_NAME = 'TikTok Pixel'
/** What every shop visitor downloads may weigh at most this, gzip. */
export const BUNDLE_BUDGET_BYTES = 15 * 1024
