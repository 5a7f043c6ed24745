/**
 * In-page side of the hostile-payload benchmark (bundled into bench/.build/hostile.js), run in a fresh page per
 * sample: analytics.js (analytics-next, no Segment.io delivery) with or without the destination, then one
 * hostile Order Completed (see HOSTILE_ORDERS), timed from `analytics.track()` until its promise resolves.
 */
import { AnalyticsBrowser } from '@segment/analytics-next'
import type { Plugin } from '@segment/analytics-next'
import { HOSTILE_ORDERS, type HostileShape } from './visit-events'
import { expose } from './expose'

export interface HostileInput {
  /** Without a script: the same page and event, no destination. */
  script?: string
  factory: string
  settings: Record<string, unknown>
  shape: HostileShape
}

export interface HostileSample {
  trackMs: number
  /** Whether the traits reached the event the destination saw, and what reached `window.ttq`. */
  traitsInContext: boolean
  ttqCalls: number
}

async function hostile(input: HostileInput): Promise<HostileSample> {
  let plugins: Plugin[] = []
  if (input.script) {
    const script = document.createElement('script')
    script.textContent = await (await fetch(input.script)).text()
    document.head.appendChild(script)
    const factory = (window as unknown as Record<string, (settings: unknown) => Plugin[]>)[input.factory]
    plugins = factory(input.settings)
  }
  const [analytics] = await AnalyticsBrowser.load(
    { writeKey: 'bench', cdnSettings: { integrations: {} } as never, plugins },
    { integrations: { 'Segment.io': false } }
  )
  const { properties, traits } = HOSTILE_ORDERS[input.shape]()
  const start = performance.now()
  const ctx = await analytics.track('Order Completed', properties, { traits })
  const trackMs = performance.now() - start
  const queues = Object.values(window.ttq?._i ?? {}) as unknown[][]
  return {
    trackMs,
    traitsInContext: typeof ctx.event.context?.traits?.email === 'string',
    ttqCalls: queues.reduce((sum, queue) => sum + queue.length, 0)
  }
}

const api = { hostile }
export type HostileApi = typeof api

expose('hostile', api)
