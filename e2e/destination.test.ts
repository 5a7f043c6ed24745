/**
 * The destination end to end, in Chromium with the real analytics-next: what TikTok's script
 * (the events.js emulator) is asked to do, call by call, for initialisation, every preset,
 * identify, page views on load and in a single-page app, and the same flows after a reload.
 * Loaded both ways: as a remote plugin (remotePlugins, subscriptions from metadata.json presets)
 * and bundled (`AnalyticsBrowser.load({ plugins })`).
 *
 * Runs against the build: `npm run build && npx jest --selectProjects browser -- e2e/destination`.
 */
import type { Page } from 'playwright-core'
import { type EmulatorCall } from '../devkit/emulator'
import {
  type Event,
  eventsJs,
  expectNoLogsOrPageErrors,
  externalId,
  identifyCall,
  MODES,
  pageCall,
  sha256,
  trackCall,
  waitForPixel
} from './support/expectations'
import { PIXEL_CODE, type Shop, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { loadPresets } from './support/subscriptions'

const h = useHarness()

/** Everything `code` got, once a marker event sent after everything else has reached it. */
async function drainedCalls(shop: Shop, code: string = PIXEL_CODE): Promise<EmulatorCall[]> {
  await drain(shop.page, code)
  return shop.calls(code)
}

async function waitForAnalyticsReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__shop?.ready === true, undefined, { polling: 25 })
}

// ------------------------------------------------------------------------------------------------
// Realistic Segment e-commerce events, one per preset, and what TikTok must receive for each.

const shirt = {
  product_id: 'sku-1001',
  sku: 'LS-BLU-M',
  name: 'Linen Shirt',
  category: 'Shirts',
  brand: 'Acme',
  variant: 'Blue / M',
  price: 39.9,
  quantity: 1,
  url: 'https://shop.example/p/linen-shirt',
  image_url: 'https://shop.example/i/linen-shirt.jpg'
}
const tote = {
  product_id: 'sku-2002',
  name: 'Canvas Tote',
  category: 'Bags',
  brand: 'Acme',
  price: '22.30',
  quantity: '2',
  position: 2
}
const products = [shirt, tote]
const shirtContent = {
  content_id: 'sku-1001',
  content_name: 'Linen Shirt',
  content_category: 'Shirts',
  brand: 'Acme',
  price: 39.9,
  quantity: 1
}
const toteContent = {
  content_id: 'sku-2002',
  content_name: 'Canvas Tote',
  content_category: 'Bags',
  brand: 'Acme',
  price: 22.3,
  quantity: 2
}

interface PresetCase {
  /** The analytics.js call: [method, ...args]. */
  call: [string, ...unknown[]]
  tiktokEvent: string
  properties: Record<string, unknown> | undefined
  /** Customer data the event carries besides the external ID. */
  user?: Record<string, unknown>
}

