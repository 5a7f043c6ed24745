/**
 * Node side of the hostile-payload benchmark: the extra main-thread time one hostile Order Completed (1 MB
 * strings, 100,000 products, a million content IDs, a 50,000-deep object) costs a page running analytics.js with
 * this destination, against the same page without it. Fresh page per sample, with and without alternating.
 */
import type { Page } from 'playwright-core'
import { median } from '../devkit/statistics'
import { num, type Section } from './format'
import type { HostileApi, HostileInput, HostileSample } from './page/hostile'
import { HOSTILE_ORDERS, type HostileShape } from './page/visit-events'
import { visitSettings } from './visit-bench'
import { LIBRARY_NAME } from '../devkit/constants'

const SAMPLES = 7
/** The event may cost at most this much more with the destination than without (ms). */
const MAX_EXTRA_MS = 50

async function oneShape(
  page: Page,
  open: (page: Page, name: 'hostile') => Promise<void>,
  shape: HostileShape
): Promise<{ lines: string[]; failures: string[]; results: Record<string, unknown> }> {
  const base: HostileInput = { factory: LIBRARY_NAME, settings: visitSettings(), shape }
  const samples: Record<'with' | 'without', HostileSample[]> = { with: [], without: [] }
  for (let i = 0; i < SAMPLES; i++) {
    for (const kind of i % 2 ? (['without', 'with'] as const) : (['with', 'without'] as const)) {
      await open(page, 'hostile')
      const input = kind === 'with' ? { ...base, script: '/tiktok-pixel.js' } : base
      samples[kind].push(
        await page.evaluate(
          (hostileInput) => (window as unknown as Record<string, HostileApi>).__hostile.hostile(hostileInput),
          input
        )
      )
    }
  }
  const withMs = median(samples.with.map((s) => s.trackMs))
  const withoutMs = median(samples.without.map((s) => s.trackMs))
  const extra = withMs - withoutMs
  const lines = [
    `hostile payload: one Order Completed with ${shape}`,
    `  analytics.track() until resolved, medians of ${SAMPLES} fresh pages: with the destination ${num(withMs)} ms, ` +
      `without ${num(withoutMs)} ms, extra ${num(extra)} ms (target <= ${MAX_EXTRA_MS} ms)`,
    `  checks: traits reached the event: ${samples.with.every((s) => s.traitsInContext)}; ` +
      `ttq calls queued with the destination: ${[...new Set(samples.with.map((s) => s.ttqCalls))].join('/')}`
  ]
  const failures =
    extra <= MAX_EXTRA_MS ? [] : [`hostile payload (${shape}): ${num(extra)} ms extra exceeds ${MAX_EXTRA_MS} ms`]
  return { lines, failures, results: { withMs, withoutMs, extraMs: extra, raw: samples } }
}

export async function hostileBench(page: Page, open: (page: Page, name: 'hostile') => Promise<void>): Promise<Section> {
  const sections = []
  for (const shape of Object.keys(HOSTILE_ORDERS) as HostileShape[]) sections.push(await oneShape(page, open, shape))
  return {
    lines: sections.flatMap((section) => section.lines),
    failures: sections.flatMap((section) => section.failures),
    results: {
      samples: SAMPLES,
      maxExtraMs: MAX_EXTRA_MS,
      shapes: Object.fromEntries(sections.map((section, i) => [Object.keys(HOSTILE_ORDERS)[i], section.results]))
    }
  }
}
