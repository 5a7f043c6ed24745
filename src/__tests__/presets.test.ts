/**
 * The presets that reach the pixel (15 events plus Identify) end to end: a realistic Segment event through our runtime, our initialize and
 * TikTok's base-code stub, checked against the exact calls queued for the pixel.
 */
import type { Plugin } from '@segment/analytics-next'
import { destination } from '..'
import { presets } from '../presets'
import { generatePlugins } from '../runtime'
import {
  PIXEL_CODE,
  deliver,
  loadPlugins,
  queued,
  resetPage,
  sha256,
  subscriptionsOf,
  useWebCrypto
} from './support/page'

const USER_ID = 'user-42'
const ANONYMOUS_ID = 'anon-7f3a9c'
const EMAIL = ' Jane.Doe@Example.com '
const PHONE = '+1 (213) 373-4253'

/** What TikTok receives for the user of every event below: the normalised identifiers, hashed. */
const knownUser = {
  sha256_email: sha256('jane.doe@example.com'),
  sha256_phone_number: sha256('+12133734253'),
  external_id: sha256(USER_ID)
}

function trackEvent(event: string, messageId: string, properties: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'track',
    event,
    messageId,
    userId: USER_ID,
    anonymousId: ANONYMOUS_ID,
    timestamp: '2025-05-01T12:00:00.000Z',
    properties,
    context: {
      traits: { email: EMAIL, phone: PHONE },
      page: { path: '/shop', url: 'https://www.example.com/shop', title: 'Shop', referrer: '', search: '' },
      library: { name: 'analytics.js', version: 'next-1.84.3' },
      userAgent: 'Mozilla/5.0'
    }
  }
}

const monopoly = {
  product_id: '507f1f77bcf86cd799439011',
  sku: 'G-32',
  category: 'Games',
  name: 'Monopoly: 3rd Edition',
  brand: 'Hasbro',
  variant: '200 pieces',
  price: 18.99,
  quantity: 1,
  coupon: 'MAYDEALS',
  position: 3,
  url: 'https://www.example.com/product/path',
  image_url: 'https://www.example.com/product/path.jpg'
}

const monopolyContent = {
  content_id: '507f1f77bcf86cd799439011',
  content_name: 'Monopoly: 3rd Edition',
  content_category: 'Games',
  brand: 'Hasbro',
  price: 18.99,
  quantity: 1
}

const orderProducts = [
  {
    product_id: '507f1f77bcf86cd799439011',
    sku: '45790-32',
    name: 'Monopoly: 3rd Edition',
    price: 19,
    quantity: 1,
    category: 'Games',
    url: 'https://www.example.com/product/path',
    image_url: 'https:///www.example.com/product/path.jpg'
  },
  {
    product_id: '505bd76785ebb509fc183733',
    sku: '46493-32',
    name: 'Uno Card Game',
    price: '3',
    quantity: '2',
    category: 'Games',
    brand: 'Mattel'
  }
]

const orderContents = [
  {
    content_id: '507f1f77bcf86cd799439011',
    content_name: 'Monopoly: 3rd Edition',
    content_category: 'Games',
    price: 19,
    quantity: 1
  },
  {
    content_id: '505bd76785ebb509fc183733',
    content_name: 'Uno Card Game',
    content_category: 'Games',
    brand: 'Mattel',
    price: 3,
    quantity: 2
  }
]

interface Case {
  preset: string
  event: Record<string, unknown>
  calls: unknown[][]
}