const PRESET_CASES: Record<string, PresetCase> = {
  'View Content': {
    call: ['track', 'Product Viewed', { ...shirt, currency: 'usd', value: 39.9 }],
    tiktokEvent: 'ViewContent',
    properties: { contents: [shirtContent], content_type: 'product', value: 39.9, currency: 'USD' }
  },
  Contact: {
    call: ['track', 'Callback Started', { description: '  Question about my delivery ', topic: 'delivery' }],
    tiktokEvent: 'Contact',
    properties: { description: 'Question about my delivery' }
  },
  'Complete Payment': {
    call: [
      'track',
      'Order Completed',
      {
        checkout_id: 'chk-77',
        order_id: '50314b8e9bcf000000000000',
        affiliation: 'Online store',
        total: 99.5,
        subtotal: 84.5,
        revenue: '84.50',
        shipping: 3,
        tax: 12,
        discount: 2.5,
        coupon: 'SUMMER',
        currency: 'eur',
        products
      }
    ],
    tiktokEvent: 'CompletePayment',
    properties: {
      contents: [shirtContent, toteContent],
      content_type: 'product',
      value: 84.5,
      currency: 'EUR',
      order_id: '50314b8e9bcf000000000000'
    }
  },
  Download: {
    call: ['track', 'Download Link Clicked', { description: 'Size guide (PDF)', shop_id: 'eu-store', value: 0 }],
    tiktokEvent: 'Download',
    properties: { description: 'Size guide (PDF)', shop_id: 'eu-store', value: 0, currency: 'USD' }
  },
  'Add to Wishlist': {
    call: [
      'track',
      'Product Added to Wishlist',
      { wishlist_id: 'wl-1', wishlist_name: 'Summer', ...shirt, currency: 'gbp' }
    ],
    tiktokEvent: 'AddToWishlist',
    // No value in the event: the product's price × quantity (issue 13).
    properties: { contents: [shirtContent], content_type: 'product', value: 39.9, currency: 'GBP' }
  },
  'Add to Cart': {
    call: ['track', 'Product Added', { cart_id: 'cart-9', ...tote, currency: 'USD', value: '44.60' }],
    tiktokEvent: 'AddToCart',
    properties: { contents: [toteContent], content_type: 'product', value: 44.6, currency: 'USD' }
  },
  'Complete Registration': {
    call: ['track', 'Signed Up', { type: 'organic', method: 'email', email: '  New.Customer@Example.COM ' }],
    tiktokEvent: 'CompleteRegistration',
    properties: undefined,
    user: { sha256_email: sha256('new.customer@example.com') }
  },
  'Initiate Checkout': {
    call: [
      'track',
      'Checkout Started',
      { order_id: 'o-1001', value: 106.5, revenue: 84.5, currency: 'usd', num_items: '3', products }
    ],
    tiktokEvent: 'InitiateCheckout',
    properties: {
      contents: [shirtContent, toteContent],
      content_type: 'product',
      value: 106.5,
      currency: 'USD',
      num_items: 3,
      order_id: 'o-1001'
    }
  },
  'Add Payment Info': {
    call: [
      'track',
      'Payment Info Entered',
      {
        checkout_id: 'chk-77',
        order_id: 'o-1001',
        step: 3,
        payment_method: 'card',
        value: 106.5,
        currency: 'USD',
        products
      }
    ],
    tiktokEvent: 'AddPaymentInfo',
    properties: {
      contents: [shirtContent, toteContent],
      content_type: 'product',
      value: 106.5,
      currency: 'USD',
      order_id: 'o-1001'
    }
  },
  'Submit Form': {
    call: ['track', 'Form Submitted', { description: 'Wholesale enquiry', value: '0', form_id: 'wholesale' }],
    tiktokEvent: 'SubmitForm',
    properties: { description: 'Wholesale enquiry', value: 0, currency: 'USD' }
  },
  // Page properties (path, url, title, ...) map to nothing: TikTok gets the page view and its ID.
  'Page View': { call: ['page'], tiktokEvent: 'Pageview', properties: undefined },
  Subscribe: {
    call: ['track', 'Subscription Created', { plan: 'Pro monthly', value: 9.99, currency: 'usd', num_items: 1 }],
    tiktokEvent: 'Subscribe',
    properties: { value: 9.99, currency: 'USD', num_items: 1 }
  },
  'Place an Order': {
    call: ['track', 'Order Placed', { order_id: 1002, revenue: 84.5, currency: 'EUR', products }],
    tiktokEvent: 'PlaceAnOrder',
    properties: {
      contents: [shirtContent, toteContent],
      content_type: 'product',
      value: 84.5,
      currency: 'EUR',
      order_id: '1002'
    }
  },
  'Click Button': {
    call: ['track', 'Product Clicked', { ...shirt, position: 3, currency: 'usd' }],
    tiktokEvent: 'ClickButton',
    properties: { contents: [shirtContent], content_type: 'product', value: 39.9, currency: 'USD' }
  },
  Search: {
    call: ['track', 'Products Searched', { query: '  linen shirt ', content_ids: ['sku-1001', 2002, ''] }],
    tiktokEvent: 'Search',
    properties: { query: 'linen shirt', content_ids: ['sku-1001', '2002'], content_type: 'product' }
  }
}

