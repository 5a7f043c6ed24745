/**
 * The playground: a page that runs the built destination (dist/web/tiktok-pixel.js) inside the
 * real analytics-next, with TikTok's events.js answered by the local pixel emulator (a test
 * double), and shows what TikTok's pixel was asked to do for every Segment event.
 *
 *   npm start                          build the browser bundle, then serve on http://localhost:3000
 *   PORT=3123 npm start                another port
 *
 * Served by the dev kit's server (loopback only):
 *   /                          redirects to /playground/
 *   /playground/               this folder: index.html, style.css, sw.js (the Service Worker that
 *                              stands in for analytics.tiktok.com; its scope is /playground/);
 *                              /playground/app.js is app.ts bundled again on each request: edit and reload
 *   /devkit/tiktok-pixel-emulator.js   the TEST DOUBLE of TikTok's events.js, which the Service
 *                              Worker hands out in its place
 *   /dist/web/tiktok-pixel.js  the destination, as built by `npm start` or `npm run build`
 *   /vendor/analytics-next.js  @segment/analytics-next bundled for the browser (devkit/.build)
 *   /metadata.json             settings, actions and presets of the destination
 */
import fs from 'node:fs'
import path from 'node:path'
import { ANALYTICS_BUNDLE, ensureAnalyticsBundle } from '../devkit/analytics-bundle'
import { emulatorScript } from '../devkit/emulator'
import { DESTINATION_SCRIPT, METADATA_JSON, REPO_ROOT } from '../devkit/paths'
import { PortInUseError, startServer, TYPES } from '../devkit/server'
import { buildWebBundle } from '../devkit/build'

export const DEFAULT_PORT = 3000
const PLAYGROUND_DIR = __dirname

/** Sent with the page; the Service Worker retires itself on any page of its scope without it. */
export const PLAYGROUND_HEADER = 'x-tiktok-pixel-playground'

export interface PlaygroundOptions {
  /** 0 picks a free port. Default: $PORT, else 3000. */
  port?: number
}

export interface Playground {
  /** The page: `http://localhost:<port>/playground/`. */
  url: string
  port: number
  close(): Promise<void>
}

/** app.ts and its imports as one browser script, kept readable (not minified) with a source map. */
async function bundleApp(): Promise<string> {
  const esbuild = await import('esbuild')
  const result = await esbuild.build({
    entryPoints: [path.join(PLAYGROUND_DIR, 'app.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    sourcemap: 'inline',
    sourceRoot: REPO_ROOT,
    logLevel: 'silent',
    write: false
  })
  const output = result.outputFiles[0]
  if (!output) throw new Error('esbuild produced no output for playground/app.ts')
  return output.text
}

function missingBuildScript(): string {
  const message = `${path.relative(REPO_ROOT, DESTINATION_SCRIPT)} is missing: run \`npm start\` or \`npm run build\`.`
  return `console.error(${JSON.stringify('[playground] ' + message)});\n`
}

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const requestedPort = options.port ?? (process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT)
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`PORT must be a port number (0-65535); got ${JSON.stringify(process.env.PORT ?? options.port)}`)
  }

  // Built once up front so that a broken app.ts fails the start, not the first page view.
  await Promise.all([ensureAnalyticsBundle(), bundleApp()])

  const server = await startServer({ port: requestedPort, ipv6: true, htmlHeaders: { [PLAYGROUND_HEADER]: '1' } })
  server.mount('/playground', PLAYGROUND_DIR)
  server.route('/', () => ({ location: '/playground/' }))
  server.route('/playground', () => ({ location: '/playground/' }))
  server.route('/playground/app.js', async () => ({ body: await bundleApp(), type: TYPES.js }))
  server.route('/devkit/tiktok-pixel-emulator.js', () => ({ body: emulatorScript(), type: TYPES.js }))
  server.route('/vendor/analytics-next.js', () => ({ body: fs.readFileSync(ANALYTICS_BUNDLE), type: TYPES.js }))
  server.route('/dist/web/tiktok-pixel.js', () => ({
    body: fs.existsSync(DESTINATION_SCRIPT) ? fs.readFileSync(DESTINATION_SCRIPT) : missingBuildScript(),
    type: TYPES.js
  }))
  server.route('/metadata.json', () => ({
    body: fs.readFileSync(METADATA_JSON),
    type: 'application/json; charset=utf-8'
  }))

  return { url: `http://localhost:${server.port}/playground/`, port: server.port, close: () => server.close() }
}

/** Runs `step`, saying what it does and how long it took. */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now()
  process.stdout.write(`${what}... `)
  const result = await run()
  console.log(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  return result
}

async function main(): Promise<void> {
  let playground: Playground
  try {
    await step(`Building ${path.relative(REPO_ROOT, DESTINATION_SCRIPT)} (esbuild)`, buildWebBundle)
    await step('Bundling analytics-next for the browser (cached in devkit/.build)', ensureAnalyticsBundle)
    playground = await step('Bundling the playground and starting the server', () => startPlayground())
  } catch (error) {
    console.log('failed')
    console.error(error instanceof PortInUseError ? error.message : error)
    process.exit(1)
  }
  console.log(`TikTok Pixel playground: ${playground.url}`)
  console.log(
    "TikTok's events.js is answered by the local emulator; nothing is sent to TikTok or Segment. Ctrl+C stops."
  )
  const stop = (): void => {
    void playground.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (require.main === module) void main()
