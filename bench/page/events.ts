/**
 * Per-event cost, warm: this runtime, the stock runtime and direct `ttq` calls handle the same events side by side
 * in one page, in batches, candidates alternating round by round.
 */
import { generatePlugins as stockGeneratePlugins } from '@segment/browser-destination-runtime/plugin'
import { destination } from '../../src/index'
import { generatePlugins } from '../../src/runtime'
import { median } from '../../devkit/statistics'
import { breakdown } from './breakdown'
import {
  CANDIDATES,
  CODES,
  collectGarbage,
  contexts,
  loadAll,
  now,
  presetSubscriptions,
  queueOf,
  SCENARIOS,
  settingsFor,
  timeBatch,
  viaPlugins,
  yieldToEventLoop,
  type CandidateName,
  type EventOptions,
  type Handler,
  type ScenarioName
} from './common'

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

export async function events(options: EventOptions): Promise<EventResults> {
  const subscriptions = presetSubscriptions()
  const ours = generatePlugins(destination, settingsFor(CODES.this, subscriptions))
  const stock = stockGeneratePlugins(destination, settingsFor(CODES.stock, subscriptions), subscriptions as never)
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
