/**
 * An error whose message is fixed text written in this repository, never built from event values, so the runtime
 * may print it. Any other error is reported by its class name only.
 */
export class FixedReasonError extends Error {}
