import { warnOnce as warnOnceAs } from './runtime'

/** The prefix of every console message this destination writes, so a site can tell them apart. */
export const LOG_PREFIX = '[TikTok Pixel]'

/** Warns once per distinct message (at most 100 a page, shared with the runtime's own warnings). */
export const warnOnce = (message: string): void => warnOnceAs('TikTok Pixel', message)