const cases: Case[] = [
  {
    preset: 'View Content',
    event: trackEvent('Product Viewed', 'msg-view-1', { ...monopoly, currency: 'usd', value: 18.99 }),
    calls: [
      ['identify', knownUser],
      [
        'track',
        'ViewContent',
        { contents: [monopolyContent], content_type: 'product', currency: 'USD', value: 18.99 },
        { event_id: 'msg-view-1' }
      ]
    ]
  },
  {
    preset: 'Contact',
    event: trackEvent('Callback Started', 'msg-contact-1', {
      method: 'phone',
      description: 'Call me back about delivery'
    }),
    calls: [
      ['identify', knownUser],
      ['track', 'Contact', { description: 'Call me back about delivery' }, { event_id: 'msg-contact-1' }]
    ]
  },
  {
    preset: 'Complete Payment',
    event: trackEvent('Order Completed', 'msg-order-1', {
      checkout_id: 'fksdjfsdjfisjf9sdfjsd9f',
      order_id: '50314b8e9bcf000000000000',
      affiliation: 'Google Store',
      total: 27.5,
      subtotal: 22.5,
      revenue: 25,
      shipping: 3,
      tax: 2,
      discount: 2.5,
      coupon: 'hasbros',
      currency: 'USD',
      products: orderProducts
    }),
    calls: [
      ['identify', knownUser],
      [
        'track',
        'CompletePayment',
        {
          contents: orderContents,
          content_type: 'product',
          value: 25,
          currency: 'USD',
          order_id: '50314b8e9bcf000000000000'
        },
        { event_id: 'msg-order-1' }
      ]
    ]
  },
  {
    preset: 'Download',
    event: trackEvent('Download Link Clicked', 'msg-download-1', {
      file_name: 'catalog-2025.pdf',
      url: 'https://www.example.com/catalog-2025.pdf'
    }),
    calls: [
      ['identify', knownUser],
      ['track', 'Download', undefined, { event_id: 'msg-download-1' }]
    ]
  },
  {
    preset: 'Add to Wishlist',
    event: trackEvent('Product Added to Wishlist', 'msg-wish-1', {
      wishlist_id: 'skdjsidjsdkdj29j',
      wishlist_name: 'Loved Games',
      ...monopoly,
      price: '18.99'
    }),
    calls: [
      ['identify', knownUser],
      // No value in the event: price × quantity of its item, in USD as none is given (issue 13).
      [
        'track',
        'AddToWishlist',
        { contents: [monopolyContent], content_type: 'product', value: 18.99, currency: 'USD' },
        { event_id: 'msg-wish-1' }
      ]
    ]
  },
  {
    preset: 'Add to Cart',
    event: trackEvent('Product Added', 'msg-cart-1', {
      cart_id: 'skdjsidjsdkdj29j',
      ...monopoly,
      quantity: '2',
      currency: 'eur',
      value: 37.98
    }),
    calls: [
      ['identify', knownUser],
      [
        'track',
        'AddToCart',
        { contents: [{ ...monopolyContent, quantity: 2 }], content_type: 'product', currency: 'EUR', value: 37.98 },
        { event_id: 'msg-cart-1' }
      ]
    ]
  },
  {
    preset: 'Complete Registration',
    event: trackEvent('Signed Up', 'msg-signup-1', {
      type: 'organic',
      first_name: 'Peter',
      last_name: 'Gibbons',
      email: 'PGibbons@Initech.com',
      username: 'pgibbons',
      title: 'Mr'
    }),
    calls: [
      [
        'identify',
        {
          ...knownUser,
          sha256_email: sha256('pgibbons@initech.com'),
          first_name: 'peter',
          last_name: 'gibbons'
        }
      ],
      ['track', 'CompleteRegistration', undefined, { event_id: 'msg-signup-1' }]
    ]
  },
  {
    preset: 'Initiate Checkout',
    event: trackEvent('Checkout Started', 'msg-checkout-1', {
      order_id: '50314b8e9bcf000000000000',
      affiliation: 'Google Store',
      value: 30,
      revenue: 25,
      shipping: 3,
      tax: 2,
      discount: 2.5,
      coupon: 'hasbros',
      currency: 'usd',
      products: orderProducts
    }),
    calls: [
      ['identify', knownUser],
      [
        'track',
        'InitiateCheckout',
        {
          contents: orderContents,
          content_type: 'product',
          value: 30,
          currency: 'USD',
          order_id: '50314b8e9bcf000000000000'
        },
        { event_id: 'msg-checkout-1' }
      ]
    ]
  },
  {
    preset: 'Add Payment Info',
    event: trackEvent('Payment Info Entered', 'msg-payment-1', {
      checkout_id: '39f39fj39f3jf93fj9fj39fj3f',
      order_id: 'dkfsjidfjsdifsdfksdjfkdsfjsdfkdsf',
      step: 2,
      shipping_method: 'Fedex',
      payment_method: 'Visa',
      value: '41',
      currency: 'USD',
      products: orderProducts
    }),
    calls: [
      ['identify', knownUser],
      [
        'track',
        'AddPaymentInfo',
        {
          contents: orderContents,
          content_type: 'product',
          value: 41,
          currency: 'USD',
          order_id: 'dkfsjidfjsdifsdfksdjfkdsfjsdfkdsf'
        },
        { event_id: 'msg-payment-1' }
      ]
    ]
  },
  {
    preset: 'Submit Form',
    event: trackEvent('Form Submitted', 'msg-form-1', { form_id: 'contact-us', form_name: 'Contact us' }),
    calls: [
      ['identify', knownUser],
      ['track', 'SubmitForm', undefined, { event_id: 'msg-form-1' }]
    ]
  },
  {
    preset: 'Page View',
    event: {
      type: 'page',
      name: 'Home',
      messageId: 'msg-page-1',
      anonymousId: ANONYMOUS_ID,
      properties: { name: 'Home', path: '/', referrer: '', search: '', title: 'Home', url: 'http://localhost/' },
      context: {
        traits: { email: EMAIL },
        page: { path: '/', referrer: '', search: '', title: 'Home', url: 'http://localhost/' }
      }
    },
    calls: [
      ['identify', { sha256_email: knownUser.sha256_email, external_id: sha256(ANONYMOUS_ID) }],
      ['track', 'Pageview', undefined, { event_id: 'msg-page-1' }]
    ]
  },
  {
    preset: 'Subscribe',
    event: trackEvent('Subscription Created', 'msg-subscribe-1', {
      plan: 'Premium',
      billing_period: 'monthly',
      value: '9.99',
      currency: 'gbp'
    }),
    calls: [
      ['identify', knownUser],
      ['track', 'Subscribe', { value: 9.99, currency: 'GBP' }, { event_id: 'msg-subscribe-1' }]
    ]
  },
  {
    preset: 'Place an Order',
    event: trackEvent('Order Placed', 'msg-placed-1', {
      order_id: 'ord-991',
      shop_id: 'shop-eu-1',
      revenue: '42.00',
      currency: 'EUR',
      products: orderProducts.slice(1)
    }),
    calls: [
      ['identify', knownUser],
      [
        'track',
        'PlaceAnOrder',
        {
          contents: orderContents.slice(1),
          content_type: 'product',
          value: 42,
          currency: 'EUR',
          order_id: 'ord-991',
          shop_id: 'shop-eu-1'
        },
        { event_id: 'msg-placed-1' }
      ]
    ]
  },
  {
    preset: 'Click Button',
    event: trackEvent('Product Clicked', 'msg-click-1', { ...monopoly, price: 0 }),
    calls: [
      ['identify', knownUser],
      [
        'track',
        'ClickButton',
        { contents: [{ ...monopolyContent, price: 0 }], content_type: 'product', value: 0, currency: 'USD' },
        { event_id: 'msg-click-1' }
      ]
    ]
  },
  {
    preset: 'Search',
    event: trackEvent('Products Searched', 'msg-search-1', { query: 'blue hotpants' }),
    calls: [
      ['identify', knownUser],
      ['track', 'Search', { query: 'blue hotpants' }, { event_id: 'msg-search-1' }]
    ]
  },
  {
    preset: 'Identify',
    event: {
      type: 'identify',
      messageId: 'msg-identify-1',
      userId: USER_ID,
      anonymousId: ANONYMOUS_ID,
      traits: { email: EMAIL, phone: PHONE, first_name: 'Jane', address: { country: 'US' } }
    },
    calls: [['identify', { ...knownUser, first_name: 'jane', country: 'us' }]]
  }
]

