import type { TikTokCall, TikTokContent, TikTokProperties } from '../types'
import { warnOnce } from '../log'
import {
  currency,
  defined,
  first,
  identifier,
  isRecord,
  listOf,
  MAX_LENGTH,
  numeric,
  text,
  textList
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

/** The values of TikTok's own `content_type`; any other item-level content type is a category. */
const CONTENT_TYPES = ['product', 'product_group']

/**
 * The item's category. Mappings saved in 2023 put the product category under the item's
 * `content_type`, which TikTok reads as product or product group only: it is the category there.
 */
function categoryOf(item: Record<string, unknown>): string | undefined {
  const legacyType = text(item.content_type)
  return text(item.content_category) ?? (legacyType && !CONTENT_TYPES.includes(legacyType) ? legacyType : undefined)
}

function contentItem(item: unknown): TikTokContent | undefined {
  if (!isRecord(item)) return undefined
  return defined({
    content_id: identifier(item.content_id),
    content_name: text(item.content_name),
    content_category: categoryOf(item),
    brand: text(item.brand),
    price: numeric(item.price),
    quantity: numeric(item.quantity)
  })
}

function contentsOf(value: unknown): TikTokContent[] | undefined {
  const items = listOf(value)
    .map(contentItem)
    .filter((item): item is TikTokContent => item !== undefined)
  return items.length > 0 ? items : undefined
}

const normalizers: Record<ParameterKind, (value: unknown) => unknown> = {
  number: (value) => numeric(first(value)),
  list: textList,
  text: (value) => text(first(value))
}

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
  const code = currency(mapped)
  if (code !== undefined) return code
  if (text(mapped) === undefined) return value === undefined ? undefined : 'USD'
  warnOnce('Currency is not an ISO 4217 code (three letters such as USD); it is left out.')
  return undefined
}

/** Normalises a parameter group by the kinds of its fields; keys it does not define are ignored. */
function parameters(group: unknown, kinds: Record<string, ParameterKind>): Record<string, unknown> {
  'compile lazily'
  if (!isRecord(group)) return {}
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(kinds)) result[key] = normalizers[kinds[key]](group[key])
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
  } = parameters(group, vehicleParameterKinds)
  return {
    ...rest,
    mileage: mileage_value === undefined ? undefined : defined({ value: mileage_value, unit: mileage_unit }),
    preferred_price_range: min === undefined || max === undefined ? undefined : [min, max]
  }
}

function additionalParameters(payload: Payload): Record<string, unknown> {
  switch (payload.event_spec_type) {
    case 'travel_fields':
      return parameters(payload.travel_fields, travelParameterKinds)
    case 'vehicle_fields':
      return vehicleParameters(payload.vehicle_fields)
    default:
      return {}
  }
}

export function eventProperties(payload: Payload): TikTokProperties | undefined {
  const contents = contentsOf(payload.contents)
  const contentIds = textList(payload.content_ids)
  // A value the mapping gives, 0 included, is never replaced.
  const value = numeric(first(payload.value)) ?? contentsValue(contents)
  return defined({
    ...additionalParameters(payload),
    contents,
    content_ids: contentIds,
    // A content type describes content IDs; alone it only adds noise.
    content_type: contents || contentIds ? text(payload.content_type) : undefined,
    value,
    currency: currencyOf(payload.currency, value),
    num_items: numeric(first(payload.num_items)),
    order_id: identifier(payload.order_id),
    shop_id: identifier(payload.shop_id),
    query: text(first(payload.query)),
    search_string: text(first(payload.search_string)),
    description: text(first(payload.description))
  })
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
  const eventId = identifier(payload.event_id) ?? identifier(messageId)
  const track: TikTokCall = eventId
    ? ['track', event, properties, { event_id: eventId }]
    : properties
      ? ['track', event, properties]
      : ['track', event]
  return user ? [['identify', user], track] : [track]
}
