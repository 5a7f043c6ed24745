/**
 * npm run bench: per-event main-thread cost of this destination against the stock
 * @segment/browser-destination-runtime on the same definition, in one headless Chromium page,
 * plus what the destination costs at page load.
 *
 * Builds bench/.build/bench.js from bench/entry.ts, serves it from 127.0.0.1 with COOP/COEP (a
 * cross-origin-isolated page gets a 5 µs performance.now() instead of 100 µs), answers TikTok's
 * events.js with an empty script (nothing leaves the machine), prints a table and writes
 * bench/.build/results.json. Exits non-zero when a ratio or the bundle budget is missed, or when
 * the candidates did not do the same work.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, type Plugin } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../devkit/browser'
import { browserBundleOptions, WEB_BUNDLE } from '../scripts/build'
import type { BenchApi, EventResults, StartupKind, StartupResults, StartupSample, StartupSummary } from './entry'

const outDir = join(__dirname, '.build')
const files = {
  bench: join(outDir, 'bench.js'),
  stockWeb: join(outDir, 'stock-web.js')
}

const MAX_RATIO = 0.2
const BUNDLE_BUDGET = 15 * 1024
const EVENT_OPTIONS = { rounds: 41, batch: 200, warmupBatches: 10, breakdownSamples: 21 }
const COLD_PAGES_PER_KIND = 9
const STARTUP_SAMPLES = 41
const STARTUP_KINDS: StartupKind[] = ['this', 'stock', 'empty', 'snippet']

/**
 * analytics-next declares `sideEffects: false`, and esbuild then drops the call that initialises its
 * lazily wrapped modules, leaving `Context` undefined. Marking its entry as side-effectful keeps it.
 */
const keepAnalyticsNextInit: Plugin = {
  name: 'keep-analytics-next-init',
  setup(b) {
    b.onResolve({ filter: /^@segment\/analytics-next$/ }, async (args) => {
      if (args.pluginData?.again) return undefined
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { again: true }
      })
      if (resolved.errors.length > 0) return { errors: resolved.errors }
      return { path: resolved.path, sideEffects: true }
    })
  }
}

/** Both bundles exactly as scripts/build.ts builds dist/web/tiktok-pixel.js. */
async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    ...browserBundleOptions,
    entryPoints: [join(__dirname, entry)],
    outfile,
    // Minified output is not for linters.
    banner: { js: '/* eslint-disable */' },
    plugins: [keepAnalyticsNextInit]
  })
}

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cache-Control': 'no-store'
}

function serve(): Promise<{ server: Server; origin: string }> {
  const scripts: Record<string, string> = {
    '/tiktok-pixel.js': WEB_BUNDLE,
    '/stock-web.js': files.stockWeb
  }
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const send = (type: string, body: string | Buffer): void => {
      response.writeHead(200, { ...ISOLATION_HEADERS, 'Content-Type': type })
      response.end(body)
    }
    const nonce = url.searchParams.get('n') ?? '0'
    if (url.pathname === '/') {
      // A distinct bench.js URL and source per page: no HTTP or V8 compilation cache between pages.
      send(
        'text/html; charset=utf-8',
        `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head>` +
          `<body><script src="/bench.js?n=${encodeURIComponent(nonce)}"></script></body></html>`
      )
    } else if (url.pathname === '/bench.js') {
      send('text/javascript; charset=utf-8', `${readFileSync(files.bench, 'utf8')}\n//# page ${nonce}\n`)
    } else if (scripts[url.pathname]) {
      send('text/javascript; charset=utf-8', readFileSync(scripts[url.pathname]))
    } else {
      response.writeHead(404, ISOLATION_HEADERS)
      response.end()
    }
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({ server, origin: `http://127.0.0.1:${port}` })
    })
  })
}

