/**
 * The events of one shop visit, as analytics.js builds them: a page view, two product events, an identify with
 * e-mail and phone, and an order with two products; e-mail and phone in `context.traits` on every event, so both
 * runtimes normalise and hash. Also the hostile event: 1 MB strings in the fields TikTok reads.
 */
import type { SegmentEvent } from '@segment/analytics-next'

let sequence = 0

const traits = { email: '  Jane.Doe@Example.com ', phone: '+1 (213) 373-4253', first_name: 'Jane', last_name: 'Doe' }

function envelope(type: SegmentEvent['type'], path: string, title: string): SegmentEvent {
  const n = ++sequence
  const url = `https://shop.example.com${path}`
  return {
    type,
    messageId: `ajs-next-visit-${n}-8f1c0e4b2a7d`,
    anonymousId: '4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a',
    userId: 'user-42',
    timestamp: new Date(1_700_000_000_000 + n),
    integrations: {},
    context: {
      traits: { ...traits },
      page: { path, referrer: 'https://www.tiktok.com/', search: '?ttclid=E.C.P.abc', title, url },
      library: { name: 'analytics.js', version: 'next-1.84.3' },
      locale: 'en-US',
      userAgent: 'Mozilla/5.0 (bench)'
    }
  }
}

const product = (id: string, name: string, price: number, quantity = 1) => ({
  product_id: id,
  sku: `${id}-sku`,
  name,
  price,
  quantity,
  category: 'Games',
  brand: 'Hasbro',
  currency: 'USD'
})

export function visitEvents(): SegmentEvent[] {
  const page = envelope('page', '/games/monopoly', 'Monopoly')
  page.properties = { path: '/games/monopoly', url: 'https://shop.example.com/games/monopoly', title: 'Monopoly' }
  const viewed = { ...envelope('track', '/games/monopoly', 'Monopoly'), event: 'Product Viewed' }
  viewed.properties = { ...product('507f1f77bcf86cd799439011', 'Monopoly: 3rd Edition', 19), value: 19 }
  const added = { ...envelope('track', '/games/monopoly', 'Monopoly'), event: 'Product Added' }
  added.properties = { ...product('507f1f77bcf86cd799439011', 'Monopoly: 3rd Edition', 19), cart_id: 'c-1' }
  const identify = envelope('identify', '/checkout', 'Checkout')
  identify.traits = { email: 'jane.doe@example.com', phone: '+1 213 373 4253', first_name: 'Jane' }
  return [page, viewed, added, identify, orderCompleted()]
}

/** Order Completed with two products. */
export function orderCompleted(): SegmentEvent {
  const order = { ...envelope('track', '/checkout/complete', 'Thank you'), event: 'Order Completed' }
  order.properties = {
    order_id: '50314b8e9bcf000000000000',
    total: 27.5,
    revenue: 25,
    value: 27.5,
    currency: 'USD',
    products: [product('507f1f77bcf86cd799439011', 'Monopoly: 3rd Edition', 19), product('505bd7', 'Uno', 3, 2)]
  }
  return order
}

const MB = 1024 * 1024

/** Order Completed with 1 MB strings in order id, query, product name, e-mail, first name, city and phone. */
function megabyteStrings(): HostileEvent {
  const long = (seed: string) => seed.repeat(Math.ceil(MB / seed.length)).slice(0, MB)
  return {
    properties: {
      order_id: long('o-1'),
      query: long('board games '),
      value: 27.5,
      currency: 'USD',
      products: [{ product_id: 'p-1', name: long('Monopoly '), price: 19, quantity: 1 }]
    },
    traits: {
      email: `${long('jane.doe')}@example.com`,
      first_name: long('Jane'),
      phone: `+1${long('2133734253')}`,
      address: { city: long('Los Angeles ') }
    }
  }
}

const ordinaryTraits = { email: 'jane.doe@example.com', phone: '+12133734253' }

interface HostileEvent {
  properties: Record<string, unknown>
  traits: Record<string, unknown>
}

/** Order Completed events a hostile or broken page might send, by what makes them large. */
export const HOSTILE_ORDERS = {
  '1 MB strings in order id, query, product name, e-mail, first name, city, phone': megabyteStrings,
  '100,000 products': (): HostileEvent => ({
    properties: {
      products: Array.from({ length: 100_000 }, (_, i) => ({ product_id: `p-${i}`, name: 'Board game', price: 19 }))
    },
    traits: ordinaryTraits
  }),
  '1,000,000 content IDs': (): HostileEvent => ({
    properties: { content_ids: Array.from({ length: 1_000_000 }, (_, i) => `p-${i}`), value: 10 },
    traits: ordinaryTraits
  }),
  'a description nested 50,000 objects deep': (): HostileEvent => {
    const description: Record<string, unknown> = {}
    let level = description
    for (let i = 0; i < 50_000; i++) level = (level.inner = {}) as Record<string, unknown>
    return { properties: { order_id: 'o-1', value: 10, description }, traits: ordinaryTraits }
  }
}
export type HostileShape = keyof typeof HOSTILE_ORDERS
