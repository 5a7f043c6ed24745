/**
 * The Events API keys' click memory over any sequence of pages (fast-check): a test of this
 * repository only, as the contribution's monorepo has no fast-check.
 */
import fc from 'fast-check'
import { DAY, input, NOW } from '../../__tests__/support/match-keys'
import { CLICK_LIFETIME_MS, matchKeys } from '../match-keys'

describe('the click ID', () => {
  /**
   * Any visit: pages opened at increasing times (a clock that may also jump back), each with a
   * landing URL's click or none, storage carried from page to page. The click attached is the
   * click first seen last, for exactly a week from when it was first seen.
   */
  it('attaches, on any sequence of pages, the click first seen last, for a week from then', () => {
    const ids = ['E.C.P.a', 'E.C.P.b', 'E.C.P.c']
    const page = fc.record({
      advance: fc.integer({ min: -2 * DAY, max: 5 * DAY }),
      click: fc.option(fc.constantFrom(...ids), { nil: undefined })
    })
    fc.assert(
      fc.property(fc.array(page, { maxLength: 12 }), (pages) => {
        let memory: unknown = null
        let now = NOW
        const firstSeen = new Map<string, number>()
        let latest: string | undefined
        for (const { advance, click } of pages) {
          // A negative advance is a clock set back: no first sighting may then lie in the future.
          now += advance
          const plan = matchKeys(input({ stored: memory, search: click ? `?ttclid=${click}` : '', now }))
          if (plan.store !== undefined) memory = plan.store
          for (const [id, at] of firstSeen) if (at > now) firstSeen.set(id, now)
          if (click && !firstSeen.has(click)) {
            firstSeen.set(click, now)
            latest = click
          }
          const expected =
            latest !== undefined && now - (firstSeen.get(latest) as number) < CLICK_LIFETIME_MS ? latest : undefined
          expect(plan.attach.ttclid).toBe(expected)
        }
      })
    )
  })
})
