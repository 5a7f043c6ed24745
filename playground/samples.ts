/**
 * Sample events for the playground's buttons, after Segment's e-commerce and B2B SaaS specs. Each
 * is what a site would send; the playground hands it to analytics-next as is.
 */

/** What every sample may carry besides its type's own fields. */
type CommonFields = {
  context?: Record<string, unknown>
  userId?: string
  anonymousId?: string
  messageId?: string
}

export type EventSpec = CommonFields &
  (
    | { type: 'track'; event: string; properties?: Record<string, unknown> }
    | { type: 'page'; name?: string; category?: string; properties?: Record<string, unknown> }
    | { type: 'identify'; traits?: Record<string, unknown> }
  )

const runningShoe = {
  product_id: 'sku-run-1042',
  sku: 'RUN-1042-BLU-42',
  name: 'Trail Runner 2',
  category: 'Shoes',
  brand: 'Northpeak',
  variant: 'Blue / EU 42',
  price: 89.9,
  quantity: 1
}

const rainJacket = {
  product_id: 'sku-jkt-0310',
  sku: 'JKT-0310-GRN-M',
  name: 'Packable Rain Jacket',
  category: 'Outerwear',
  brand: 'Northpeak',
  variant: 'Green / M',
  price: 59.5,
  quantity: 2
}

const products = [runningShoe, rainJacket]

const singleProduct = { ...runningShoe, currency: 'USD', value: 89.9, url: 'https://shop.example/p/trail-runner-2' }

/** By the Segment event name (track) or the type (page, identify). */
export const SAMPLES: Record<string, EventSpec> = {
  'Product Viewed': { type: 'track', event: 'Product Viewed', properties: singleProduct },
  'Callback Started': {
    type: 'track',
    event: 'Callback Started',
    properties: { topic: 'Order question', preferred_time: 'afternoon', phone: '+1 415 555 0101' }
  },
  'Order Completed': {
    type: 'track',
    event: 'Order Completed',
    properties: {
      order_id: 'ORD-50314',
      checkout_id: 'chk-7781',
      affiliation: 'Web shop',
      revenue: 208.9,
      value: 208.9,
      shipping: 4.5,
      tax: 19.52,
      discount: 0,
      coupon: '',
      currency: 'USD',
      products
    }
  },
  'Download Link Clicked': {
    type: 'track',
    event: 'Download Link Clicked',
    properties: { description: 'Size guide (PDF)', url: 'https://shop.example/size-guide.pdf' }
  },
  'Product Added to Wishlist': {
    type: 'track',
    event: 'Product Added to Wishlist',
    properties: { wishlist_id: 'wl-19', wishlist_name: 'Summer trip', ...singleProduct }
  },
  'Product Added': { type: 'track', event: 'Product Added', properties: { cart_id: 'cart-5521', ...singleProduct } },
  'Signed Up': {
    type: 'track',
    event: 'Signed Up',
    properties: {
      type: 'email',
      email: 'Jane.Doe@Example.com',
      first_name: 'Jane',
      last_name: "O'Connor",
      phone: '+44 20 7946 0958'
    }
  },
  'Checkout Started': {
    type: 'track',
    event: 'Checkout Started',
    properties: { order_id: 'ORD-50314', value: 208.9, revenue: 208.9, currency: 'USD', products }
  },
  'Payment Info Entered': {
    type: 'track',
    event: 'Payment Info Entered',
    properties: { checkout_id: 'chk-7781', order_id: 'ORD-50314', payment_method: 'card', currency: 'USD', products }
  },
  'Form Submitted': {
    type: 'track',
    event: 'Form Submitted',
    properties: { form_id: 'newsletter-footer', form_name: 'Newsletter', email: 'jane.doe@example.com' }
  },
  'Subscription Created': {
    type: 'track',
    event: 'Subscription Created',
    properties: { plan: 'Runner Club (yearly)', value: 49, currency: 'usd', description: 'Free shipping for a year' }
  },
  'Order Placed': {
    type: 'track',
    event: 'Order Placed',
    properties: { order_id: 'ORD-50315', value: '119.00', currency: 'eur', products: [rainJacket] }
  },
  'Product Clicked': {
    type: 'track',
    event: 'Product Clicked',
    properties: { ...singleProduct, list_id: 'search-results', position: 3 }
  },
  'Products Searched': { type: 'track', event: 'Products Searched', properties: { query: 'waterproof running shoes' } },
  Page: { type: 'page', category: 'Shop', name: 'Product', properties: {} },
  Identify: {
    type: 'identify',
    userId: 'user-1024',
    traits: {
      email: ' Jane.Doe@Example.com ',
      phone: '+1 (415) 555-0101',
      first_name: 'Jane',
      last_name: "O'Connor",
      address: { street: '500 Howard St', city: 'San Francisco', state: 'CA', country: 'US', postal_code: '94105' }
    }
  }
}

/** The sample for a button; a bare track event for a preset added to metadata.json without one. */
export function sampleFor(name: string): EventSpec {
  return SAMPLES[name] ?? { type: 'track', event: name, properties: {} }
}

/** What the JSON editor starts with: numbers as strings and a lower-case currency, to show the clean-up. */
export const EDITOR_START: EventSpec = {
  type: 'track',
  event: 'Product Added',
  properties: {
    product_id: 'sku-cap-77',
    name: 'Merino Cap',
    category: 'Accessories',
    price: '24.90',
    quantity: '2',
    value: '49.80',
    currency: 'eur'
  },
  context: { traits: { email: 'Sam.Lee@Example.org', phone: '0044 7700 900123' } }
}
