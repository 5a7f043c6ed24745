import type { TikTokCall, TikTokContent, TikTokProperties } from '../types'
import { AN_ID as ID, leftOutUnless, warnLeftOut, warnOnce } from '../log'
import {
  bounded,
  currency,
  defined,
  first,
  given,
  identifier,
  isRecord,
  listOf,
  MAX_LENGTH,
  numeric,
  text
} from '../normalize'
import { tiktokUser } from '../user'
import type { ParameterKind } from './generated-parameters'
import { travelParameterKinds, vehicleParameterKinds } from './generated-parameters'
import type { Payload } from './generated-types'
import { FixedReasonError } from '../runtime'

/** A payload that cannot become a TikTok event; the runtime reports it (message included) and drops the event. */
export class InvalidPayloadError extends FixedReasonError {
  name = 'InvalidPayloadError'
}

/** What the warnings say a field must be, by how it is normalised. */
const TEXT = 'text or a number'
const NUMBER = 'a number'

/** The values of TikTok's own `content_type`; any other item-level content type is a category. */
const CONTENT_TYPES = ['product', 'product_group']

/**
 * The item's category. Mappings saved in 2023 put the product category under the item's
 * `content_type`, which TikTok reads as product or product group only: it is the category there.
 */
function categoryOf(item: Record<string, unknown>): string | undefined {
  const legacyType = leftOutUnless(text(item.content_type), item.content_type, 'contents[].content_type', TEXT)
  const category = leftOutUnless(
    text(item.content_category),
    item.content_category,
    'contents[].content_category',
    TEXT
  )
  return category ?? (legacyType && !CONTENT_TYPES.includes(legacyType) ? legacyType : undefined)
}

function contentItem(item: unknown): TikTokContent | undefined {
  if (!isRecord(item)) {
    if (given(item)) warnLeftOut('contents[]', 'an object')
    return undefined
  }
  return defined({
    content_id: leftOutUnless(identifier(item.content_id), item.content_id, 'contents[].content_id', ID),
    content_name: leftOutUnless(text(item.content_name), item.content_name, 'contents[].content_name', TEXT),
    content_category: categoryOf(item),
    brand: leftOutUnless(text(item.brand), item.brand, 'contents[].brand', TEXT),
    price: leftOutUnless(numeric(item.price), item.price, 'contents[].price', NUMBER),
    quantity: leftOutUnless(numeric(item.quantity), item.quantity, 'contents[].quantity', NUMBER)
  })
}

function contentsOf(value: unknown): TikTokContent[] | undefined {
  const items = listOf(value)
    .map(contentItem)
    .filter((item): item is TikTokContent => item !== undefined)
  return items.length > 0 ? items : undefined
}

/** A list of IDs from one value or a list; an item that is no ID is left out with a warning. */
function idList(value: unknown, field: string): string[] | undefined {
  const items = listOf(value)
  const ids: string[] = []
  for (let i = 0; i < items.length; i++) {
    const id = leftOutUnless(bounded(items[i], MAX_LENGTH.id), items[i], `${field}[]`, ID)
    if (id !== undefined) ids.push(id)
  }
  return ids.length > 0 ? ids : undefined
}

/** Normalisers by kind of field; arrays stand for candidates, of which the first is taken. */
const normalizers = {
  number: (value: unknown, field: string) => leftOutUnless(numeric(first(value)), value, field, NUMBER),
  list: idList,
  text: (value: unknown, field: string) => leftOutUnless(text(first(value)), value, field, TEXT),
  id: (value: unknown, field: string) => leftOutUnless(identifier(value), value, field, ID)
} satisfies Record<ParameterKind | 'id', (value: unknown, field: string) => unknown>

/** How many decimal places `value` has as written (0.1 has 1, 1e-7 has 7). */
function decimalPlaces(value: number): number {
  const parts = String(value).split('e')
  return Math.max(0, (parts[0].split('.')[1]?.length ?? 0) - Number(parts[1] ?? 0))
}

/**
 * The sum of price × quantity over the items that have a price (quantity 1 when missing), as
 * TikTok's own tag computes a missing value; undefined when no item has a price or the sum
 * overflows. Rounded to the decimals the factors carry, so 0.1 × 3 is 0.3 and not
 * 0.30000000000000004.
 */
