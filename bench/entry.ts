/**
 * In-page side of `npm run bench` (bundled by bench/run.ts into bench/.build/bench.js).
 *
 * Three candidates handle the same kind of events, side by side in one page:
 *   this   - our lean runtime (src/runtime) running the full destination definition;
 *   stock  - @segment/browser-destination-runtime's generatePlugins, unchanged, on the same definition;
 *   direct - hand-written `ttq` calls with the arguments our destination produces: the floor.
 * Both runtimes get the destination's presets as subscriptions, each with its own pixel code so their
 * `window.ttq` queues stay apart. Samples are batches of events timed with performance.now() (the
 * page is cross-origin isolated, so the clock has 5 µs resolution; batches make it finer still).
 */
import { Context } from '@segment/analytics-next'
import type { Analytics, Plugin, SegmentEvent } from '@segment/analytics-next'
import { transform } from '@segment/actions-core/mapping-kit'
import validateMapping from '@segment/actions-core/mapping-kit/validate'
import { generatePlugins as stockGeneratePlugins } from '@segment/browser-destination-runtime/plugin'
import type { Subscription } from '@segment/browser-destination-runtime/types'
import { parseFql, validate } from '@segment/destination-subscriptions'
import { installBaseCode } from '../src/base-code'
import { destination, type PixelClient, type Settings } from '../src/index'
import { generatePlugins } from '../src/runtime'
import { compileMapping, compileSubscription } from '../src/runtime/compile'

export const PIXEL_CODE = 'CD9079RC77U0N3GBV16Y'
const CODES = {
  this: 'BENCHOURS0000000000A',
  stock: 'BENCHSTOCK000000000A',
  direct: 'BENCHDIRECT00000000A',
  parts: 'BENCHPARTS000000000A'
} as const

export type CandidateName = 'this' | 'stock' | 'direct'
export type ScenarioName = 'matched' | 'unmatched'
const CANDIDATES: CandidateName[] = ['this', 'stock', 'direct']
const SCENARIOS: ScenarioName[] = ['matched', 'unmatched']

type BenchSettings = Settings & { subscriptions: Subscription[] }
type Handler = (ctx: Context) => unknown

// ---------------------------------------------------------------------------------------------
// Helpers

const now = (): number => performance.now()

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Collects garbage between samples (outside timed regions) when Chromium runs with --expose-gc. */
function collectGarbage(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}

/** Lets the event loop turn, so timers and the pixel-script stubs' load events are not starved. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

function presetSubscriptions(): Subscription[] {
  return (destination.presets ?? []).map((preset) => {
    const p = preset as { name: string; subscribe?: string; partnerAction: string; mapping?: Record<string, unknown> }
    return {
      name: p.name,
      subscribe: p.subscribe ?? '',
      partnerAction: p.partnerAction,
      mapping: (p.mapping ?? {}) as Subscription['mapping'],
      enabled: true
    }
  })
}

const settingsFor = (pixelCode: string, subscriptions: Subscription[]): BenchSettings => ({
  pixelCode,
  autoPageView: false,
  subscriptions
})

/** What analytics.js hands to `load`; the destination only keeps the reference. */
const fakeAnalytics = {} as unknown as Analytics
const loadContext = (): Context => new Context({ type: 'track', event: 'bench load' })

const queueOf = (code: string): unknown[] => {
  const queue = window.ttq?._i?.[code]
  if (!Array.isArray(queue)) throw new Error(`no ttq queue for pixel ${code}`)
  return queue
}

// ---------------------------------------------------------------------------------------------
// Events: fresh objects for every event, built outside timed regions.

let sequence = 0

/** The fields analytics.js puts on every track call, with a fresh messageId. */
function trackEnvelope(
  event: string
): Pick<SegmentEvent, 'type' | 'event' | 'messageId' | 'anonymousId' | 'userId' | 'timestamp'> {
  const n = ++sequence
  return {
    type: 'track',
    event,
    messageId: `ajs-next-bench-${n}-8f1c0e4b2a7d`,
    anonymousId: '4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a',
    userId: 'user-42',
    timestamp: new Date(1_700_000_000_000 + n)
  }
}

