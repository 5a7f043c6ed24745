/**
 * Through the real analytics-next in Chromium: subscriptions saved with Segment's own TikTok Pixel
 * destination in 2023 and 2024 keep sending what they mapped, national phone numbers get their
 * country's calling code (issue 10), and commerce events without a value get one from their
 * products (issue 13).
 *
 * Run: `npm run build && npx jest --selectProjects browser -- e2e/compatibility`.
 */
import savedReleases from '../src/__tests__/fixtures/segment-saved-subscriptions.json'
import { externalId, identifyCall, MODES, sha256, trackCall, waitForPixel } from './support/expectations'
import { PIXEL_CODE, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { presetSubscriptions, type Subscription } from './support/subscriptions'

const h = useHarness()

function saved(release: string, name: string): Subscription {
  const subscriptions = savedReleases.find((r) => r.release === release)?.subscriptions as Subscription[] | undefined
  const subscription = subscriptions?.find((s) => s.name === name)
  if (subscription === undefined) throw new Error(`no saved subscription ${name} in ${release}`)
  return subscription
}

describe.each(MODES)('%s', (mode) => {
  test('saved 2023 and 2024 subscriptions send what they mapped; the first page call of another URL counts', async () => {
    const shop = await h.openShop({
      mode,
      // Settings as saved then: useExistingPixel is declared again and has no effect.
      settings: { useExistingPixel: false },
      subscriptions: [saved('2023-09-14', 'Place an Order'), saved('2024-09-16', 'Page View')]
    })
    await waitForPixel(shop.page, PIXEL_CODE)

    const order = await analyticsCall(shop.page, 'track', 'Order Completed', {
      order_id: 'o-1',
      revenue: 25,
      products: [
        { product_id: 'a', category: 'Games', price: 10, quantity: 2 },
        { product_id: 'b', category: 'Cards', price: '5' }
      ]
    })
    // The address has not changed, but this page call is for another page: a page view.
    const page = await analyticsCall(shop.page, 'page', 'Product', { url: `${shop.url.split('?')[0]}?p=42` })
    await drain(shop.page, PIXEL_CODE)

    expect(await shop.calls(PIXEL_CODE)).toEqual([
      { method: 'page', args: [] },
      identifyCall(externalId(order)),
      trackCall(
        'PlaceAnOrder',
        {
          // 2023 mappings saved the category under contents[].content_type.
          contents: [
            { content_id: 'a', content_category: 'Games', price: 10, quantity: 2 },
            { content_id: 'b', content_category: 'Cards', price: 5 }
          ],
          value: 25,
          currency: 'USD'
        },
        order
      ),
      // That preset maps nothing but the event name: the messageId is its event ID.
      trackCall('Pageview', undefined, page)
    ])
  })

  test('commerce events without a value get the sum of their products, in their currency or USD', async () => {
    const shop = await h.openShop({ mode, settings: { autoPageView: false } })
    await waitForPixel(shop.page, PIXEL_CODE)

    const added = await analyticsCall(shop.page, 'track', 'Product Added', {
      product_id: 'sku-1',
      price: 0.1,
      quantity: 3
    })
    const checkout = await analyticsCall(shop.page, 'track', 'Checkout Started', {
      currency: 'eur',
      products: [
        { product_id: 'sku-1', price: 19.99, quantity: 2 },
        { product_id: 'sku-2', price: '5.01' },
        { product_id: 'sku-3' }
      ]
    })
    const free = await analyticsCall(shop.page, 'track', 'Order Completed', {
      revenue: 0,
      products: [{ product_id: 'sku-1', price: 10 }]
    })
    await drain(shop.page, PIXEL_CODE)

    const tracks = (await shop.calls(PIXEL_CODE)).filter((call) => call.method === 'track')
    expect(tracks).toEqual([
      trackCall(
        'AddToCart',
        {
          contents: [{ content_id: 'sku-1', price: 0.1, quantity: 3 }],
          content_type: 'product',
          value: 0.3,
          currency: 'USD'
        },
        added
      ),
      trackCall(
        'InitiateCheckout',
        {
          contents: [
            { content_id: 'sku-1', price: 19.99, quantity: 2 },
            { content_id: 'sku-2', price: 5.01 },
            { content_id: 'sku-3' }
          ],
          content_type: 'product',
          value: 44.99,
          currency: 'EUR'
        },
        checkout
      ),
      // A value the event gives, 0 included, is never replaced.
      trackCall(
        'CompletePayment',
        { contents: [{ content_id: 'sku-1', price: 10 }], content_type: 'product', value: 0, currency: 'USD' },
        free
      )
    ])
  })

  test('national phone numbers get the calling code of the address country; without one they are left out', async () => {
    const shop = await h.openShop({
      mode,
      settings: { autoPageView: false },
      subscriptions: presetSubscriptions().filter((s) => s.name === 'Identify')
    })
    await waitForPixel(shop.page, PIXEL_CODE)
    const customers: [string, string | undefined, string | undefined][] = [
      ['020 7946 0958', 'GB', '+442079460958'],
      ['(415) 555-0101', 'usa', '+14155550101'],
      ['8 (912) 345-67-89', 'RUS', '+79123456789'],
      ['06 1234 5678', 'it', '+390612345678'],
      ['020 7946 0958', undefined, undefined],
      ['555-0101', 'US', undefined]
    ]
    const expected = []
    for (const [index, [phone, country, e164]] of customers.entries()) {
      const userId = `user-${index}`
      await analyticsCall(shop.page, 'identify', userId, { phone, address: country ? { country } : {} })
      expected.push(
        identifyCall({
          ...(e164 && { sha256_phone_number: sha256(e164) }),
          external_id: sha256(userId),
          ...(country && { country: country.toLowerCase() })
        })
      )
    }
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual(expected)
  })
})