export function contentsValue(contents: TikTokContent[] | undefined): number | undefined {
  let sum: number | undefined
  let places = 0
  for (let i = 0; contents && i < contents.length; i++) {
    const { price, quantity = 1 } = contents[i]
    if (price === undefined) continue
    sum = (sum ?? 0) + price * quantity
    places = Math.max(places, decimalPlaces(price) + decimalPlaces(quantity))
  }
  // A sum beyond what a number holds is no value (TikTok rejects infinities).
  return sum === undefined || !Number.isFinite(sum) ? undefined : Number(sum.toFixed(Math.min(places, 100)))
}

/**
 * The currency of a value: the mapped ISO 4217 code, else `USD` (as Segment's destination and
 * TikTok's own tag do) when there is a value to qualify. A mapped currency that is no ISO 4217
 * code is dropped, not replaced: `USD` would misstate the value.
 */
function currencyOf(mapped: unknown, value: number | undefined): string | undefined {
  if (!given(mapped)) return value === undefined ? undefined : 'USD'
  return leftOutUnless(currency(mapped), mapped, 'currency', 'an ISO 4217 currency code (such as USD)')
}

/** Normalises a parameter group by the kinds of its fields; keys it does not define are ignored. */
function parameters(group: unknown, kinds: Record<string, ParameterKind>, field: string): Record<string, unknown> {
  'compile lazily'
  if (!isRecord(group)) {
    if (given(group)) warnLeftOut(field, 'an object')
    return {}
  }
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(kinds)) result[key] = normalizers[kinds[key]](group[key], `${field}.${key}`)
  return result
}

/** Vehicle parameters, with TikTok's nested `mileage` and `preferred_price_range`. */
function vehicleParameters(group: unknown): Record<string, unknown> {
  'compile lazily'
  const {
    mileage_value,
    mileage_unit,
    preferred_price_range_min: min,
    preferred_price_range_max: max,
    ...rest
  } = parameters(group, vehicleParameterKinds, 'vehicle_fields')
  return {
    ...rest,
    mileage: mileage_value === undefined ? undefined : defined({ value: mileage_value, unit: mileage_unit }),
    preferred_price_range: min === undefined || max === undefined ? undefined : [min, max]
  }
}

function additionalParameters(payload: Payload): Record<string, unknown> {
  switch (payload.event_spec_type) {
    case 'travel_fields':
      return parameters(payload.travel_fields, travelParameterKinds, 'travel_fields')
    case 'vehicle_fields':
      return vehicleParameters(payload.vehicle_fields)
    default:
      return {}
  }
}

export function eventProperties(payload: Payload): TikTokProperties | undefined {
  const contents = contentsOf(payload.contents)
  const contentIds = idList(payload.content_ids, 'content_ids')
  // A value the mapping gives, 0 included, is never replaced.
  const value = normalizers.number(payload.value, 'value') ?? contentsValue(contents)
  return defined({
    ...additionalParameters(payload),
    contents,
    content_ids: contentIds,
    // A content type describes content IDs; alone it only adds noise.
    content_type: contents || contentIds ? normalizers.text(payload.content_type, 'content_type') : undefined,
    value,
    currency: currencyOf(payload.currency, value),
    num_items: normalizers.number(payload.num_items, 'num_items'),
    order_id: normalizers.id(payload.order_id, 'order_id'),
    shop_id: normalizers.id(payload.shop_id, 'shop_id'),
    query: normalizers.text(payload.query, 'query'),
    search_string: normalizers.text(payload.search_string, 'search_string'),
    description: normalizers.text(payload.description, 'description')
  })
}

/** The event's `messageId` as its event ID, where the mapping gives none or one that is no ID (with a warning). */
function eventIdInstead(mapped: unknown, messageId: string | undefined): string | undefined {
  'compile lazily'
  if (given(mapped)) warnOnce(`field event_id is not ${ID}: the messageId is the event ID instead.`)
  return identifier(messageId)
}

/**
 * The exact pixel calls for one Report Web Event payload: identify first when there is PII. The
 * event ID is the mapped one, else the event's `messageId` (as TikTok Conversions uses), so a
 * mapping saved without one still deduplicates.
 */
export function reportWebEventCalls(payload: Payload, messageId?: string): TikTokCall[] {
  const event = text(payload.event, MAX_LENGTH.id)
  if (event === undefined) throw new InvalidPayloadError('Event Name is empty or not a string')
  const user = tiktokUser(payload)
  const properties = eventProperties(payload)
  const eventId = identifier(payload.event_id) ?? eventIdInstead(payload.event_id, messageId)
  const track: TikTokCall = eventId
    ? ['track', event, properties, { event_id: eventId }]
    : properties
      ? ['track', event, properties]
      : ['track', event]
  return user ? [['identify', user], track] : [track]
}
