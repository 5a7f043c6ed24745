import type { InputField, JSONObject, Preset } from '@segment/actions-core'
import eventsApiMatchKeys from './eventsApiMatchKeys'
import identify from './identify'
import reportWebEvent from './reportWebEvent'

type Mapping = JSONObject

/** The mapping a new subscription starts from: every field's default. */
export function defaultMapping(fields: Record<string, InputField>): Mapping {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, field]) => field.default !== undefined)
      .map(([key, field]) => [key, field.default])
  ) as Mapping
}

/** Segment e-commerce product properties and the TikTok content fields they become. */
const productProperties: Mapping = {
  content_id: { '@path': '$.product_id' },
  content_name: { '@path': '$.name' },
  content_category: { '@path': '$.category' },
  brand: { '@path': '$.brand' },
  price: { '@path': '$.price' },
  quantity: { '@path': '$.quantity' }
}

/** Single-product events carry the product in their properties; multi-product events in `products`. */
const singleProduct = { '@arrayPath': ['$.properties', productProperties] }
const multiProduct = { '@arrayPath': ['$.properties.products', productProperties] }

function reportWebEventPreset(name: string, subscribe: string, event: string, contents?: Mapping): Preset {
  return {
    name,
    subscribe,
    partnerAction: 'reportWebEvent',
    mapping: { ...defaultMapping(reportWebEvent.fields), ...(contents && { contents }), event },
    type: 'automatic'
  }
}

const trackPreset = (name: string, segmentEvent: string, event: string, contents?: Mapping): Preset =>
  reportWebEventPreset(name, `event = "${segmentEvent}"`, event, contents)

/** The presets of Segment's own catalog entry for TikTok Pixel: what today's workspaces hold. */
export const catalogPresets: Preset[] = [
  trackPreset('View Content', 'Product Viewed', 'ViewContent', singleProduct),
  trackPreset('Contact', 'Callback Started', 'Contact'),
  trackPreset('Complete Payment', 'Order Completed', 'CompletePayment', multiProduct),
  trackPreset('Download', 'Download Link Clicked', 'Download'),
  trackPreset('Add to Wishlist', 'Product Added to Wishlist', 'AddToWishlist', singleProduct),
  trackPreset('Add to Cart', 'Product Added', 'AddToCart', singleProduct),
  trackPreset('Complete Registration', 'Signed Up', 'CompleteRegistration'),
  trackPreset('Initiate Checkout', 'Checkout Started', 'InitiateCheckout', multiProduct),
  trackPreset('Add Payment Info', 'Payment Info Entered', 'AddPaymentInfo', multiProduct),
  trackPreset('Submit Form', 'Form Submitted', 'SubmitForm'),
  reportWebEventPreset('Page View', 'type = "page"', 'Pageview'),
  trackPreset('Subscribe', 'Subscription Created', 'Subscribe'),
  trackPreset('Place an Order', 'Order Placed', 'PlaceAnOrder', multiProduct),
  trackPreset('Click Button', 'Product Clicked', 'ClickButton', singleProduct),
  trackPreset('Search', 'Products Searched', 'Search')
]

/**
 * The presets this package adds. Where a workspace has no enabled subscription for their actions
 * they run anyway (src/generated-presets.ts), each as the workspace and the site's options decide
 * (src/workspace.ts).
 */
export const packagePresets: Preset[] = [
  {
    name: 'Identify',
    subscribe: 'type = "identify"',
    partnerAction: 'identify',
    mapping: defaultMapping(identify.fields),
    type: 'automatic'
  },
  {
    name: 'Click ID and Cookie for the Events API',
    subscribe: eventsApiMatchKeys.defaultSubscription as string,
    partnerAction: 'eventsApiMatchKeys',
    mapping: {},
    type: 'automatic'
  }
]

export const presets: Preset[] = [...catalogPresets, ...packagePresets]
