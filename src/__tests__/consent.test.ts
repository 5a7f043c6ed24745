/** One pixel's consent: each event judged by the answers given before it, not by later ones. */
import type { SegmentEvent } from '@segment/analytics-next'
import { consentFor } from '../consent'

let nextId = 0
const event = (granted?: boolean): SegmentEvent => ({
  type: 'track',
  event: 'E',
  messageId: `m-${nextId++}`,
  context: granted === undefined ? {} : { consent: { categoryPreferences: { Advertising: granted } } }
})

/** Each event seen in order, as analytics.js's plugins see them, then the state each is judged by. */
function judged(answers: Array<boolean | undefined>): string[] {
  const consent = consentFor(['Advertising'])
  const events = answers.map(event)
  for (const seen of events) consent.apply(seen)
  return events.map((seen) => consent.state(seen))
}

it.each<[string, Array<boolean | undefined>, string[]]>([
  ['made while refused, a grant after', [false, undefined, true], ['revoked', 'revoked', 'granted']],
  ['made while granted, a refusal after', [true, undefined, false], ['granted', 'granted', 'revoked']],
  ['held until a grant', [undefined, true, false], ['held', 'granted', 'revoked']],
  [
    'held until a refusal, a grant after',
    [undefined, false, true, undefined],
    ['revoked', 'revoked', 'granted', 'granted']
  ]
])('%s', (_, answers, states) => {
  expect(judged(answers)).toEqual(states)
})

it('an event it no longer remembers, or without an id, is judged by the state now', () => {
  const consent = consentFor(['Advertising'])
  const first = event()
  consent.apply(first)
  for (let i = 0; i < 100; i++) consent.apply(event(i % 2 === 0))
  expect(consent.state(first)).toBe(consent.state())
  expect(consent.state({ type: 'track', event: 'E' })).toBe(consent.state())
})