/** The enrichment preset sends nothing to the pixel: src/eventsApiMatchKeys tests it. */
const pixelPresets = presets.filter((preset) => preset.partnerAction !== 'eventsApiMatchKeys')

async function loadWith(subscribed = presets): Promise<Plugin[]> {
  return loadPlugins(
    generatePlugins(destination, {
      pixelCode: PIXEL_CODE,
      autoPageView: false,
      subscriptions: subscriptionsOf(subscribed)
    })
  )
}

beforeEach(() => {
  useWebCrypto()
  resetPage()
})

it('covers every preset: 15 events, Identify and the Events API enrichment', () => {
  expect(presets).toHaveLength(17)
  expect(cases.map((c) => c.preset).sort()).toEqual(pixelPresets.map((preset) => preset.name).sort())
})

describe.each(cases)('preset $preset', ({ preset, event, calls }) => {
  it('queues exactly the expected calls, with all presets enabled', async () => {
    const plugins = await loadWith()
    await deliver(plugins, event)
    expect(queued()).toEqual(calls)
  })

  it('is the preset that sends them', async () => {
    const plugins = await loadWith(presets.filter((candidate) => candidate.name !== preset))
    await deliver(plugins, event)
    expect(queued()).toEqual([])
  })
})

it.each(cases.filter((c) => c.event.type !== 'identify'))(
  'preset $preset carries the messageId as event_id',
  async ({ event }) => {
    const plugins = await loadWith()
    await deliver(plugins, event)
    const tracks = queued().filter((call) => call[0] === 'track')
    expect(tracks).toHaveLength(1)
    expect(tracks[0][3]).toEqual({ event_id: event.messageId })
  }
)