function orderCompleted(): SegmentEvent {
  return {
    ...trackEnvelope('Order Completed'),
    properties: {
      order_id: '50314b8e9bcf000000000000',
      affiliation: 'Google Store',
      total: 27.5,
      revenue: 25,
      value: 27.5,
      shipping: 3,
      tax: 2,
      discount: 2.5,
      coupon: 'hasbros',
      currency: 'USD',
      products: [
        {
          product_id: '507f1f77bcf86cd799439011',
          sku: '45790-32',
          name: 'Monopoly: 3rd Edition',
          price: 19,
          quantity: 1,
          category: 'Games',
          brand: 'Hasbro',
          url: 'https://www.example.com/product/path'
        },
        {
          product_id: '505bd76785ebb509fc183733',
          sku: '46493-32',
          name: 'Uno Card Game',
          price: 3,
          quantity: 2,
          category: 'Games',
          brand: 'Mattel'
        }
      ]
    },
    context: {
      traits: { email: '  Jane.Doe@Example.com ', phone: '+1 (213) 373-4253', first_name: 'Jane', last_name: 'Doe' },
      page: {
        path: '/checkout/complete',
        referrer: 'https://www.example.com/checkout',
        search: '',
        title: 'Thank you',
        url: 'https://www.example.com/checkout/complete'
      },
      library: { name: 'analytics.js', version: 'next-1.84.3' },
      locale: 'en-US',
      userAgent: 'Mozilla/5.0 (bench)'
    }
  } as SegmentEvent
}

function unmatched(): SegmentEvent {
  return {
    ...trackEnvelope('Some Unmapped Event'),
    properties: { plan: 'pro', seats: 3 },
    context: {
      traits: { email: '  Jane.Doe@Example.com ', phone: '+1 (213) 373-4253' },
      page: { path: '/settings', url: 'https://www.example.com/settings', title: 'Settings' },
      library: { name: 'analytics.js', version: 'next-1.84.3' }
    }
  } as SegmentEvent
}

const EVENT_FACTORIES: Record<ScenarioName, () => SegmentEvent> = { matched: orderCompleted, unmatched }
const contexts = (scenario: ScenarioName, n: number): Context[] =>
  Array.from({ length: n }, () => new Context(EVENT_FACTORIES[scenario]()))

// ---------------------------------------------------------------------------------------------
// Timing

/** Per-event µs over one batch: each event handled in full (promises awaited) before the next. */
async function timeBatch(handle: Handler, batch: Context[]): Promise<number> {
  const start = now()
  for (const ctx of batch) {
    const result = handle(ctx)
    if (result !== undefined) await result
  }
  return ((now() - start) * 1000) / batch.length
}

/** Same, for synchronous work. */
function timeSync(work: (ctx: Context, index: number) => unknown, batch: Context[]): number {
  const start = now()
  for (let i = 0; i < batch.length; i++) work(batch[i], i)
  return ((now() - start) * 1000) / batch.length
}

/** Every plugin's `track`, as analytics.js calls a destination's plugins, awaited together. */
const viaPlugins =
  (plugins: Plugin[]): Handler =>
  (ctx) =>
    plugins.length === 1 ? plugins[0].track!(ctx) : Promise.all(plugins.map((plugin) => plugin.track!(ctx)))

async function loadAll(plugins: Plugin[]): Promise<void> {
  await Promise.all(plugins.map((plugin) => plugin.load(loadContext(), fakeAnalytics)))
}

// ---------------------------------------------------------------------------------------------
// Per-event cost

export interface EventOptions {
  rounds: number
  batch: number
  warmupBatches: number
  breakdownSamples: number
}

export interface CandidateResult {
  samples: number[]
  median: number
}

