/** Node side of the per-event benchmark: runs bench/page/events.ts in one page and tabulates it. */
import type { Page } from 'playwright-core'
import { num, ratio, row, type Section } from './format'
import type { BenchApi } from './page'
import type { EventResults } from './page/events'

/** Warm per-event cost must stay at most this fraction of the stock runtime's. */
const MAX_RATIO = 0.1
const OPTIONS = { rounds: 41, batch: 200, warmupBatches: 10, breakdownSamples: 21 }

export async function eventBench(
  page: Page,
  open: (page: Page, name: 'bench') => Promise<void>,
  cookie: string
): Promise<Section> {
  await open(page, 'bench')
  const results = (await page.evaluate(
    (options) => (window as unknown as Record<string, BenchApi>).__bench.events(options),
    OPTIONS
  )) as EventResults
  const { matched, unmatched } = results.scenarios
  const lines: string[] = [
    `per event, warm, ${cookie} (one page, real analytics.js, medians of ${results.rounds} samples x ${results.batch} events, µs per event)`
  ]
  const w = [26, 10, 11, 16, 11, 13]
  lines.push(row(['scenario', 'this (µs)', 'stock (µs)', 'direct ttq (µs)', 'this/stock', 'direct/stock'], w))
  const eventRow = (label: string, s: EventResults['scenarios']['matched']): string =>
    row(
      [
        label,
        num(s.candidates.this.median),
        num(s.candidates.stock.median),
        num(s.candidates.direct.median),
        ratio(s.ratio),
        ratio(s.directRatio)
      ],
      w
    )
  lines.push(eventRow('Order Completed, matched', matched))
  lines.push(eventRow('unmatched event', unmatched))
  lines.push(
    `  (median of per-round this/stock ratios: matched ${ratio(matched.pairedRatioMedian)}, unmatched ${ratio(unmatched.pairedRatioMedian)};` +
      ` unmatched "direct" is an empty handler, i.e. the timing loop itself)`
  )
  lines.push(
    'where the per-event time goes (µs per event, each piece timed alone, matched Order Completed unless noted)'
  )
  for (const [name, value] of Object.entries(results.breakdown))
    lines.push(`  ${name.padEnd(66)} ${num(value).padStart(8)}`)
  const calls = results.checks.callsPerEvent
  lines.push(
    `checks: crossOriginIsolated=${results.crossOriginIsolated}, timer resolution ${num(results.timerResolutionUs)} µs, ` +
      `gc between samples=${results.gcExposed}, ${results.subscriptions} preset subscriptions, ` +
      `plugins this/stock ${results.plugins.this}/${results.plugins.stock}; ttq calls per event: matched this ${calls.matched.this} ` +
      `stock ${calls.matched.stock} direct ${calls.matched.direct}, unmatched this ${calls.unmatched.this} stock ${calls.unmatched.stock}; ` +
      `same calls this vs stock: ${results.checks.sameCallsThisVsStock}`
  )

  const failures: string[] = []
  for (const [label, scenario] of [
    ['Order Completed, matched', matched],
    ['unmatched event', unmatched]
  ] as const) {
    if (!(scenario.ratio <= MAX_RATIO))
      failures.push(`${label}, ${cookie}: this/stock ${ratio(scenario.ratio)} exceeds ${ratio(MAX_RATIO)}`)
  }
  if (!results.crossOriginIsolated) failures.push('page not cross-origin isolated: performance.now() is coarse')
  const exact = (values: number[], expected: number): boolean => values.length === 1 && values[0] === expected
  if (
    !exact(calls.matched.this, 2) ||
    !exact(calls.matched.stock, 2) ||
    !exact(calls.matched.direct, 2) ||
    !exact(calls.unmatched.this, 0) ||
    !exact(calls.unmatched.stock, 0)
  ) {
    failures.push('unfair comparison: the candidates did not all make the expected ttq calls (see checks)')
  }
  if (!results.checks.sameCallsThisVsStock) {
    failures.push(
      `unfair comparison: this and stock made different ttq calls: ${JSON.stringify(results.checks.sampleCalls)}`
    )
  }
  return { lines, failures, results: { options: OPTIONS, maxRatio: MAX_RATIO, ...results } }
}
