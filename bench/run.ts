/**
 * npm run bench [-- --profile] [-- --only visit|events|hostile]: what this destination costs a shop's main thread, against the stock
 * @segment/browser-destination-runtime running the same definition, in headless Chromium:
 *   - one visit (script evaluation, set-up, five events), fresh page per sample (bench/visit-bench.ts);
 *   - warm per-event cost, matched and unmatched, with a breakdown (bench/event-bench.ts);
 *   - one event with 1 MB strings, against the page without the destination (bench/hostile-bench.ts).
 * TikTok's events.js is answered with an empty script (nothing leaves the machine). Prints the tables, writes
 * bench/.build/results.json, and exits non-zero when a target or the bundle budget is missed, or when the
 * candidates did not do the same work. A benchmark, not a test: figures depend on the machine and its load.
 */
import { cpus, loadavg } from 'node:os'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../devkit/browser'
import { BUNDLE_BUDGET_BYTES as BUNDLE_BUDGET } from '../devkit/constants'
import { DESTINATION_SCRIPT } from '../devkit/paths'
import { BUILD_DIR, buildPageScripts, scriptPath } from './build'
import { eventBench } from './event-bench'
import { bytes, type Section } from './format'
import { hostileBench } from './hostile-bench'
import { serve } from './server'
import { visitBench } from './visit-bench'

async function main(): Promise<void> {
  const started = Date.now()
  const withProfile = process.argv.includes('--profile')
  const only = process.argv[process.argv.indexOf('--only') + 1]
  const runs = (name: string): boolean => !process.argv.includes('--only') || only === name
  await buildPageScripts()
  const gzipBytes = gzipSync(readFileSync(DESTINATION_SCRIPT), { level: 9 }).length
  const stockGzipBytes = gzipSync(readFileSync(scriptPath('stock-web')), { level: 9 }).length
  const { server, pageFor } = await serve()
  const { origin } = server
  const load = loadavg().map((value) => value.toFixed(2))

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
          // An empty events.js: the script "loads" (an aborted one would make the destination stop sending, by
          // design), and the destination keeps queueing on the base-code stub.
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
    const errors: string[] = []
    context.on('weberror', (error) => errors.push(String(error.error())))
    const open = async (page: Page, name: string, search = ''): Promise<void> => {
      await page.goto(`${origin}${pageFor(name)}${search}`)
      await page.waitForFunction(
        (global) => (window as unknown as Record<string, unknown>)[global] !== undefined,
        `__${name}`
      )
    }

    const sections: Record<string, Section> = {}
    if (runs('visit')) sections.visit = await visitBench(context, open, withProfile)
    const page = await context.newPage()
    // A visitor's first pages, before TikTok's script has set its cookie: the Events API keys look for it on each event.
    if (runs('events')) sections.eventsFirstPage = await eventBench(page, open, 'no _ttp cookie yet')
    // Then a returning visitor's pages, as on a shop running TikTok's pixel: its first-party cookie is there.
    await context.addCookies([{ name: '_ttp', value: '2Xq9benchTtpCookie0000000000', url: origin }])
    if (runs('events')) sections.events = await eventBench(page, open, '_ttp cookie set')
    if (runs('hostile')) sections.hostile = await hostileBench(page, open)

    const version = browser.version()
    const header = [
      `TikTok Pixel destination benchmark (Chromium ${version}, ${cpus().length} CPUs, load average before ${load.join(' ')}, after ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')})`,
      `bundle dist/web/tiktok-pixel.js ${bytes(gzipBytes)} B gzip (budget ${bytes(BUNDLE_BUDGET)}; the same destination on the stock runtime: ${bytes(stockGzipBytes)} B)`
    ]
    const body = Object.values(sections).flatMap((section) => ['', ...section.lines])
    console.log([...header, ...body, '', `total ${((Date.now() - started) / 1000).toFixed(1)} s`].join('\n'))

    const failures = Object.values(sections).flatMap((section) => section.failures)
    if (gzipBytes > BUNDLE_BUDGET) failures.push(`bundle ${bytes(gzipBytes)} B gzip exceeds ${bytes(BUNDLE_BUDGET)} B`)
    if (errors.length > 0) failures.push(`page errors: ${errors.join('; ')}`)
    if (blocked.length > 0) failures.push(`unexpected requests were blocked: ${[...new Set(blocked)].join(', ')}`)
    const results = {
      chromium: version,
      date: new Date().toISOString(),
      loadAverage: { before: load, after: loadavg() },
      bundle: {
        path: 'dist/web/tiktok-pixel.js',
        gzipBytes,
        budget: BUNDLE_BUDGET,
        stockRuntimeGzipBytes: stockGzipBytes
      },
      ...Object.fromEntries(Object.entries(sections).map(([name, section]) => [name, section.results])),
      failures
    }
    writeFileSync(join(BUILD_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
    if (failures.length > 0) {
      console.error(`\nFAIL:\n${failures.map((f) => `  - ${f}`).join('\n')}`)
      process.exitCode = 1
    } else {
      console.log('\nOK: every target met')
    }
  } finally {
    await browser?.close()
    await server.close()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