export interface EventResults {
  crossOriginIsolated: boolean
  timerResolutionUs: number
  gcExposed: boolean
  subscriptions: number
  plugins: { this: number; stock: number }
  rounds: number
  batch: number
  scenarios: Record<
    ScenarioName,
    {
      candidates: Record<CandidateName, CandidateResult>
      ratio: number
      pairedRatioMedian: number
      directRatio: number
    }
  >
  checks: {
    /** ttq calls per event seen in each queue, per scenario (expected: 2 matched, 0 unmatched). */
    callsPerEvent: Record<ScenarioName, Record<CandidateName, number[]>>
    sameCallsThisVsStock: boolean
    sampleCalls: unknown
  }
  breakdown: Record<string, number>
}

/** The smallest step performance.now() takes here, in µs. */
function timerResolution(): number {
  let smallest = Infinity
  for (let i = 0; i < 200; i++) {
    const a = now()
    let b = now()
    while (b === a) b = now()
    smallest = Math.min(smallest, b - a)
  }
  return smallest * 1000
}

/** Drops the ids that differ per event, so both runtimes' calls can be compared. */
function comparable(calls: unknown[]): string {
  return JSON.stringify(calls.map((call) => (call as unknown[]).filter((_, i) => i !== 3)))
}

async function events(options: EventOptions): Promise<EventResults> {
  const subscriptions = presetSubscriptions()
  const ours = generatePlugins(destination, settingsFor(CODES.this, subscriptions))
  const stock = stockGeneratePlugins(destination, settingsFor(CODES.stock, subscriptions), subscriptions)
  await loadAll(ours)
  await loadAll(stock)
  const ttq = window.ttq
  if (!ttq) throw new Error('window.ttq missing after load')
  ttq.load(CODES.direct)
  await yieldToEventLoop()

  // The floor: the calls our destination makes for the matched event, made by hand. The
  // arguments are captured from our own queue after warm-up, so they are the same properties.
  const floor: { user: unknown; event: string; properties: unknown } = {
    user: undefined,
    event: '',
    properties: undefined
  }
  const directPixel = ttq.instance(CODES.direct) as unknown as Record<string, (...args: unknown[]) => void>
  const direct: Record<ScenarioName, Handler> = {
    matched: (ctx) => {
      directPixel.identify(floor.user)
      directPixel.track(floor.event, floor.properties, { event_id: ctx.event.messageId })
    },
    unmatched: () => undefined
  }
  const handlers: Record<CandidateName, Record<ScenarioName, Handler>> = {
    this: { matched: viaPlugins(ours), unmatched: viaPlugins(ours) },
    stock: { matched: viaPlugins(stock), unmatched: viaPlugins(stock) },
    direct
  }

  const clearQueues = (): void => {
    for (const name of CANDIDATES) queueOf(CODES[name]).length = 0
  }

  // Warm-up: JIT, the digest cache (the first e-mail / phone hashing is asynchronous), pixel instances.
  for (let i = 0; i < options.warmupBatches; i++) {
    for (const scenario of SCENARIOS) {
      for (const name of ['this', 'stock'] as const) {
        clearQueues()
        await timeBatch(handlers[name][scenario], contexts(scenario, options.batch))
        // Let asynchronous hashing of the first events settle before the next batch.
        await yieldToEventLoop()
      }
    }
  }
  clearQueues()
  const probe = contexts('matched', 1)
  await handlers.this.matched(probe[0])
  await handlers.stock.matched(probe[0])
  const ourCalls = [...queueOf(CODES.this)]
  const stockCalls = [...queueOf(CODES.stock)]
  const sameCallsThisVsStock = ourCalls.length === 2 && comparable(ourCalls) === comparable(stockCalls)
  const identifyCall = ourCalls.find((call) => (call as unknown[])[0] === 'identify') as unknown[] | undefined
  const trackCall = ourCalls.find((call) => (call as unknown[])[0] === 'track') as unknown[] | undefined
  if (!identifyCall || !trackCall) throw new Error(`unexpected calls for Order Completed: ${JSON.stringify(ourCalls)}`)
  floor.user = identifyCall[1]
  floor.event = trackCall[1] as string
  floor.properties = trackCall[2]
  for (let i = 0; i < Math.max(1, options.warmupBatches >> 1); i++) {
    for (const scenario of SCENARIOS) await timeBatch(direct[scenario], contexts(scenario, options.batch))
  }
  clearQueues()

  const samples = {} as Record<ScenarioName, Record<CandidateName, number[]>>
  const callsPerEvent = {} as Record<ScenarioName, Record<CandidateName, number[]>>
  for (const scenario of SCENARIOS) {
    samples[scenario] = { this: [], stock: [], direct: [] }
    callsPerEvent[scenario] = { this: [], stock: [], direct: [] }
  }

  for (let round = 0; round < options.rounds; round++) {
    const order = CANDIDATES.map((_, i) => CANDIDATES[(i + round) % CANDIDATES.length])
    const scenarios = round % 2 ? [...SCENARIOS].reverse() : SCENARIOS
    for (const scenario of scenarios) {
      for (const name of order) {
        const batch = contexts(scenario, options.batch)
        clearQueues()
        collectGarbage()
        samples[scenario][name].push(await timeBatch(handlers[name][scenario], batch))
        callsPerEvent[scenario][name].push(queueOf(CODES[name]).length / batch.length)
      }
    }
    clearQueues()
    // Between rounds the event loop turns, as it would between real events.
    await yieldToEventLoop()
  }

  const scenarioResults = {} as EventResults['scenarios']
  for (const scenario of SCENARIOS) {
    const candidates = {} as Record<CandidateName, CandidateResult>
    for (const name of CANDIDATES) {
      candidates[name] = { samples: samples[scenario][name], median: median(samples[scenario][name]) }
    }
    const paired = samples[scenario].this.map((value, i) => value / samples[scenario].stock[i])
    scenarioResults[scenario] = {
      candidates,
      ratio: candidates.this.median / candidates.stock.median,
      pairedRatioMedian: median(paired),
      directRatio: candidates.direct.median / candidates.stock.median
    }
  }

  const breakdownResult = await breakdown(subscriptions, options)
  clearQueues()
  queueOf(CODES.parts).length = 0

  const uniq = (values: number[]): number[] => [...new Set(values)]
  const checks: EventResults['checks'] = {
    callsPerEvent: Object.fromEntries(
      SCENARIOS.map((scenario) => [
        scenario,
        Object.fromEntries(CANDIDATES.map((name) => [name, uniq(callsPerEvent[scenario][name])]))
      ])
    ) as EventResults['checks']['callsPerEvent'],
    sameCallsThisVsStock,
    sampleCalls: { this: ourCalls, stock: stockCalls }
  }

  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    timerResolutionUs: timerResolution(),
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    subscriptions: subscriptions.length,
    plugins: { this: ours.length, stock: stock.length },
    rounds: options.rounds,
    batch: options.batch,
    scenarios: scenarioResults,
    checks,
    breakdown: breakdownResult
  }
}

