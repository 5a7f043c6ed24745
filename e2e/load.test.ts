/**
 * Many events: two destination instances with two pixel codes, and a burst of thousands at once.
 *
 * End to end in Chromium with the real analytics-next and the built destination
 * (dist/web/tiktok-pixel.js); each test asserts exactly what TikTok's script (the events.js
 * emulator), the page and analytics.js end up with.
 */

import { type Event, identifyCall, pageCall, searchCalls, sha256, waitForPixel } from './support/expectations'
import { PIXEL_CODE, PIXEL_CODE_2, useHarness } from './support/harness'
import { drain } from './support/page'
import { presetSubscriptions, type Subscription } from './support/subscriptions'

import { isDeepStrictEqual } from 'node:util'

const h = useHarness()

describe('two destination instances with different pixel codes', () => {
  test.each(['remote', 'bundled'] as const)('%s: each pixel gets each of 25 events exactly once', async (mode) => {
    const shop = await h.openShop({
      mode,
      destinations: [{ settings: { pixelCode: PIXEL_CODE } }, { settings: { pixelCode: PIXEL_CODE_2 } }]
    })
    const events = await shop.page.evaluate(async () => {
      const analytics = (window as any).analytics
      const out: unknown[] = []
      for (let i = 0; i < 25; i++) {
        const ctx = await analytics.track('Products Searched', { query: `q${i}` })
        out.push(JSON.parse(JSON.stringify(ctx.event)))
      }
      return out as Event[]
    })
    const expected = [pageCall(), ...events.flatMap(searchCalls)]
    await shop.waitForCalls(PIXEL_CODE, expected.length)
    await shop.waitForCalls(PIXEL_CODE_2, expected.length)
    await drain(shop.page, PIXEL_CODE, PIXEL_CODE_2)

    expect(await shop.calls(PIXEL_CODE)).toEqual(expected)
    expect(await shop.calls(PIXEL_CODE_2)).toEqual(expected)
    const state = await shop.emulator()
    expect(state?.log.filter((e) => e.via !== 'instance')).toEqual([])
    expect(state?.orphanCalls).toEqual([])
    expect(shop.pageErrors).toEqual([])
  })
})

// ------------------------------------------------------------------------------------------------

describe('a burst of events', () => {
  /**
   * A second mapping on the same trigger without the customer data: its calls are ready at once
   * while the first mapping's wait for a digest, so only the destination's own ordering keeps
   * them behind (analytics-next hands the destination one event at a time).
   */
  const mirror = (): Subscription => {
    const placeAnOrder = presetSubscriptions().find((s) => s.name === 'Place an Order')!
    const mapping = { ...placeAnOrder.mapping }
    delete mapping.email
    delete mapping.phone_number
    return { ...placeAnOrder, name: 'Place an Order (no PII)', subscribe: 'event = "Order Completed"', mapping }
  }

  test('2000 tracks fired at once, a third with PII: each delivered once, in order, distinct event IDs', async () => {
    const N = 2000
    const shop = await h.openShop({ subscriptions: [...presetSubscriptions(), mirror()] })
    await waitForPixel(shop.page, PIXEL_CODE)

    const ids = await shop.page.evaluate(async (n) => {
      const analytics = (window as any).analytics
      const contexts = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          analytics.track(
            'Order Completed',
            i % 3 === 0
              ? { order_id: `o${i}`, revenue: i, email: ` Buyer${i}@Example.com `, phone: `+1 415 555 ${1000 + i}` }
              : { order_id: `o${i}`, revenue: i }
          )
        )
      )
      return contexts.map((ctx: any) => ({ messageId: ctx.event.messageId, anonymousId: ctx.event.anonymousId }))
    }, N)
    const calls = await shop.waitForCalls(PIXEL_CODE, 1 + 4 * N, 100_000)
    await drain(shop.page, PIXEL_CODE)

    expect(await shop.calls(PIXEL_CODE)).toHaveLength(1 + 4 * N)
    expect(calls[0]).toEqual(pageCall())
    const payments = calls.filter((c) => c.method === 'track' && c.args[0] === 'CompletePayment')
    expect(payments.map((c) => (c.args[1] as { order_id: string }).order_id)).toEqual(
      Array.from({ length: N }, (_, i) => `o${i}`)
    )
    const eventIds = payments.map((c) => (c.args[2] as { event_id: string }).event_id)
    expect(new Set(eventIds).size).toBe(N)
    expect(eventIds).toEqual(ids.map((e) => e.messageId))

    // Per event, in this order: the first mapping's identify (own hashed data) and track, then the second's.
    const anonymous = { external_id: sha256(ids[0]!.anonymousId) }
    const mismatches: string[] = []
    for (let i = 0; i < N; i++) {
      const user =
        i % 3 === 0
          ? {
              sha256_email: sha256(`buyer${i}@example.com`),
              sha256_phone_number: sha256(`+1415555${1000 + i}`),
              ...anonymous
            }
          : anonymous
      const properties = { value: i, currency: 'USD', order_id: `o${i}` }
      const options = { event_id: ids[i]!.messageId }
      const expected = [
        identifyCall(user),
        { method: 'track', args: ['CompletePayment', properties, options] },
        identifyCall(anonymous),
        { method: 'track', args: ['PlaceAnOrder', properties, options] }
      ]
      const actual = calls.slice(1 + 4 * i, 5 + 4 * i)
      if (!isDeepStrictEqual(actual, expected)) mismatches.push(`#${i}: ${JSON.stringify(actual)}`)
    }
    expect(mismatches.slice(0, 3)).toEqual([])
    expect(mismatches).toHaveLength(0)
    expect(shop.pageErrors).toEqual([])
  })
})