it('maps every Segment event to its TikTok event name', async () => {
  const plugins = await loadWith()
  for (const { event } of cases) await deliver(plugins, event)
  expect(queued().flatMap((call) => (call[0] === 'track' ? [call[1]] : []))).toEqual([
    'ViewContent',
    'Contact',
    'CompletePayment',
    'Download',
    'AddToWishlist',
    'AddToCart',
    'CompleteRegistration',
    'InitiateCheckout',
    'AddPaymentInfo',
    'SubmitForm',
    'Pageview',
    'Subscribe',
    'PlaceAnOrder',
    'ClickButton',
    'Search'
  ])
})

describe('contents come from the right place', () => {
  const single = ['Product Viewed', 'Product Added to Wishlist', 'Product Added', 'Product Clicked']
  const multi = ['Order Completed', 'Checkout Started', 'Payment Info Entered', 'Order Placed']
  const none = ['Callback Started', 'Download Link Clicked', 'Signed Up', 'Form Submitted']
  none.push('Subscription Created', 'Products Searched')

  /** Product fields at the top and a products list: each preset must pick its own. */
  const both = { ...monopoly, products: orderProducts.slice(1) }

  async function contentsOf(eventName: string): Promise<unknown> {
    resetPage()
    const plugins = await loadWith()
    await deliver(plugins, { ...trackEvent(eventName, 'msg-both', both), userId: undefined, context: {} })
    const tracks = queued().filter((call) => call[0] === 'track')
    expect(tracks).toHaveLength(1)
    return (tracks[0][2] as Record<string, unknown> | undefined)?.contents
  }

  it.each(single)('%s: from the event properties, not properties.products', async (eventName) => {
    expect(await contentsOf(eventName)).toEqual([monopolyContent])
  })

  it.each(multi)('%s: from properties.products, not the event properties', async (eventName) => {
    expect(await contentsOf(eventName)).toEqual(orderContents.slice(1))
  })

  it.each(none)('%s: none', async (eventName) => {
    expect(await contentsOf(eventName)).toBeUndefined()
  })

  it('multi-product events without products send no contents', async () => {
    const plugins = await loadWith()
    await deliver(plugins, {
      ...trackEvent('Order Completed', 'msg-empty', { order_id: 'o-1', products: [], revenue: 0 }),
      userId: undefined,
      anonymousId: undefined,
      context: {}
    })
    expect(queued()).toEqual([
      ['track', 'CompletePayment', { value: 0, currency: 'USD', order_id: 'o-1' }, { event_id: 'msg-empty' }]
    ])
  })
})

describe('events no preset matches', () => {
  it.each([
    ['an unknown track event', trackEvent('Some Other Event', 'msg-x', { ...monopoly, value: 5 })],
    ['a differently cased event name', trackEvent('product viewed', 'msg-x', monopoly)],
    ['a group call', { type: 'group', messageId: 'msg-x', groupId: 'g-1', traits: { name: 'Initech' } }],
    ['an alias call', { type: 'alias', messageId: 'msg-x', userId: USER_ID, previousId: ANONYMOUS_ID }]
  ])('%s queues nothing', async (_, event) => {
    const plugins = await loadWith()
    await deliver(plugins, event)
    expect(queued()).toEqual([])
  })
})

describe('Identify preset: the action with its default mapping', () => {
  const identifySubscriptions = subscriptionsOf(presets.filter((preset) => preset.partnerAction === 'identify'))

  async function identify(event: Record<string, unknown>): Promise<unknown[][]> {
    const plugins = await loadPlugins(
      generatePlugins(destination, {
        pixelCode: PIXEL_CODE,
        autoPageView: false,
        subscriptions: identifySubscriptions
      })
    )
    await deliver(plugins, event)
    return queued()
  }

  it("reads the identify call's traits", async () => {
    expect(
      await identify({
        type: 'identify',
        messageId: 'msg-id-1',
        userId: USER_ID,
        anonymousId: ANONYMOUS_ID,
        traits: {
          email: EMAIL,
          phone: PHONE,
          first_name: 'Jane',
          last_name: "D'Arcy",
          address: { city: 'San Francisco', state: 'CA', country: 'US', postal_code: '94107', street: '1 Main St' }
        }
      })
    ).toEqual([
      [
        'identify',
        {
          ...knownUser,
          first_name: 'jane',
          last_name: 'darcy',
          city: 'sanfrancisco',
          state: 'ca',
          country: 'us',
          zip_code: '94107'
        }
      ]
    ])
  })

  it('falls back to the anonymousId and sends nothing else when there are no traits', async () => {
    expect(await identify({ type: 'identify', messageId: 'msg-id-2', anonymousId: ANONYMOUS_ID })).toEqual([
      ['identify', { external_id: sha256(ANONYMOUS_ID) }]
    ])
  })

  it('sends nothing without any identifier', async () => {
    expect(await identify({ type: 'identify', messageId: 'msg-id-3', traits: { plan: 'pro' } })).toEqual([])
  })
})
