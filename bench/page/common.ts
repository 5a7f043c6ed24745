/**
 * What the in-page benchmarks share: pixel codes, the preset subscriptions, sample events (fresh objects for
 * every event, built outside timed regions) and the timing helpers.
 */
import { AnalyticsBrowser, Context } from '@segment/analytics-next'
import type { Analytics, Plugin, SegmentEvent } from '@segment/analytics-next'
import { destination, type Settings } from '../../src/index'
import { enabledSubscriptions, type Preset } from '../../devkit/subscriptions'
import { orderCompleted } from './visit-events'
import type { Subscription } from '../../src/runtime'

export const CODES = {
  this: 'BENCHOURS0000000000A',
  stock: 'BENCHSTOCK000000000A',
  direct: 'BENCHDIRECT00000000A',
  parts: 'BENCHPARTS000000000A'
} as const

export type CandidateName = 'this' | 'stock' | 'direct'
export type ScenarioName = 'matched' | 'unmatched'
export const CANDIDATES: CandidateName[] = ['this', 'stock', 'direct']
export const SCENARIOS: ScenarioName[] = ['matched', 'unmatched']

/** How many samples the per-event benchmark takes, and of what size. */
export interface EventOptions {
  rounds: number
  batch: number
  warmupBatches: number
  breakdownSamples: number
}

export type BenchSettings = Settings & { subscriptions: Subscription[] }
export type Handler = (ctx: Context) => unknown

export const now = (): number => performance.now()

/** Collects garbage between samples (outside timed regions) when Chromium runs with --expose-gc. */
export function collectGarbage(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}

/** Lets the event loop turn, so timers and the pixel-script stubs' load events are not starved. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/** Every preset of the definition, as the enabled subscription Segment saves for it. */
export const presetSubscriptions = (): Subscription[] =>
  enabledSubscriptions(destination.presets as Preset[]) as unknown as Subscription[]

export const settingsFor = (pixelCode: string, subscriptions: Subscription[]): BenchSettings => ({
  pixelCode,
  autoPageView: false,
  subscriptions
})

let analyticsInstance: Promise<Analytics> | undefined

/**
 * A real analytics.js instance (nothing delivered to Segment), handed to the plugins' `load`: its storage,
 * user and settings are what the destination reads, so their cost is measured (a stand-in hid it).
 */
export function realAnalytics(): Promise<Analytics> {
  analyticsInstance ??= AnalyticsBrowser.load(
    { writeKey: 'bench', cdnSettings: { integrations: {} } as never },
    { integrations: { 'Segment.io': false } }
  ).then(([analytics]) => analytics)
  return analyticsInstance
}

const loadContext = (): Context => new Context({ type: 'track', event: 'bench load' })

export const queueOf = (code: string): unknown[] => {
  const queue = window.ttq?._i?.[code]
  if (!Array.isArray(queue)) throw new Error(`no ttq queue for pixel ${code}`)
  return queue
}

function unmatched(): SegmentEvent {
  return { ...orderCompleted(), event: 'Some Unmapped Event', properties: { plan: 'pro', seats: 3 } }
}

const EVENT_FACTORIES: Record<ScenarioName, () => SegmentEvent> = { matched: orderCompleted, unmatched }
export const contexts = (scenario: ScenarioName, n: number): Context[] =>
  Array.from({ length: n }, () => new Context(EVENT_FACTORIES[scenario]()))

/** Per-event µs over one batch: each event handled in full (promises awaited) before the next. */
export async function timeBatch(handle: Handler, batch: Context[]): Promise<number> {
  const start = now()
  for (const ctx of batch) {
    const result = handle(ctx)
    if (result !== undefined) await result
  }
  return ((now() - start) * 1000) / batch.length
}

/** Same, for synchronous work. */
export function timeSync(work: (ctx: Context, index: number) => unknown, batch: Context[]): number {
  const start = now()
  for (let i = 0; i < batch.length; i++) work(batch[i], i)
  return ((now() - start) * 1000) / batch.length
}

/** Every plugin's `track`, as analytics.js calls a destination's plugins, awaited together. */
export const viaPlugins =
  (plugins: Plugin[]): Handler =>
  (ctx) =>
    plugins.length === 1 ? plugins[0].track!(ctx) : Promise.all(plugins.map((plugin) => plugin.track!(ctx)))

export async function loadAll(plugins: Plugin[]): Promise<void> {
  const analytics = await realAnalytics()
  await Promise.all(plugins.map((plugin) => plugin.load(loadContext(), analytics)))
}