// ------------------------------------------------------------------------------------------------

describe('initialisation', () => {
  test.each(MODES)(
    '%s: loads the pixel with limited_data_use false, partner Segment, one automatic page view',
    async (mode) => {
      const shop = await h.openShop({ mode })
      const calls = await drainedCalls(shop)

      expect(calls).toEqual([pageCall()])
      const state = await shop.emulator()
      expect(state?.pixels[PIXEL_CODE]).toEqual({
        code: PIXEL_CODE,
        options: { limited_data_use: false },
        partner: 'Segment',
        loads: 1,
        scriptLoads: 1,
        consent: null,
        calls: [pageCall()],
        sent: [pageCall()],
        held: []
      })
      expect(Object.keys(state?.pixels ?? {})).toEqual([PIXEL_CODE])
      expect(state?.scriptUrls).toEqual([eventsJs(PIXEL_CODE)])
      expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
      expect(state?.log.map((e) => e.via)).toEqual(['instance'])
      expect(state?.orphanCalls).toEqual([])
      expect(shop.blockedRequests).toEqual([])
      expectNoLogsOrPageErrors(shop)
    }
  )

  test.each(MODES)('%s: ldu on loads with limited_data_use true; autoPageView off sends no page view', async (mode) => {
    const shop = await h.openShop({ mode, settings: { ldu: true, autoPageView: false } })
    const calls = await drainedCalls(shop)

    expect(calls).toEqual([])
    const state = await shop.emulator()
    expect(state?.pixels[PIXEL_CODE]).toMatchObject({
      options: { limited_data_use: true },
      partner: 'Segment',
      loads: 1,
      scriptLoads: 1
    })
    expect(state?.log).toEqual([])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])

    // LDU restricts processing; events still flow.
    const event = await analyticsCall(shop.page, 'track', 'Signed Up', { method: 'email' })
    await shop.waitForCalls(PIXEL_CODE, 2)
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual([
      identifyCall(externalId(event)),
      trackCall('CompleteRegistration', undefined, event)
    ])
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expect(shop.pageErrors).toEqual([])
  })
})

describe('presets', () => {
  /** The presets that send a TikTok event; Identify and the Events API enrichment have tests of their own. */
  const eventPresets = () => loadPresets().filter((preset) => preset.partnerAction === 'reportWebEvent')

  test('every preset in metadata.json has an e-commerce case here (and no case is left over)', () => {
    expect(Object.keys(PRESET_CASES).sort()).toEqual(
      eventPresets()
        .map((p) => p.name)
        .sort()
    )
    expect(eventPresets()).toHaveLength(15)
  })

  test.each(MODES)('%s: each preset sends exactly its TikTok event, properties and event_id', async (mode) => {
    // Automatic page view off, so that the Page View preset's first analytics.page() is sent too.
    const shop = await h.openShop({ mode, settings: { autoPageView: false } })
    await waitForPixel(shop.page, PIXEL_CODE)

    const expected: Record<string, EmulatorCall[]> = {}
    const sequence: EmulatorCall[] = []
    const nameOfEventId = new Map<string, string>()
    for (const preset of eventPresets()) {
      const testCase = PRESET_CASES[preset.name]!
      const [method, ...args] = testCase.call
      const event = await analyticsCall(shop.page, method, ...args)
      expect(typeof event.messageId).toBe('string')
      nameOfEventId.set(event.messageId as string, preset.name)
      const calls = [
        identifyCall({ ...testCase.user, ...externalId(event) }),
        trackCall(testCase.tiktokEvent, testCase.properties, event)
      ]
      expected[preset.name] = calls
      sequence.push(...calls)
    }

    await shop.waitForCalls(PIXEL_CODE, sequence.length)
    await drain(shop.page, PIXEL_CODE)
    const actual = await shop.calls(PIXEL_CODE)

    // Per preset first (readable diff): each track closes the group of calls made for its event.
    const byPreset: Record<string, EmulatorCall[]> = {}
    let group: EmulatorCall[] = []
    for (const call of actual) {
      group.push(call)
      if (call.method !== 'track') continue
      const eventId = (call.args[2] as { event_id?: string } | undefined)?.event_id ?? '(no event_id)'
      const name = nameOfEventId.get(eventId) ?? `unknown event ${eventId}`
      ;(byPreset[name] ??= []).push(...group)
      group = []
    }
    if (group.length > 0) byPreset['(calls after the last track)'] = group
    expect(byPreset).toEqual(expected)
    // Then the exact sequence: in event order, nothing more.
    expect(actual).toEqual(sequence)
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
    expectNoLogsOrPageErrors(shop)
  })
})

