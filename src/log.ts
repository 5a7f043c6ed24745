/** The prefix of every console message this destination writes, so a site can tell them apart. */
export const LOG_PREFIX = '[TikTok Pixel]'

/** Distinct messages are few (they never hold event data); the cap keeps a long session bounded anyway. */
export const WARNED_LIMIT = 100
const warned = new Set<string>()

/** Warns once per distinct message, so a burst of bad events cannot flood the console. */
export function warnOnce(message: string): void {
  'compile lazily'
  if (warned.has(message) || warned.size >= WARNED_LIMIT) return
  warned.add(message)
  console.warn(`${LOG_PREFIX} ${message}`)
}
