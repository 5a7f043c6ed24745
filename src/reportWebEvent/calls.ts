import type { TikTokCall, TikTokContent, TikTokProperties } from '../types'
import { currency, defined, first, isRecord, numeric, text, textList } from '../normalize'
import { tiktokUser } from '../user'
import type { ParameterKind } from './generated-parameters'
import { travelParameterKinds, vehicleParameterKinds } from './generated-parameters'
import type { Payload } from './generated-types'

/** A payload that cannot become a TikTok event; the runtime reports it and drops the event. */
export class InvalidPayloadError extends Error {
  name = 'InvalidPayloadError'
}

function contentItem(item: unknown): TikTokContent | undefined {
  if (!isRecord(item)) return undefined
  return defined({
    content_id: text(item.content_id),
    content_name: text(item.content_name),
    content_category: text(item.content_category),
    brand: text(item.brand),
    price: numeric(item.price),
    quantity: numeric(item.quantity)
  })
}

function contentsOf(value: unknown): TikTokContent[] | undefined {
  const items = (Array.isArray(value) ? value : [value])
    .map(contentItem)
    .filter((item): item is TikTokContent => item !== undefined)
  return items.length > 0 ? items : undefined
}

const normalizers: Record<ParameterKind, (value: unknown) => unknown> = {
  number: (value) => numeric(first(value)),
  list: textList,
  text: (value) => text(first(value))
}

/** Normalises a parameter group by the kinds of its fields; keys it does not define are ignored. */
function parameters(group: unknown, kinds: Record<string, ParameterKind>): Record<string, unknown> {
  if (!isRecord(group)) return {}
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(kinds)) result[key] = normalizers[kinds[key]](group[key])
  return result
}

/** Vehicle parameters, with TikTok's nested `mileage` and `preferred_price_range`. */
function vehicleParameters(group: unknown): Record<string, unknown> {
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
  return defined({
    ...additionalParameters(payload),
    contents,
    content_ids: contentIds,
    // A content type describes content IDs; alone it only adds noise.
    content_type: contents || contentIds ? text(payload.content_type) : undefined,
    value: numeric(first(payload.value)),
    currency: currency(payload.currency),
    num_items: numeric(first(payload.num_items)),
    order_id: text(first(payload.order_id)),
    shop_id: text(first(payload.shop_id)),
    query: text(first(payload.query)),
    search_string: text(first(payload.search_string)),
    description: text(first(payload.description))
  })
}

/** The exact pixel calls for one Report Web Event payload: identify first when there is PII. */
export function reportWebEventCalls(payload: Payload): TikTokCall[] {
  const event = text(payload.event)
  if (event === undefined) throw new InvalidPayloadError('Event Name is empty or not a string')
  const user = tiktokUser(payload)
  const properties = eventProperties(payload)
  const eventId = text(first(payload.event_id))
  const track: TikTokCall = eventId
    ? ['track', event, properties, { event_id: eventId }]
    : properties
      ? ['track', event, properties]
      : ['track', event]
  return user ? [['identify', user], track] : [track]
}