// ---------------------------------------------------------------------------------------------
// Where the time goes: the pieces of one event, each timed alone (synchronous, µs per event).

async function breakdown(subscriptions: Subscription[], options: EventOptions): Promise<Record<string, number>> {
  const action = destination.actions.reportWebEvent
  const target = subscriptions.find((s) => s.subscribe === 'event = "Order Completed"')
  if (!target) throw new Error('no Order Completed preset')
  const mapping = target.mapping as Record<string, unknown>
  const fields = action.fields as Record<string, { depends_on?: unknown }>
  const eager = Object.fromEntries(Object.entries(mapping).filter(([key]) => !fields[key]?.depends_on))
  const compiledFql = subscriptions.map((s) => compileSubscription(s.subscribe))
  const compiledEager = compileMapping(eager)
  const compiledFull = compileMapping(mapping)
  const settings = settingsFor(CODES.parts, subscriptions)
  const client = (await destination.initialize({ settings, analytics: fakeAnalytics }, {} as never)) as PixelClient
  await yieldToEventLoop()
  const perform = action.perform as (client: PixelClient, input: unknown) => unknown

  const matched = contexts('matched', options.batch)
  const unmatchedBatch = contexts('unmatched', options.batch)
  const payloads = matched.map((ctx) => compiledEager(ctx.event as never))

  const pieces: Record<string, { batch: Context[]; work: (ctx: Context, index: number) => unknown }> = {
    'stock: FQL parseFql+validate x subscriptions (matched)': {
      batch: matched,
      work: (ctx) => subscriptions.map((s) => validate(parseFql(s.subscribe), ctx.event))
    },
    'stock: FQL parseFql+validate x subscriptions (unmatched)': {
      batch: unmatchedBatch,
      work: (ctx) => subscriptions.map((s) => validate(parseFql(s.subscribe), ctx.event))
    },
    'stock: transform(Complete Payment mapping)': {
      batch: matched,
      work: (ctx) => transform(mapping as never, ctx.event as never)
    },
    'this: compiled FQL x subscriptions (matched)': {
      batch: matched,
      work: (ctx) => compiledFql.map((match) => match(ctx.event as never))
    },
    'this: compiled FQL x subscriptions (unmatched)': {
      batch: unmatchedBatch,
      work: (ctx) => compiledFql.map((match) => match(ctx.event as never))
    },
    'this: compiled mapping, depends_on fields skipped': {
      batch: matched,
      work: (ctx) => compiledEager(ctx.event as never)
    },
    'this: compiled mapping, all fields': {
      batch: matched,
      work: (ctx) => compiledFull(ctx.event as never)
    },
    'both: perform (payload -> normalise -> hashed identify + track)': {
      batch: matched,
      work: (ctx, i) =>
        perform(client, { payload: payloads[i], mapping, settings, analytics: fakeAnalytics, context: ctx })
    }
  }

  const names = Object.keys(pieces)
  const results: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < options.breakdownSamples + 3; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length]
      queueOf(CODES.parts).length = 0
      collectGarbage()
      const value = timeSync(pieces[name].work, pieces[name].batch)
      if (round >= 3) results[name].push(value) // the first rounds are warm-up
    }
    await yieldToEventLoop()
  }
  return Object.fromEntries(names.map((name) => [name, median(results[name])]))
}

