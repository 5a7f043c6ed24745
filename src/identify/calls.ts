import type { TikTokCall } from '../types'
import { tiktokUser } from '../user'
import type { Payload } from './generated-types'

/** `ttq.identify` with the normalised user, or nothing when the call carries no usable PII. */
export function identifyCalls(payload: Payload): TikTokCall[] {
  const user = tiktokUser(payload)
  return user ? [['identify', user]] : []
}
