/**
 * Node side of the visit benchmark: one shop visit (evaluate the destination's script, build and load its plugins,
 * five events) with this destination's bundle and with the same definition on the stock runtime, each sample in a
 * fresh page, candidates alternating. For reference, also the stock runtime running performs shaped like Segment's
 * own destination (./stock-incumbent-entry.ts), a lighter baseline. Besides the wall-clock phases, the main-thread
 * time of each visit over a page running TikTok's base code alone, with the script run inline and requested by `src`
 * (as analytics.js loads it). Optionally (`--profile`) records a Chromium CPU profile of one visit of this destination
 * and of the same definition on the stock runtime.
 */
import { writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { presets } from '../src/presets'
import { enabledSubscriptions, type Preset } from '../devkit/subscriptions'
import { BUILD_DIR } from './build'
import { markerAdvice } from './compile-hints-check'
import { median } from '../devkit/statistics'
import { num, ratio, row, type Section } from './format'
import type { VisitApi, VisitInput, VisitSample } from './page/visit'
import { LIBRARY_NAME } from '../devkit/constants'

const SAMPLES = 15
/**
 * The visit's regression gate, on the median of the paired this/stock ratios (each fresh page's
 * visit against the stock runtime's next to it, which cancels most of the machine's load): the
 * reference runs' ratio and a tolerance for the run-to-run spread (docs/maintainers.md).
 */
const REFERENCE_RATIO = 0.4
const TOLERANCE = 0.1
const MAX_RATIO = REFERENCE_RATIO + TOLERANCE
const EVENT_NAMES = ['page()', 'Product Viewed', 'Product Added', 'identify()', 'Order Completed']

/** `floor` runs TikTok's base code alone (./base-code-only-entry.ts): what every candidate's page does anyway. */
type Candidate = 'this' | 'stock' | 'incumbent' | 'floor'
const CANDIDATES: Candidate[] = ['this', 'stock', 'incumbent', 'floor']
const SCRIPTS: Record<Candidate, Pick<VisitInput, 'script' | 'factory'>> = {
  this: { script: '/tiktok-pixel.js', factory: LIBRARY_NAME },
  stock: { script: '/stock-web.js', factory: `${LIBRARY_NAME}-stock` },
  incumbent: { script: '/stock-incumbent.js', factory: `${LIBRARY_NAME}-incumbent` },
  floor: { script: '/base-code-only.js', factory: `${LIBRARY_NAME}-base-code-only` }
}
type Samples = Record<Candidate, Measured[]>

/** The settings Segment would deliver: the catalog defaults and every preset (the fifteen, Identify, Events API keys). */
export function visitSettings(): Record<string, unknown> {
  const subscriptions = enabledSubscriptions(presets as Preset[])
  return { pixelCode: 'CD9079RC77U0N3GBV16Y', autoPageView: true, ldu: false, subscriptions }
}

interface Measured extends VisitSample {
  /**
   * Main-thread task time of the renderer over the visit, from Chromium's own accounting (CDP Performance), less
   * that of an empty page.evaluate.
   */
  taskMs: number
}

async function taskDuration(page: Page, run: () => Promise<VisitSample>): Promise<Measured> {
  const session = await page.context().newCDPSession(page)
  await session.send('Performance.enable')
  const read = async (): Promise<number> => {
    const { metrics } = await session.send('Performance.getMetrics')
    return (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0) * 1000
  }
  // What one page.evaluate round trip costs the renderer by itself, subtracted from the visit's.
  const before = await read()
  await page.evaluate(() => 0)
  const idle = await read()
  const sample = await run()
  const taskMs = (await read()) - idle - (idle - before)
  await session.detach()
  return { ...sample, taskMs }
}

type Open = (page: Page, name: 'visit', search: string) => Promise<void>

/**
 * A visitor's first page, landing from a TikTok ad: the click ID in the address, no `_ttp` cookie yet (TikTok's script
 * sets it, and the bench's stand-in does not), as in a fresh browser.
 */
const LANDING_SEARCH = '?ttclid=E.C.P.benchLandingClick'

async function oneVisit(
  page: Page,
  open: Open,
  candidate: Candidate,
  settings: Record<string, unknown>,
  load: VisitInput['load'],
  named = false
): Promise<VisitInput> {
  await open(page, 'visit', LANDING_SEARCH)
  const scripts = SCRIPTS[candidate]
  const script = named ? scripts.script.replace(/\.js$/, '-named.js') : scripts.script
  const input: VisitInput = { ...scripts, script, settings, load }
  await page.evaluate((script) => (window as unknown as Record<string, VisitApi>).__visit.prepare(script), input.script)
  return input
}

/** Self time per function over one visit, from a CPU profile sampled every 50 µs. */
async function profile(context: BrowserContext, open: Open, candidate: Candidate, settings: Record<string, unknown>) {
  const page = await context.newPage()
  try {
    const input = await oneVisit(page, open, candidate, settings, 'inline', true)
    const session = await context.newCDPSession(page)
    await session.send('Profiler.enable')
    await session.send('Profiler.setSamplingInterval', { interval: 50 })
    await session.send('Profiler.startPreciseCoverage', { callCount: true, detailed: false })
    await session.send('Profiler.start')
    await page.evaluate(
      (visitInput) => (window as unknown as Record<string, VisitApi>).__visit.visit(visitInput),
      input
    )
    const { profile: cpu } = await session.send('Profiler.stop')
    const { result: coverage } = await session.send('Profiler.takePreciseCoverage')
    const scriptCoverage = coverage.find((script) => script.url.endsWith(input.script))
    const file = join(BUILD_DIR, `visit-${candidate}.cpuprofile`)
    writeFileSync(file, JSON.stringify(cpu))
    const self = new Map<number, number>()
    cpu.samples?.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (cpu.timeDeltas?.[i] ?? 0) / 1000))
    const byFunction = new Map<string, number>()
    const byScript = new Map<string, number>()
    for (const node of cpu.nodes) {
      const ms = self.get(node.id) ?? 0
      const { functionName, url, lineNumber } = node.callFrame
      const script = url ? basename(new URL(url).pathname) : '(no script)'
      if (functionName === '(idle)') continue
      const key = `${functionName || '(anonymous)'} ${url ? `${script}:${lineNumber + 1}` : ''}`.trim()
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms)
      byScript.set(script, (byScript.get(script) ?? 0) + ms)
    }
    const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n)
    return {
      file,
      byScript: top(byScript, 6),
      byFunction: top(byFunction, 10),
      advice: candidate === 'this' && scriptCoverage ? markerAdvice(scriptCoverage) : []
    }
  } finally {
    await page.close()
  }
}