// ---------------------------------------------------------------------------------------------
// Page-load cost: bundle evaluation, plugin generation, `load`, and the first event.

export type StartupKind = 'this' | 'stock' | 'empty' | 'snippet'
export const STARTUP_KINDS: StartupKind[] = ['this', 'stock', 'empty', 'snippet']

export interface StartupSample {
  kind: StartupKind
  /** Building the plugins from settings (0 for the snippet, which has none). */
  generateUs: number
  /** `load()` until it returns, and until its promise resolves. */
  loadSyncUs: number
  loadResolvedUs: number
  /** The first matched Order Completed: until `track()` returns, and until it resolves (first hashing included). */
  firstEventSyncUs: number | null
  firstEventResolvedUs: number | null
}

const emptyPlugin = (): Plugin => ({
  name: 'empty',
  type: 'destination',
  version: '0.0.0',
  isLoaded: () => true,
  ready: () => Promise.resolve(),
  load: async () => undefined
})

/** TikTok's own snippet, as a site would paste it: base code and `ttq.load`; the floor for `load`. */
const snippetPlugin = (pixelCode: string): Plugin => ({
  ...emptyPlugin(),
  name: 'ttq snippet',
  load: async () => {
    installBaseCode()
    window.ttq?.load(pixelCode)
  }
})

function pluginsFor(kind: StartupKind, settings: BenchSettings): Plugin[] {
  const subscriptions = settings.subscriptions
  if (kind === 'this') return generatePlugins(destination, settings)
  if (kind === 'stock') return stockGeneratePlugins(destination, settings, subscriptions)
  if (kind === 'snippet') return [snippetPlugin(settings.pixelCode)]
  return [emptyPlugin()]
}