describe('identify then track', () => {
  test.each(MODES)(
    '%s: identify sends the normalised, hashed customer; a track with PII identifies first',
    async (mode) => {
      const shop = await h.openShop({ mode })
      await waitForPixel(shop.page, PIXEL_CODE)

      await analyticsCall(shop.page, 'identify', 'user-1', {
        email: ' Jane@Example.com ',
        phone: '+1 415 555 0101',
        first_name: 'Jané',
        last_name: "O'Brien-Smith",
        address: { street: '1 Market St', city: 'San Francisco', state: 'CA', postal_code: '94105', country: 'US' },
        plan: 'gold'
      })
      const customer = {
        sha256_email: sha256('jane@example.com'),
        sha256_phone_number: sha256('+14155550101'),
        external_id: sha256('user-1'),
        first_name: 'jané',
        last_name: 'obriensmith',
        city: 'sanfrancisco',
        state: 'ca',
        country: 'us',
        zip_code: '94105'
      }
      const order = await analyticsCall(shop.page, 'track', 'Order Completed', {
        order_id: 'o-3003',
        revenue: 39.9,
        currency: 'usd',
        products: [shirt],
        email: 'JANE@example.com',
        phone: '00 1 (415) 555-0101',
        first_name: ' Jané ',
        last_name: "O'Brien-Smith",
        address: { city: 'San Francisco', state: 'CA', postal_code: '94105', country: 'US' }
      })
      expect(order.userId).toBe('user-1')

      const expected = [
        pageCall(),
        identifyCall(customer),
        identifyCall(customer),
        trackCall(
          'CompletePayment',
          { contents: [shirtContent], content_type: 'product', value: 39.9, currency: 'USD', order_id: 'o-3003' },
          order
        )
      ]
      await shop.waitForCalls(PIXEL_CODE, expected.length)
      await drain(shop.page, PIXEL_CODE)
      const calls = await shop.calls(PIXEL_CODE)
      expect(calls).toEqual(expected)
      // No raw identifier reached TikTok's script.
      const recorded = JSON.stringify(await shop.emulator())
      for (const raw of ['jane@example.com', 'Jane@Example.com', '4155550101', '"user-1"']) {
        expect(recorded).not.toContain(raw)
      }
      expectNoLogsOrPageErrors(shop)
    }
  )
})