/** SAMPLES visits per candidate, each in a fresh page, candidates alternating. */
async function sampleVisits(
  context: BrowserContext,
  open: Open,
  settings: Record<string, unknown>,
  load: VisitInput['load']
): Promise<Samples> {
  const samples: Samples = { this: [], stock: [], incumbent: [], floor: [] }
  const page = await context.newPage()
  try {
    for (let i = 0; i < SAMPLES; i++) {
      for (const candidate of i % 2 ? [...CANDIDATES].reverse() : CANDIDATES) {
        const input = await oneVisit(page, open, candidate, settings, load)
        samples[candidate].push(
          await taskDuration(page, () =>
            page.evaluate(
              (visitInput) => (window as unknown as Record<string, VisitApi>).__visit.visit(visitInput),
              input
            )
          )
        )
      }
    }
  } finally {
    await page.close()
  }
  return samples
}

export async function visitBench(context: BrowserContext, open: Open, withProfile: boolean): Promise<Section> {
  const settings = visitSettings()
  const samples = await sampleVisits(context, open, settings, 'inline')
  const fetched = await sampleVisits(context, open, settings, 'src')

  const pick = (candidate: Candidate, value: (sample: Measured) => number): number =>
    median(samples[candidate].map(value))
  const laterMs = (s: Measured): number => s.eventMs.slice(1).reduce((sum, ms) => sum + ms, 0)
  const measures: [string, (sample: Measured) => number][] = [
    ['evaluate the script', (s) => s.evaluateMs],
    ['set-up: build plugins + load()', (s) => s.setupMs],
    ...EVENT_NAMES.map((name, i): [string, (sample: Measured) => number] => [
      `${i === 0 ? 'first' : 'later'} event: ${name}`,
      (s) => s.eventMs[i]
    ]),
    ['later events together', laterMs],
    ['total (wall clock)', (s) => s.totalMs],
    ['all renderer tasks, harness included (CDP)', (s) => s.taskMs]
  ]
  const lines = [
    `one visit (a first page, landing from an ad: ttclid, no _ttp cookie), ${SAMPLES} fresh pages per candidate,`,
    `alternating; medians, ms ("stock": this destination's definition`,
    `on the stock runtime; "incumbent": performs shaped like Segment's destination on it, no hashing nor Events API keys)`
  ]
  const w = [40, 9, 9, 11, 10, 14]
  lines.push(row(['', 'this', 'stock', 'this/stock', 'incumbent', 'this/incumbent'], w))
  const table: Record<string, { this: number; stock: number; ratio: number; incumbent: number }> = {}
  for (const [label, value] of measures) {
    const ours = pick('this', value)
    const stock = pick('stock', value)
    const incumbent = pick('incumbent', value)
    table[label] = { this: ours, stock, ratio: ours / stock, incumbent }
    lines.push(row([label, num(ours), num(stock), ratio(ours / stock), num(incumbent), ratio(ours / incumbent)], w))
  }
  const paired = median(samples.this.map((s, i) => s.totalMs / samples.stock[i].totalMs))
  // On a shared machine a few samples are descheduled for tens of ms; the lower quartile shows the quiet case.
  const quartile = (candidate: Candidate): number =>
    [...samples[candidate].map((sample) => sample.totalMs)].sort((a, b) => a - b)[SAMPLES >> 2]
  lines.push(
    `  (medians per row, so rows do not add up; median of paired this/stock total ratios ${ratio(paired)}; ` +
      `lower-quartile totals ${num(quartile('this'))} / ${num(quartile('stock'))} ms = ${ratio(quartile('this') / quartile('stock'))})`
  )

  // Main-thread time, not wall clock: what a visit's tasks cost the renderer over a page that runs TikTok's base code
  // alone (per round, which pairs pages that ran side by side), so the harness's own work cancels out.
  const overFloor = (from: Samples, candidate: Candidate): number =>
    median(from[candidate].map((sample, i) => sample.taskMs - from.floor[i].taskMs))
  const mainThread: Record<string, { this: number; stock: number; incumbent: number; floor: number }> = {}
  lines.push(
    `main thread over TikTok's base code alone (renderer task time by CDP, less that of a page running only the base`,
    `code, paired per round; medians, ms)`
  )
  lines.push(row(['', 'this', 'stock', 'this/stock', 'incumbent', 'this/incumbent'], w))
  for (const [label, from] of [
    ['script inline, as above', samples],
    ['script by src, as analytics.js loads it', fetched]
  ] as const) {
    const [ours, stock, incumbent] = (['this', 'stock', 'incumbent'] as const).map((c) => overFloor(from, c))
    mainThread[label] = { this: ours, stock, incumbent, floor: median(from.floor.map((sample) => sample.taskMs)) }
    lines.push(row([label, num(ours), num(stock), ratio(ours / stock), num(incumbent), ratio(ours / incumbent)], w))
  }
  lines.push(
    `  (the floor page itself: ${Object.values(mainThread)
      .map((m) => num(m.floor))
      .join(' / ')} ms; a script by src is compiled while it streams in, off the main thread)`
  )

  const failures: string[] = []
  if (!(paired <= MAX_RATIO))
    failures.push(
      `visit: paired this/stock ${ratio(paired)} exceeds ${ratio(MAX_RATIO)} (reference ${ratio(REFERENCE_RATIO)} + tolerance ${TOLERANCE})`
    )
  const callsOf = (candidate: Candidate, from = samples): string => JSON.stringify([...from[candidate][0].calls].sort())
  if (callsOf('this') !== callsOf('stock')) {
    failures.push(`visit: this and stock queued different calls: ${callsOf('this')} vs ${callsOf('stock')}`)
  }
  for (const candidate of ['this', 'stock', 'incumbent'] as const) {
    if (callsOf(candidate, fetched) !== callsOf(candidate)) {
      failures.push(`visit: ${candidate} queued different calls with its script by src: ${callsOf(candidate, fetched)}`)
    }
  }
  const keysOf = (candidate: Candidate): string => JSON.stringify(samples[candidate][0].matchKeys)
  if (keysOf('this') !== keysOf('stock')) {
    failures.push(`visit: this and stock attached different Events API keys: ${keysOf('this')} vs ${keysOf('stock')}`)
  }
  lines.push(`checks: calls queued per visit (this): ${samples.this[0].calls.join(', ')}`)
  lines.push(`checks: Events API keys attached per event (this): ${samples.this[0].matchKeys.join(', ')}`)

  const profiles: Record<string, unknown> = {}
  if (withProfile) {
    for (const candidate of ['this', 'stock'] as const) {
      const result = await profile(context, open, candidate, settings)
      profiles[candidate] = result
      lines.push(`CPU profile of one visit, ${candidate} (${result.file}), self time ms:`)
      lines.push(`  by script: ${result.byScript.map(([name, ms]) => `${name} ${num(ms)}`).join(', ')}`)
      for (const [name, ms] of result.byFunction) lines.push(`  ${name.padEnd(66)} ${num(ms).padStart(8)}`)
      lines.push(...result.advice)
    }
  }
  return {
    lines,
    failures,
    results: {
      samples: SAMPLES,
      maxRatio: MAX_RATIO,
      table,
      pairedTotalRatio: paired,
      lowerQuartileTotals: { this: quartile('this'), stock: quartile('stock') },
      mainThread,
      raw: samples,
      rawBySrc: fetched,
      profiles
    }
  }
}
