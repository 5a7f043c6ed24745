/** Distinct messages are few (they never hold event data); the cap keeps a long session bounded anyway. */
export const WARNED_LIMIT = 100
const warned = new Set<string>()

/** Warns once per distinct message, prefixed `[source]`, so a burst of bad events cannot flood the console. */
export function warnOnce(source: string, message: string): void {
  'compile lazily'
  const text = `[${source}] ${message}`
  if (warned.has(text) || warned.size >= WARNED_LIMIT) return
  warned.add(text)
  console.warn(text)
}
