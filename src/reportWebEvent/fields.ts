import type { InputField } from '@segment/actions-core'
import { firstOf, path } from '../fields'
import { conditionalFields, TRAVEL_FIELDS, VEHICLE_FIELDS } from './event-spec'

/** Report Web Event's own fields: the event, its properties and the extra parameter groups. */

/** TikTok's standard web events (September 2025 list, plus the older names still accepted). */
export const STANDARD_EVENTS = [
  'AddPaymentInfo',
  'AddToCart',
  'AddToWishlist',
  'ApplicationApproval',
  'ClickButton',
  'CompletePayment',
  'CompleteRegistration',
  'Contact',
  'CustomizeProduct',
  'Download',
  'FindLocation',
  'InitiateCheckout',
  'Lead',
  'Pageview',
  'PlaceAnOrder',
  'Purchase',
  'Schedule',
  'Search',
  'StartTrial',
  'SubmitApplication',
  'SubmitForm',
  'Subscribe',
  'ViewContent'
] as const

function stringProperty(label: string, description: string): InputField {
  return { label, description, type: 'string' }
}

function numberProperty(label: string, description: string): InputField {
  return { label, description, type: 'number' }
}

function choicesOf(...values: string[]): { label: string; value: string }[] {
  return values.map((value) => ({ label: value, value }))
}

/** A group of extra parameters, resolved and sent only when Additional Fields selects it. */
function parameterGroup(
  label: string,
  description: string,
  properties: Record<string, InputField>,
  { depends_on }: { depends_on: InputField['depends_on'] }
): InputField {
  return {
    label,
    description,
    type: 'object',
    additionalProperties: false,
    defaultObjectUI: 'keyvalue',
    properties,
    default: Object.fromEntries(Object.keys(properties).map((key) => [key, path(`$.properties.${key}`)])),
    depends_on
  }
}

const dateFormats = 'Formats: YYYYMMDD, YYYY-MM-DD, YYYY-MM-DDThh:mmTZD or YYYY-MM-DDThh:mm:ssTZD.'

export const travelProperties: Record<string, InputField> = {
  city: stringProperty('Hotel City', 'City of the hotel.'),
  region: stringProperty('Hotel Region', 'Region of the hotel.'),
  country: stringProperty('Hotel Country', 'Country of the hotel.'),
  checkin_date: stringProperty('Check-in Date', `Hotel check-in date. ${dateFormats}`),
  checkout_date: stringProperty('Check-out Date', `Hotel check-out date. ${dateFormats}`),
  num_adults: numberProperty('Adults', 'How many adults travel.'),
  num_children: numberProperty('Children', 'How many children travel.'),
  num_infants: numberProperty('Infants', 'How many infants fly.'),
  suggested_hotels: { ...stringProperty('Suggested Hotels', 'Hotel IDs suggested to the user.'), multiple: true },
  departing_departure_date: stringProperty('Departure Date', `Outbound flight departure. ${dateFormats}`),
  returning_departure_date: stringProperty('Return Date', `Return flight departure. ${dateFormats}`),
  origin_airport: stringProperty('Origin Airport', 'IATA code of the departure airport.'),
  destination_airport: stringProperty('Destination Airport', 'IATA code of the arrival airport.'),
  destination_ids: {
    ...stringProperty('Destination IDs', 'Catalog destination IDs linked to this trip.'),
    multiple: true
  },
  departing_arrival_date: stringProperty('Outbound Arrival', `Arrival of the outbound journey. ${dateFormats}`),
  returning_arrival_date: stringProperty('Return Arrival', `Arrival of the return journey. ${dateFormats}`),
  travel_class: {
    ...stringProperty('Travel Class', 'Ticket class.'),
    choices: [
      { value: 'eco', label: 'Economy' },
      { value: 'prem', label: 'Premium economy' },
      { value: 'bus', label: 'Business' },
      { value: 'first', label: 'First' }
    ]
  },
  user_score: numberProperty('User Score', "This customer's relative value to the advertiser."),
  preferred_num_stops: {
    ...numberProperty('Preferred Stops', 'Stops the user wants; 0 is a direct flight.'),
    type: 'integer'
  },
  travel_start: stringProperty('Trip Start', `First day of the trip. ${dateFormats}`),
  travel_end: stringProperty('Trip End', `Last day of the trip. ${dateFormats}`),
  suggested_destinations: {
    ...stringProperty('Suggested Destinations', 'Catalog destination IDs suggested to the user.'),
    multiple: true
  }
}