let pageCounter = 0
async function openBenchPage(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/?n=${++pageCounter}`)
  await page.waitForFunction(() => window.__bench !== undefined)
}

// ---------------------------------------------------------------------------------------------
// Output

const us = (value: number | null | undefined): string =>
  value === null || value === undefined || Number.isNaN(value)
    ? '-'
    : Math.abs(value) >= 100
      ? value.toFixed(0)
      : Math.abs(value) >= 10
        ? value.toFixed(1)
        : value.toFixed(2)
const ratio = (value: number): string => `${value.toFixed(3)}x`
const bytes = (value: number): string => value.toLocaleString('en-US')
const row = (cells: string[], widths: number[]): string =>
  cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

interface ColdSummary extends StartupSummary {
  firstEventSyncUs: number | null
  firstEventResolvedUs: number | null
}

function summariseCold(samples: StartupSample[]): ColdSummary {
  const pick = (key: keyof StartupSample): number[] =>
    samples.map((s) => s[key]).filter((v): v is number => typeof v === 'number')
  const maybe = (values: number[]): number | null => (values.length > 0 ? median(values) : null)
  return {
    generateUs: median(pick('generateUs')),
    loadSyncUs: median(pick('loadSyncUs')),
    loadResolvedUs: median(pick('loadResolvedUs')),
    firstEventSyncUs: maybe(pick('firstEventSyncUs')),
    firstEventResolvedUs: maybe(pick('firstEventResolvedUs'))
  }
}

async function main(): Promise<void> {
  const started = Date.now()
  const gzipBytes = gzipSync(readFileSync(WEB_BUNDLE), { level: 9 }).length
  mkdirSync(outDir, { recursive: true })
  await bundle('entry.ts', files.bench)
  await bundle('stock-web-entry.ts', files.stockWeb)
  const stockWebGzipBytes = gzipSync(readFileSync(files.stockWeb), { level: 9 }).length
  const { server, origin } = await serve()

  let browser: Browser | undefined
  try {
    // window.gc(), to collect garbage between samples, outside the timed regions.
    browser = await launchBrowser({ args: ['--js-flags=--expose-gc'] })
    const context = await browser.newContext()
    const blocked: string[] = []
    await context.route(
      (url) => url.origin !== origin,
      async (route) => {
        const url = new URL(route.request().url())
        if (url.hostname === 'analytics.tiktok.com') {
          // An empty events.js: the script "loads" (an aborted one would make the destination stop
          // sending, by design), and the destination keeps queueing on the base-code stub.
          await route.fulfill({
            status: 200,
            contentType: 'text/javascript',
            headers: { 'Cross-Origin-Resource-Policy': 'cross-origin' },
            body: '/* events.js stand-in: the bench never contacts TikTok */'
          })
        } else {
          blocked.push(url.href)
          await route.abort()
        }
      }
    )
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))

    // 1. Per-event cost, all candidates in one page.
    await openBenchPage(page, origin)
    const eventResults = (await page.evaluate(
      (options) => (window.__bench as BenchApi).events(options),
      EVENT_OPTIONS
    )) as EventResults

    // 2. Cold start: each sample in a fresh page, kinds alternating.
    const cold = Object.fromEntries(STARTUP_KINDS.map((kind) => [kind, [] as StartupSample[]])) as Record<
      StartupKind,
      StartupSample[]
    >
    for (let i = 0; i < COLD_PAGES_PER_KIND; i++) {
      for (let k = 0; k < STARTUP_KINDS.length; k++) {
        const kind = STARTUP_KINDS[(k + i) % STARTUP_KINDS.length]
        await openBenchPage(page, origin)
        cold[kind].push(await page.evaluate((which) => (window.__bench as BenchApi).cold(which), kind))
      }
    }
    const coldSummary = Object.fromEntries(STARTUP_KINDS.map((kind) => [kind, summariseCold(cold[kind])])) as Record<
      StartupKind,
      ColdSummary
    >

    // 3. Bundle evaluation, warm start and where our generatePlugins spends its time, in a fresh page.
    await openBenchPage(page, origin)
    const startup = (await page.evaluate((options) => (window.__bench as BenchApi).startup(options), {
      samples: STARTUP_SAMPLES,
      bundles: { this: '/tiktok-pixel.js', stock: '/stock-web.js' }
    })) as StartupResults

    const version = browser.version()

    // -------------------------------------------------------------------------------------------
    const { matched, unmatched } = eventResults.scenarios
    const lines: string[] = []
    lines.push(
      `TikTok Pixel destination benchmark (Chromium ${version}, one run, medians of ${eventResults.rounds} samples x ${eventResults.batch} events)`
    )
    lines.push(`bundle dist/web/tiktok-pixel.js        ${bytes(gzipBytes)} B gzip  (budget ${bytes(BUNDLE_BUDGET)})`)
    lines.push(
      `  (for comparison, the same destination bundled with the stock runtime: ${bytes(stockWebGzipBytes)} B gzip)`
    )
    lines.push('')
    const w = [26, 10, 11, 16, 11, 13]
    lines.push(row(['scenario', 'this (µs)', 'stock (µs)', 'direct ttq (µs)', 'this/stock', 'direct/stock'], w))
    const eventRow = (label: string, s: EventResults['scenarios']['matched']): string =>
      row(
        [
          label,
          us(s.candidates.this.median),
          us(s.candidates.stock.median),
          us(s.candidates.direct.median),
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
    lines.push('')

    const s = [40, 9, 9, 9, 9, 11]
    lines.push(row(['page load (µs)', 'this', 'stock', 'empty', 'snippet', 'this-empty'], s))
    lines.push(
      row(
        [
          'bundle eval, inline <script>',
          us(startup.evalUs.this),
          us(startup.evalUs.stock),
          us(startup.evalUs.empty),
          '-',
          us(startup.evalUs.this - startup.evalUs.empty)
        ],
        s
      )
    )
    const startupRow = (label: string, data: Record<StartupKind, StartupSummary>, key: keyof StartupSummary): string =>
      row(
        [
          label,
          us(data.this[key]),
          us(data.stock[key]),
          us(data.empty[key]),
          key === 'generateUs' ? '-' : us(data.snippet[key]),
          us(data.this[key] - data.empty[key])
        ],
        s
      )
    lines.push(startupRow('generatePlugins (15 presets), cold', coldSummary, 'generateUs'))
    lines.push(startupRow('load() until resolved, cold', coldSummary, 'loadResolvedUs'))
    lines.push(startupRow('generatePlugins (15 presets), warm', startup.warm, 'generateUs'))
    lines.push(startupRow('load() until resolved, warm', startup.warm, 'loadResolvedUs'))
    for (const [label, key] of [
      ['1st Order Completed, cold: sync part', 'firstEventSyncUs'],
      ['1st Order Completed, cold: resolved', 'firstEventResolvedUs']
    ] as const) {
      lines.push(row([label, us(coldSummary.this[key]), us(coldSummary.stock[key]), '-', '-', '-'], s))
    }
    lines.push(
      `  (bundle eval: "stock" is the same destination bundled with the stock runtime, "empty" an empty script;` +
        ` cold: medians of ${COLD_PAGES_PER_KIND} fresh pages per kind; warm: medians of ${STARTUP_SAMPLES}, window.ttq removed before each load;` +
        ` snippet: TikTok's base code + ttq.load alone; 1st event "resolved" includes the first SHA-256 hashing)`
    )
    lines.push('')
    lines.push(
      'where the per-event time goes (µs per event, each piece timed alone, matched Order Completed unless noted)'
    )
    for (const [name, value] of Object.entries(eventResults.breakdown)) {
      lines.push(`  ${name.padEnd(66)} ${us(value).padStart(8)}`)
    }
    lines.push('where our generatePlugins time goes (µs per call, warm)')
    for (const [name, value] of Object.entries(startup.generateBreakdown)) {
      lines.push(`  ${name.padEnd(66)} ${us(value).padStart(8)}`)
    }
    lines.push('')
    const calls = eventResults.checks.callsPerEvent
    lines.push(
      `checks: crossOriginIsolated=${eventResults.crossOriginIsolated}, timer resolution ${us(eventResults.timerResolutionUs)} µs, ` +
        `gc between samples=${eventResults.gcExposed}, ${eventResults.subscriptions} preset subscriptions, ` +
        `plugins this/stock ${eventResults.plugins.this}/${eventResults.plugins.stock}`
    )
    lines.push(
      `        ttq calls per event: matched this ${calls.matched.this} stock ${calls.matched.stock} direct ${calls.matched.direct}; ` +
        `unmatched this ${calls.unmatched.this} stock ${calls.unmatched.stock}; same calls this vs stock: ${eventResults.checks.sameCallsThisVsStock}`
    )
    lines.push(`        total ${((Date.now() - started) / 1000).toFixed(1)} s`)
    console.log(lines.join('\n'))

    // -------------------------------------------------------------------------------------------
    const failures: string[] = []
    for (const [label, scenario] of [
      ['Order Completed, matched', matched],
      ['unmatched event', unmatched]
    ] as const) {
      if (!(scenario.ratio <= MAX_RATIO)) {
        failures.push(`${label}: this/stock ${ratio(scenario.ratio)} exceeds ${ratio(MAX_RATIO)}`)
      }
    }
    if (gzipBytes > BUNDLE_BUDGET) failures.push(`bundle ${bytes(gzipBytes)} B gzip exceeds ${bytes(BUNDLE_BUDGET)} B`)
    if (!eventResults.crossOriginIsolated) failures.push('page not cross-origin isolated: performance.now() is coarse')
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
    if (!eventResults.checks.sameCallsThisVsStock) {
      failures.push(
        `unfair comparison: this and stock made different ttq calls: ${JSON.stringify(eventResults.checks.sampleCalls)}`
      )
    }
    if (errors.length > 0) failures.push(`page errors: ${errors.join('; ')}`)
    if (blocked.length > 0) failures.push(`unexpected requests were blocked: ${[...new Set(blocked)].join(', ')}`)

    const results = {
      chromium: version,
      date: new Date().toISOString(),
      options: { ...EVENT_OPTIONS, coldPagesPerKind: COLD_PAGES_PER_KIND, startupSamples: STARTUP_SAMPLES },
      bundle: {
        path: 'dist/web/tiktok-pixel.js',
        gzipBytes,
        budget: BUNDLE_BUDGET,
        stockRuntimeGzipBytes: stockWebGzipBytes
      },
      events: eventResults,
      startup: { cold: coldSummary, coldSamples: cold, ...startup },
      maxRatio: MAX_RATIO,
      failures
    }
    writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)

    if (failures.length > 0) {
      console.error(`\nFAIL:\n${failures.map((f) => `  - ${f}`).join('\n')}`)
      process.exitCode = 1
    } else {
      console.log(
        `\nOK: this/stock <= ${ratio(MAX_RATIO)} in both scenarios, bundle within the ${bytes(BUNDLE_BUDGET)} B budget`
      )
    }
  } finally {
    await browser?.close()
    server.close()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
