import { FixedReasonError } from '../errors'

/**
 * Thrown when a subscription's FQL or mapping uses something this runtime does not implement. Its message names
 * the construct (from the destination's settings, never from an event).
 */
export class Unsupported extends FixedReasonError {}

export const unsupported = (what: string): never => {
  throw new Unsupported(what)
}