/** Times building the plugins (settings already at hand), `load`, and for the runtimes the first event. */
async function timeStartup(kind: StartupKind, pixelCode: string, firstEvent: boolean): Promise<StartupSample> {
  // The settings analytics.js would pass, and the first event, built outside the timed regions.
  const settings = settingsFor(pixelCode, presetSubscriptions())
  const ctx = new Context(orderCompleted())
  const t0 = now()
  const plugins = kind === 'snippet' ? [] : pluginsFor(kind, settings)
  const t1 = now()
  const loading = Promise.all(
    (kind === 'snippet' ? pluginsFor(kind, settings) : plugins).map((plugin) =>
      plugin.load(loadContext(), fakeAnalytics)
    )
  )
  const t2 = now()
  await loading
  const t3 = now()
  let firstEventSyncUs: number | null = null
  let firstEventResolvedUs: number | null = null
  if (firstEvent && (kind === 'this' || kind === 'stock')) {
    const e0 = now()
    const handling = viaPlugins(plugins)(ctx)
    const e1 = now()
    await handling
    const e2 = now()
    if (queueOf(pixelCode).filter((call) => (call as unknown[])[0] === 'track').length !== 1) {
      throw new Error(`${kind}: the first Order Completed did not reach ttq`)
    }
    firstEventSyncUs = (e1 - e0) * 1000
    firstEventResolvedUs = (e2 - e0) * 1000
  }
  return {
    kind,
    generateUs: (t1 - t0) * 1000,
    loadSyncUs: (t2 - t1) * 1000,
    loadResolvedUs: (t3 - t1) * 1000,
    firstEventSyncUs,
    firstEventResolvedUs
  }
}

/** First use in a fresh page: nothing compiled or optimised yet, no digest cached. */
async function cold(kind: StartupKind): Promise<StartupSample> {
  return timeStartup(kind, PIXEL_CODE, true)
}

/** A page without the pixel: no `window.ttq`, no injected script. */
function resetPixel(): void {
  for (const script of Array.from(document.scripts)) {
    if (script.src.startsWith('https://analytics.tiktok.com/')) script.remove()
  }
  delete window.ttq
  delete window.TiktokAnalyticsObject
}

export interface StartupOptions {
  samples: number
  bundles: Record<string, string>
}

export interface StartupSummary {
  generateUs: number
  loadSyncUs: number
  loadResolvedUs: number
}

export interface StartupResults {
  /** Evaluating each bundle as an inline classic script, and an empty script, µs (medians). */
  evalUs: Record<string, number>
  warm: Record<StartupKind, StartupSummary>
  /** Pieces of our generatePlugins, warm, µs per generatePlugins (medians). */
  generateBreakdown: Record<string, number>
}

/** Evaluates `source` as a classic inline script: parse, compile and run, all on the main thread. */
function timeScript(source: string): number {
  const script = document.createElement('script')
  script.textContent = source
  const start = now()
  document.head.appendChild(script)
  const elapsed = now() - start
  script.remove()
  return elapsed * 1000
}

/** Every `@path` string in a mapping. */
function pathsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => pathsIn(item, out))
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '@path' && typeof value === 'string') out.push(value)
      else pathsIn(value, out)
    }
  }
  return out
}

/** Medians of µs per call for each piece, pieces alternating. */
function timePieces(pieces: Record<string, () => unknown>, samples: number): Record<string, number> {
  const names = Object.keys(pieces)
  const results: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < samples + 3; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length]
      collectGarbage()
      const start = now()
      pieces[name]()
      const elapsed = (now() - start) * 1000
      if (round >= 3) results[name].push(elapsed)
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(results[name])]))
}

