import { given } from './normalize'
import { warnOnce as warnOnceAs } from './runtime'

/** The destination's name: its `pluginName`, its key in `integrations`, the prefix of its messages. */
export const DESTINATION_NAME = 'TikTok Pixel'

/** The prefix of every console message this destination writes, so a site can tell them apart. */
export const LOG_PREFIX = `[${DESTINATION_NAME}]`

/** Warns once per distinct message (at most 100 a page, shared with the runtime's own warnings). */
export const warnOnce = (message: string): void => warnOnceAs(DESTINATION_NAME, message)

/** What a warning says an ID field must be. */
export const AN_ID = 'an ID (text or a number) of at most 256 characters'

/**
 * `value`, the usable form of what the mapping gave for `field`; when there is none although something was given,
 * one warning per field and kind of problem, naming the field and what it must be, never the value.
 */
export function leftOutUnless<T>(
  value: T | undefined,
  mapped: unknown,
  field: string,
  expected: string
): T | undefined {
  if (value === undefined && given(mapped)) warnLeftOut(field, expected)
  return value
}

export function warnLeftOut(field: string, expected: string): void {
  'compile lazily'
  warnOnce(`field ${field} is not ${expected}: it is left out, and the rest of the event is sent.`)
}
