/**
 * In-page side of the visit benchmark (bundled into bench/.build/visit.js), run in a fresh page per sample:
 * evaluate a destination's script, build and load its plugins, then deliver the five events of a visit one after
 * the other, as analytics.js would (every plugin's handler for the event's type, awaited). Each phase is timed from
 * its start until everything it started has resolved, so the first hashing is included. The total is the sum of
 * the phases; the untimed wait for TikTok's script stand-in between set-up and the first event is not in it.
 */
import { Context } from '@segment/analytics-next'
import type { Analytics, Plugin } from '@segment/analytics-next'
import { visitEvents } from './visit-events'
import { expose } from './expose'

export interface VisitInput {
  /** The script URL and the global its factory lands on. */
  script: string
  factory: string
  settings: Record<string, unknown>
  /**
   * `inline`: the script's text, fetched beforehand, run from an inline script element (V8 compiles it on the main
   * thread); `src`: requested by a script element, as analytics.js loads a remote plugin (Chromium streams the
   * script and compiles it while it arrives, off the main thread), the evaluation then timed until its `load` event.
   */
  load: 'inline' | 'src'
}

export interface VisitSample {
  evaluateMs: number
  setupMs: number
  eventMs: number[]
  totalMs: number
  /** What reached `window.ttq`, to check that both candidates did the same work. */
  calls: string[]
  /** Per event, the Events API keys the enrichment attached (e.g. "ttclid ttp"), checked the same way. */
  matchKeys: string[]
}

let source = ''

/** Fetches the script text, outside any timed region. */
async function prepare(script: string): Promise<void> {
  // Named, so that CPU profiles attribute the inline script's functions to it.
  source = `${await (await fetch(script)).text()}\n//# sourceURL=${new URL(script, location.href).href}`
}

const now = (): number => performance.now()

/** The calls queued for TikTok, by method (and event name for track). */
function queuedCalls(): string[] {
  const queues = Object.values(window.ttq?._i ?? {}) as unknown[][]
  return queues.flatMap((queue) =>
    queue.map((call) => {
      const [method, name] = call as unknown[]
      return method === 'track' ? `track ${String(name)}` : String(method)
    })
  )
}

/**
 * Waits, untimed, until the events.js stand-in has arrived and run: its arrival (through the browser's request
 * routing) would otherwise land inside whichever event happens to be waiting, adding noise, not information.
 */
async function pixelScriptLoaded(): Promise<void> {
  const arrived = () => performance.getEntriesByType('resource').some((entry) => entry.name.includes('tiktok.com'))
  while (!arrived()) await new Promise((resolve) => setTimeout(resolve, 1))
  await new Promise((resolve) => setTimeout(resolve, 0))
}

/** Appends a script element with a `src`; resolves once the script has run. */
function appended(script: HTMLScriptElement): Promise<void> {
  return new Promise((resolve, reject) => {
    script.onload = () => resolve()
    script.onerror = () => reject(new Error(`${script.src} did not load`))
    document.head.appendChild(script)
  })
}

async function visit(input: VisitInput): Promise<VisitSample> {
  // Everything a visit needs but does not pay for here: the events analytics.js builds, the analytics instance.
  const contexts = visitEvents().map((event) => new Context(event))
  // A first visit: analytics.js remembers no user yet.
  const user = { id: () => null, anonymousId: () => '4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a', traits: () => ({}) }
  const analytics = { user: () => user } as unknown as Analytics
  const script = document.createElement('script')
  // A URL of its own per visit, so that no cache serves it.
  if (input.load === 'src') script.src = `${input.script}?visit=${performance.timeOrigin}`
  else script.textContent = source

  const t0 = now()
  if (input.load === 'src') await appended(script)
  else document.head.appendChild(script)
  const t1 = now()
  const factory = (window as unknown as Record<string, (settings: unknown) => Plugin[]>)[input.factory]
  const plugins = factory(input.settings)
  await Promise.all(plugins.map((plugin) => plugin.load(new Context({ type: 'track' }), analytics)))
  const t2 = now()
  await pixelScriptLoaded()
  const t3 = now()
  const eventMs: number[] = []
  for (const ctx of contexts) {
    const start = now()
    const type = ctx.event.type as 'page' | 'track' | 'identify'
    await Promise.all(plugins.map((plugin) => plugin[type]?.(ctx)))
    eventMs.push(now() - start)
  }
  const t4 = now()
  const matchKeys = contexts.map((ctx) =>
    Object.keys((ctx.event.integrations?.['TikTok Conversions'] as object | undefined) ?? {}).join(' ')
  )
  return {
    evaluateMs: t1 - t0,
    setupMs: t2 - t1,
    eventMs,
    totalMs: t2 - t0 + (t4 - t3),
    calls: queuedCalls(),
    matchKeys
  }
}

const api = { prepare, visit }
export type VisitApi = typeof api

expose('visit', api)
