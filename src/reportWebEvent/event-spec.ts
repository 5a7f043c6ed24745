import type { DependsOnConditions } from '@segment/actions-core/destination-kit/types'

/** Values of the Additional Fields (`event_spec_type`) setting. */
export const TRAVEL_FIELDS = 'travel_fields'
export const VEHICLE_FIELDS = 'vehicle_fields'

const selectedBy = (value: string): DependsOnConditions => ({
  conditions: [{ fieldKey: 'event_spec_type', operator: 'is', value }]
})

/**
 * The parameter groups Additional Fields switches on. The mappings UI hides them otherwise, and
 * the runtime does not resolve them otherwise: their 40-odd defaults are most of a preset's work.
 */
export const conditionalFields = {
  travel_fields: { depends_on: selectedBy(TRAVEL_FIELDS) },
  vehicle_fields: { depends_on: selectedBy(VEHICLE_FIELDS) }
}