/** What our generatePlugins spends its time on, rebuilt from the same public pieces it uses. */
function generateBreakdown(samples: number): Record<string, number> {
  const subscriptions = presetSubscriptions()
  const fields = destination.actions.reportWebEvent.fields as Record<string, { depends_on?: unknown }>
  // The runtime compiles, per subscription, one mapping of the fields without depends_on and one per field with it.
  const parts = subscriptions.flatMap((s) => {
    const mapping = s.mapping as Record<string, unknown>
    const eager = Object.fromEntries(Object.entries(mapping).filter(([key]) => !fields[key]?.depends_on))
    const conditional = Object.entries(mapping)
      .filter(([key]) => fields[key]?.depends_on)
      .map(([key, value]) => ({ [key]: value }))
    return [eager, ...conditional]
  })
  const paths = parts.flatMap((part) => pathsIn(part))
  const spy: Record<string, unknown> = new Proxy({}, { get: () => spy })
  const settings = settingsFor(CODES.parts, subscriptions)
  return timePieces(
    {
      [`this: generatePlugins, ${subscriptions.length} presets`]: () => generatePlugins(destination, settings),
      [`  compileSubscription x ${subscriptions.length}`]: () =>
        subscriptions.map((s) => compileSubscription(s.subscribe)),
      [`  compileMapping x ${parts.length} (eager part + one per depends_on field)`]: () =>
        parts.map((part) => compileMapping(part)),
      [`    mapping-kit validate x ${parts.length}`]: () => parts.map((part) => validateMapping({ ...part })),
      [`    transform({ @path }, proxy) x ${paths.length} paths (${new Set(paths).size} distinct)`]: () =>
        paths.map((path) => transform({ '@path': path }, spy)),
      ['stock: generatePlugins']: () => stockGeneratePlugins(destination, settings, subscriptions)
    },
    samples
  )
}

async function startup(options: StartupOptions): Promise<StartupResults> {
  const sources: Record<string, string> = {}
  for (const [name, url] of Object.entries(options.bundles)) sources[name] = await (await fetch(url)).text()
  sources.empty = ''
  const names = Object.keys(sources)
  const evalSamples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let i = 0; i < options.samples; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + i) % names.length]
      // A unique suffix defeats V8's in-memory compilation cache: every sample compiles afresh.
      collectGarbage()
      evalSamples[name].push(timeScript(`${sources[name]}\n//# bench-${i}-${Math.random()}`))
    }
  }
  if (typeof (window as unknown as Record<string, unknown>)['tiktok-pixelDestination'] !== 'function') {
    throw new Error('dist/web/tiktok-pixel.js did not define window["tiktok-pixelDestination"]')
  }

  const warm = Object.fromEntries(STARTUP_KINDS.map((kind) => [kind, [] as StartupSample[]])) as Record<
    StartupKind,
    StartupSample[]
  >
  for (let i = 0; i < options.samples + 5; i++) {
    for (let k = 0; k < STARTUP_KINDS.length; k++) {
      const kind = STARTUP_KINDS[(k + i) % STARTUP_KINDS.length]
      resetPixel()
      collectGarbage()
      const result = await timeStartup(kind, PIXEL_CODE, false)
      if (i >= 5) warm[kind].push(result)
    }
    await yieldToEventLoop()
  }
  resetPixel()
  installBaseCode()
  window.ttq?.load(CODES.parts)
  const breakdownResult = generateBreakdown(options.samples)
  const summary = (results: StartupSample[]): StartupSummary => ({
    generateUs: median(results.map((r) => r.generateUs)),
    loadSyncUs: median(results.map((r) => r.loadSyncUs)),
    loadResolvedUs: median(results.map((r) => r.loadResolvedUs))
  })
  return {
    evalUs: Object.fromEntries(names.map((name) => [name, median(evalSamples[name])])),
    warm: Object.fromEntries(STARTUP_KINDS.map((kind) => [kind, summary(warm[kind])])) as Record<
      StartupKind,
      StartupSummary
    >,
    generateBreakdown: breakdownResult
  }
}

const api = { events, cold, startup }
export type BenchApi = typeof api

declare global {
  interface Window {
    __bench?: BenchApi
  }
}

window.__bench = api
