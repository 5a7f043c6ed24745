/**
 * For comparison only: the stock runtime running a definition shaped like Segment's own TikTok Pixel destination
 * today. Same fields, presets and mappings as this destination, but performs that hand the mapped values to `ttq`
 * as they come (no normalising, no hashing: TikTok's script does what it does with them), no Events API keys
 * enrichment, no page-view deduplication. A lighter baseline than this destination on the stock runtime, which is
 * why bench/run.ts reports it beside the ratio it checks.
 */
import { generatePlugins } from '@segment/browser-destination-runtime/plugin'
import type { BrowserActionDefinition, Subscription } from '@segment/browser-destination-runtime/types'
import { installBaseCode } from '../src/base-code'
import { destination, type Settings } from '../src/index'
import type { Payload as EventPayload } from '../src/reportWebEvent/generated-types'
import type { Payload as IdentifyPayload } from '../src/identify/generated-types'
import type { TikTokPixel } from '../src/types'
import { LIBRARY_NAME } from '../devkit/constants'

type Pixel = ReturnType<TikTokPixel['instance']>

function identifyAsIs(pixel: Pixel, payload: IdentifyPayload | EventPayload): void {
  if (payload.email || payload.phone_number || payload.external_id) {
    pixel.identify({
      email: payload.email as string | undefined,
      phone_number: payload.phone_number as string | undefined,
      external_id: payload.external_id as string | undefined
    })
  }
}

const reportWebEvent: BrowserActionDefinition<Settings, TikTokPixel, EventPayload> = {
  ...destination.actions.reportWebEvent,
  perform: (ttq, { payload, settings }) => {
    const pixel = ttq.instance(settings.pixelCode)
    identifyAsIs(pixel, payload)
    pixel.track(
      payload.event,
      {
        contents: payload.contents ?? [],
        content_type: payload.content_type,
        currency: payload.currency ?? 'USD',
        value: payload.value ?? 0,
        query: payload.query,
        description: payload.description,
        order_id: payload.order_id,
        shop_id: payload.shop_id
      },
      { event_id: payload.event_id ?? '' }
    )
  }
} as BrowserActionDefinition<Settings, TikTokPixel, EventPayload>

const identify: BrowserActionDefinition<Settings, TikTokPixel, IdentifyPayload> = {
  ...destination.actions.identify,
  perform: (ttq, { payload, settings }) => identifyAsIs(ttq.instance(settings.pixelCode), payload)
} as BrowserActionDefinition<Settings, TikTokPixel, IdentifyPayload>

const incumbentShaped = {
  ...destination,
  initialize: async ({ settings }: { settings: Settings }) => {
    const ttq = (window.ttq as TikTokPixel | undefined) ?? installBaseCode()
    ttq.load(settings.pixelCode, { limited_data_use: settings.ldu === true })
    ttq.instance(settings.pixelCode).page()
    return ttq
  },
  actions: { reportWebEvent, identify },
  onLoad: undefined
}

;(window as unknown as Record<string, unknown>)[`${LIBRARY_NAME}-incumbent`] = (
  settings: Settings & { subscriptions?: Subscription[] }
) => generatePlugins(incumbentShaped as never, settings, settings.subscriptions ?? [])