describe('page views', () => {
  test.each(MODES)(
    '%s: the snippet page() with autoPageView and the Page View preset counts once; SPA navigation sends one Pageview each',
    async (mode) => {
      const shop = await h.openShop({ mode, snippetPage: true })
      const onLoad = await drainedCalls(shop)
      expect(onLoad.filter((c) => c.method === 'page' || c.method === 'track')).toEqual([pageCall()])
      expect(onLoad).toEqual([pageCall()])

      const navigations: Event[] = []
      for (const path of ['/products/linen-shirt', '/cart']) {
        await shop.page.evaluate((p) => history.pushState({}, '', p), path)
        const event = await analyticsCall(shop.page, 'page')
        expect((event.properties as { path?: string }).path).toBe(path)
        navigations.push(event)
      }
      const expected = [
        pageCall(),
        ...navigations.flatMap((event) => [identifyCall(externalId(event)), trackCall('Pageview', undefined, event)])
      ]
      await shop.waitForCalls(PIXEL_CODE, expected.length)
      await drain(shop.page, PIXEL_CODE)
      expect(await shop.calls(PIXEL_CODE)).toEqual(expected)
      expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE)])
      expect(shop.pageErrors).toEqual([])
    }
  )

  test.each(MODES)('%s: with autoPageView off the snippet page() sends one Pageview', async (mode) => {
    const shop = await h.openShop({ mode, snippetPage: true, settings: { autoPageView: false } })
    await shop.waitForCalls(PIXEL_CODE, 1)
    const calls = await drainedCalls(shop)
    expect(calls.filter((c) => c.method === 'page')).toEqual([])
    expect(calls.filter((c) => c.method === 'track').map((c) => c.args[0])).toEqual(['Pageview'])
    const trackedCall = calls.find((c) => c.method === 'track')!
    const eventId = (trackedCall.args[2] as { event_id: string }).event_id
    const anonymousId = await shop.page.evaluate(async () => {
      const [instance] = await (window as unknown as { analytics: Promise<[{ user(): { anonymousId(): string } }]> })
        .analytics
      return instance.user().anonymousId()
    })
    expect(calls).toEqual([
      identifyCall({ external_id: sha256(anonymousId) }),
      trackCall('Pageview', undefined, { messageId: eventId })
    ])
    expect(eventId).toMatch(/^ajs-next-/)
  })

  test('SPA: the first page() after navigating away from the loaded URL is a new page view', async () => {
    const shop = await h.openShop()
    await drainedCalls(shop)
    await shop.page.evaluate(() => history.pushState({}, '', '/search?q=linen'))
    const event = await analyticsCall(shop.page, 'page')
    await shop.waitForCalls(PIXEL_CODE, 3)
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual([
      pageCall(),
      identifyCall(externalId(event)),
      trackCall('Pageview', undefined, event)
    ])
  })
})

describe('after a reload', () => {
  test.each(MODES)('%s: the page load again gets one automatic page view and each event once', async (mode) => {
    const shop = await h.openShop({ mode })
    const before = await analyticsCall(shop.page, 'track', 'Product Added', { ...tote, currency: 'USD' })
    const beforeCalls = [
      pageCall(),
      identifyCall(externalId(before)),
      trackCall('AddToCart', { contents: [toteContent], content_type: 'product', value: 44.6, currency: 'USD' }, before)
    ]
    await shop.waitForCalls(PIXEL_CODE, beforeCalls.length)
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual(beforeCalls)

    await shop.page.reload({ waitUntil: 'load' })
    await waitForAnalyticsReady(shop.page)
    expect(await drainedCalls(shop)).toEqual([pageCall()])

    const after = await analyticsCall(shop.page, 'track', 'Product Added', { ...tote, currency: 'USD' })
    expect(after.messageId).not.toBe(before.messageId)
    expect(after.anonymousId).toBe(before.anonymousId)
    await shop.page.evaluate(() => history.pushState({}, '', '/cart'))
    const pageView = await analyticsCall(shop.page, 'page')
    const afterCalls = [
      pageCall(),
      identifyCall(externalId(after)),
      trackCall('AddToCart', { contents: [toteContent], content_type: 'product', value: 44.6, currency: 'USD' }, after),
      identifyCall(externalId(pageView)),
      trackCall('Pageview', undefined, pageView)
    ]
    await shop.waitForCalls(PIXEL_CODE, afterCalls.length)
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual(afterCalls)
    const state = await shop.emulator()
    expect(state?.pixels[PIXEL_CODE]).toMatchObject({ options: { limited_data_use: false }, loads: 1, scriptLoads: 1 })
    // One events.js request per page load.
    expect(shop.tiktokRequests).toEqual([eventsJs(PIXEL_CODE), eventsJs(PIXEL_CODE)])
    expectNoLogsOrPageErrors(shop)
  })
})
