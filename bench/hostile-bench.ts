/**
 * Node side of the hostile-payload benchmark: the extra main-thread time one Order Completed with 1 MB strings
 * costs a page running analytics.js with this destination, against the same page without it. Fresh page per
 * sample, with and without alternating.
 */
import type { Page } from 'playwright-core'
import { median, num, type Section } from './format'
import type { HostileApi, HostileInput, HostileSample } from './page/hostile'
import { visitSettings } from './visit-bench'

const SAMPLES = 7
/** The event may cost at most this much more with the destination than without (ms). */
const MAX_EXTRA_MS = 50

export async function hostileBench(page: Page, open: (page: Page, name: 'hostile') => Promise<void>): Promise<Section> {
  const base: HostileInput = { factory: 'tiktok-pixelDestination', settings: visitSettings() }
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
    `hostile payload: one Order Completed with 1 MB strings in order id, query, product name, e-mail, first name, city, phone`,
    `  analytics.track() until resolved, medians of ${SAMPLES} fresh pages: with the destination ${num(withMs)} ms, ` +
      `without ${num(withoutMs)} ms, extra ${num(extra)} ms (target <= ${MAX_EXTRA_MS} ms)`,
    `  checks: 1 MB traits reached the event: ${samples.with.every((s) => s.traitsInContext)}; ` +
      `ttq calls queued with the destination: ${[...new Set(samples.with.map((s) => s.ttqCalls))].join('/')}`
  ]
  const failures = extra <= MAX_EXTRA_MS ? [] : [`hostile payload: ${num(extra)} ms extra exceeds ${MAX_EXTRA_MS} ms`]
  return {
    lines,
    failures,
    results: { samples: SAMPLES, withMs, withoutMs, extraMs: extra, maxExtraMs: MAX_EXTRA_MS, raw: samples }
  }
}
