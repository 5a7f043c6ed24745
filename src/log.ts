import { warnOnce as warnOnceAs } from './runtime'

/** The destination's name: its `pluginName`, its key in `integrations`, the prefix of its messages. */
export const DESTINATION_NAME = 'TikTok Pixel'

/** The prefix of every console message this destination writes, so a site can tell them apart. */
export const LOG_PREFIX = `[${DESTINATION_NAME}]`

/** Warns once per distinct message (at most 100 a page, shared with the runtime's own warnings). */
export const warnOnce = (message: string): void => warnOnceAs(DESTINATION_NAME, message)
