/**
 * Triggers as Segment's mappings UI writes them (`generateFql` from @segment/destination-subscriptions: field names
 * escaped with backslashes, groups in parentheses holding contains() and match()), each on its own Report Web Event
 * subscription, run through the real analytics-next in Chromium: TikTok gets exactly the events each trigger takes.
 *
 * Run: `npm run build && npx jest --selectProjects browser -- e2e/triggers`.
 */
import { generateFql } from '@segment/destination-subscriptions'
import type { Condition } from '@segment/destination-subscriptions'
import { destinationLogs, waitForPixel } from './support/expectations'
import { PIXEL_CODE, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { MARKER_TIKTOK_EVENT, type Subscription } from './support/subscriptions'

const h = useHarness()

/** A subscription sending TikTok `tiktokEvent` for what `conditions` (all of them) take, its trigger as the UI writes it. */
function subscription(tiktokEvent: string, ...conditions: Condition[]): Subscription {
  return {
    name: tiktokEvent,
    subscribe: generateFql({ type: 'group', operator: 'and', children: conditions }),
    partnerAction: 'reportWebEvent',
    enabled: true,
    mapping: { event: tiktokEvent, event_id: { '@path': '$.messageId' } }
  }
}

const track: Condition = { type: 'event-type', operator: '=', value: 'track' }
const subscriptions = [
  subscription('EscapedSpace', { type: 'event-property', name: 'Order ID', operator: '=', value: 'o-1' }),
  subscription('EscapedTrait', { type: 'event-trait', name: 'first name', operator: '=', value: 'Jane' }),
  subscription('EscapedDollar', { type: 'event-property', name: '$revenue', operator: '>', value: 10 }),
  subscription('EscapedUnicode', { type: 'event-property', name: 'prix € (TTC)', operator: 'exists' }),
  subscription('GroupWithContains', track, {
    type: 'group',
    operator: 'or',
    children: [
      { type: 'event', operator: '=', value: 'A' },
      { type: 'event', operator: 'contains', value: 'Order' }
    ]
  }),
  subscription(
    'GroupWithMatch',
    { type: 'event', operator: '=', value: 'Viewed' },
    {
      type: 'group',
      operator: 'or',
      children: [
        { type: 'event-property', name: 'shoe size', operator: 'number_equals', value: 42 },
        { type: 'event-property', name: 'sku', operator: 'starts_with', value: 'SH-' }
      ]
    }
  )
]

test('each trigger generateFql writes runs: escaped field names, and groups holding contains() and match()', async () => {
  // What the UI writes, as the subscriptions hold it.
  expect(subscriptions.map((s) => s.subscribe)).toEqual([
    'properties.Order\\ ID = "o-1"',
    'traits.first\\ name = "Jane"',
    'properties.\\$revenue > 10',
    'properties.prix\\ \\€\\ \\(TTC\\) != null',
    'type = "track" and (event = "A" or contains(event, "Order"))',
    'event = "Viewed" and (properties.shoe\\ size = 42 or match(properties.sku, "SH-*"))'
  ])
  const shop = await h.openShop({ subscriptions })
  await waitForPixel(shop.page, PIXEL_CODE)

  const sent: [string, unknown[]][] = [
    ['EscapedSpace', ['track', 'Purchase', { 'Order ID': 'o-1' }]],
    ['', ['track', 'Purchase', { 'Order ID': 'o-2', 'Order\\ ID': 'o-1' }]],
    ['EscapedTrait', ['identify', 'u-1', { 'first name': 'Jane' }]],
    ['', ['identify', 'u-2', { first: { name: 'Jane' } }]],
    ['EscapedDollar GroupWithContains', ['track', 'Order Completed', { $revenue: 25 }]],
    ['GroupWithContains', ['track', 'Order Completed', { $revenue: '25' }]],
    ['EscapedUnicode', ['track', 'Priced', { 'prix € (TTC)': 0 }]],
    ['', ['track', 'Priced', { 'prix € (TTC)': null }]],
    ['GroupWithMatch', ['track', 'Viewed', { sku: 'SH-9' }]],
    ['GroupWithMatch', ['track', 'Viewed', { 'shoe size': 42 }]],
    ['', ['track', 'Viewed', { sku: 'XX-SH-9', 'shoe size': '42' }]],
    ['GroupWithContains', ['track', 'A', { sku: 'SH-9' }]],
    ['', ['page', 'Order']]
  ]
  const expected: [string, unknown][] = []
  for (const [tiktokEvents, [method, ...args]] of sent) {
    const event = await analyticsCall(shop.page, method as string, ...args)
    for (const tiktokEvent of tiktokEvents.split(' ').filter(Boolean)) expected.push([tiktokEvent, event.messageId])
  }
  await drain(shop.page, PIXEL_CODE)

  const received = (await shop.calls(PIXEL_CODE))
    .filter((call) => call.method === 'track' && call.args[0] !== MARKER_TIKTOK_EVENT)
    .map((call) => [call.args[0], (call.args[2] as { event_id?: unknown } | undefined)?.event_id])
  expect(received).toEqual(expected)
  // Every subscription ran: none was refused with a console warning.
  expect(destinationLogs(shop)).toEqual([])
  expect(shop.pageErrors).toEqual([])
})
