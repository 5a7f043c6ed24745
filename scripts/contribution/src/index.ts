/**
 * The destination's entry in segmentio/action-destinations (written there as `src/index.ts` by
 * scripts/contribution.ts): the catalog entry this package declares, on Segment's stock runtime.
 */
import { browserDestination } from '@segment/browser-destination-runtime/shim'
import type { BrowserDestinationDefinition } from '@segment/browser-destination-runtime/types'
import { catalog } from '../../../src/catalog'
import type { Settings } from '../../../src/generated-types'
import type { PixelClient } from '../../../src/pixel'
import { initialize } from './initialize'

export const destination: BrowserDestinationDefinition<Settings, PixelClient> = { ...catalog, initialize }

export default browserDestination(destination)