export const vehicleProperties: Record<string, InputField> = {
  postal_code: stringProperty('Postal Code', 'Postal code where the vehicle is.'),
  make: stringProperty('Make', 'Manufacturer of the vehicle.'),
  model: stringProperty('Model', 'Model of the vehicle.'),
  year: numberProperty('Year', 'Model year, four digits.'),
  state_of_vehicle: {
    ...stringProperty('State', 'New, used or certified pre-owned.'),
    choices: choicesOf('New', 'Used', 'CPO')
  },
  mileage_value: numberProperty('Mileage', 'Distance driven; 0 for a new vehicle. Sent as mileage.value.'),
  mileage_unit: {
    ...stringProperty('Mileage Unit', 'Unit of the mileage. Sent as mileage.unit.'),
    choices: [
      { value: 'MI', label: 'Miles' },
      { value: 'KM', label: 'Kilometres' }
    ]
  },
  exterior_color: stringProperty('Exterior Colour', 'Exterior colour.'),
  transmission: {
    ...stringProperty('Transmission', 'Transmission type.'),
    choices: choicesOf('Automatic', 'Manual', 'Other')
  },
  body_style: {
    ...stringProperty('Body Style', 'Body type.'),
    choices: choicesOf(
      'Convertible',
      'Coupe',
      'Hatchback',
      'Minivan',
      'Truck',
      'SUV',
      'Sedan',
      'Van',
      'Wagon',
      'Crossover',
      'Other'
    )
  },
  fuel_type: {
    ...stringProperty('Fuel Type', 'Fuel type.'),
    choices: choicesOf('Diesel', 'Electric', 'Flex', 'Gasoline', 'Hybrid', 'Other')
  },
  drivetrain: {
    ...stringProperty('Drivetrain', 'Drivetrain.'),
    choices: choicesOf('AWD', 'FOUR_WD', 'FWD', 'RWD', 'TWO_WD', 'Other')
  },
  preferred_price_range_min: numberProperty('Minimum Price', 'Lower end of the price range the user wants.'),
  preferred_price_range_max: numberProperty('Maximum Price', 'Upper end of the price range the user wants.'),
  trim: stringProperty('Trim', 'Trim level.'),
  vin: stringProperty('VIN', 'Vehicle identification number, at most 17 characters.'),
  interior_color: stringProperty('Interior Colour', 'Interior colour.'),
  condition_of_vehicle: {
    ...stringProperty('Condition', 'Condition of the vehicle.'),
    choices: choicesOf('Excellent', 'Good', 'Fair', 'Poor', 'Other')
  },
  viewcontent_type: stringProperty('View Content Type', 'For ViewContent: tells soft-lead landing pages apart.'),
  search_type: stringProperty(
    'Search Type',
    'For Search: tells other searches (such as dealer look-ups) from inventory search.'
  ),
  registration_type: stringProperty('Registration Type', 'For CompleteRegistration: the kind of registration.')
}

/** The event fields of Report Web Event. */
export const eventFields: Record<string, InputField> = {
  event: {
    label: 'Event Name',
    description: `TikTok event name, case-sensitive. Standard events: ${STANDARD_EVENTS.join(', ')}. Custom names are accepted too.`,
    type: 'string',
    required: true,
    placeholder: 'CompletePayment'
  },
  event_id: {
    label: 'Event ID',
    description:
      "Lets TikTok deduplicate this event against the same event sent server-side through the Events API. Defaults to Segment's messageId, which Segment's TikTok Conversions destination uses too.",
    type: 'string',
    default: path('$.messageId')
  },
  order_id: {
    label: 'Order ID',
    description: 'ID of the order.',
    type: 'string',
    default: path('$.properties.order_id')
  },
  shop_id: {
    label: 'Shop ID',
    description: 'ID of the shop that sold the order.',
    type: 'string',
    default: path('$.properties.shop_id')
  },
  contents: {
    label: 'Contents',
    description: 'The products of the event. Items without any field are left out.',
    type: 'object',
    multiple: true,
    additionalProperties: false,
    properties: {
      price: { label: 'Price', description: 'Price of one item.', type: 'number' },
      quantity: { label: 'Quantity', description: 'How many items.', type: 'number' },
      content_category: { label: 'Content Category', description: 'Category of the item.', type: 'string' },
      content_id: { label: 'Content ID', description: 'ID (SKU) of the item.', type: 'string' },
      content_name: { label: 'Content Name', description: 'Name of the item.', type: 'string' },
      brand: { label: 'Brand', description: 'Brand of the item.', type: 'string' }
    }
  },
  content_ids: {
    label: 'Content IDs',
    description: 'Product IDs (SKUs) of the event, for events without Contents. One string or a list.',
    type: 'string',
    multiple: true,
    default: path('$.properties.content_ids')
  },
  num_items: {
    label: 'Number of Items',
    description: 'How many items the event concerns, e.g. at checkout.',
    type: 'number',
    default: path('$.properties.num_items')
  },
  content_type: {
    label: 'Content Type',
    description:
      'product when the content IDs are SKUs, product_group when they are item group IDs. Sent only with Contents or Content IDs.',
    type: 'string',
    choices: [
      { label: 'product', value: 'product' },
      { label: 'product_group', value: 'product_group' }
    ],
    default: 'product'
  },
  currency: {
    label: 'Currency',
    description:
      'ISO 4217 code of the currency of Value, e.g. EUR. USD when a value is sent without one. Anything else is left out with a console warning: a code the browser does not list as ISO 4217 (in browsers that cannot list them, anything but three letters).',
    type: 'string',
    default: path('$.properties.currency')
  },
  value: {
    label: 'Value',
    description:
      'Value of the event: properties.value, else properties.revenue. When none is given, the sum of price × quantity over the Contents items that have a price (quantity 1 when missing).',
    type: 'number',
    default: firstOf('$.properties.value', '$.properties.revenue')
  },
  description: {
    label: 'Description',
    description: 'Free text describing the event.',
    type: 'string',
    default: path('$.properties.description')
  },
  query: {
    label: 'Query',
    description: 'What the user searched for.',
    type: 'string',
    default: path('$.properties.query')
  },
  search_string: {
    label: 'Search String',
    description: 'The text the user typed into the search box.',
    type: 'string',
    default: path('$.properties.search_string')
  },
  event_spec_type: {
    label: 'Additional Fields',
    description: 'Sends the travel or the vehicle parameters below with the event.',
    type: 'string',
    choices: [
      { value: TRAVEL_FIELDS, label: 'Travel Fields' },
      { value: VEHICLE_FIELDS, label: 'Vehicle Fields' }
    ]
  },
  travel_fields: parameterGroup(
    'Travel Fields',
    'Hotel and flight parameters.',
    travelProperties,
    conditionalFields.travel_fields
  ),
  vehicle_fields: parameterGroup(
    'Vehicle Fields',
    'Automotive parameters.',
    vehicleProperties,
    conditionalFields.vehicle_fields
  )
}
