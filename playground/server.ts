/**
 * The playground: a page that runs the built destination (dist/web/tiktok-pixel.js) inside the
 * real analytics-next, with TikTok's events.js answered by the local pixel emulator (a test
 * double), and shows what TikTok's pixel was asked to do for every Segment event.
 *
 *   npm start                          build, then serve on http://localhost:3000 (PORT overrides)
 *   PORT=3123 npx tsx playground/server.ts
 *
 * Routes (node:http only, bound to the loopback interface):
 *   /                          redirects to /playground/
 *   /playground/               the page (index.html); /playground/app.js (app.ts bundled with
 *                              esbuild, again on each request: edit and reload), /playground/style.css
 *   /playground/sw.js          the Service Worker that stands in for analytics.tiktok.com
 *   /emulator/events.js        e2e/support/tiktok-pixel-emulator.js: the TEST DOUBLE of TikTok's
 *                              events.js, which the Service Worker hands out in its place
 *   /dist/web/tiktok-pixel.js  the destination, as built by `npm run build`
 *   /vendor/analytics-next.js  @segment/analytics-next bundled for the browser (e2e/.build)
 *   /metadata.json             settings, actions and presets of the destination
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { ensureAnalyticsBundle } from '../e2e/support/analytics-bundle'
import { DESTINATION_SCRIPT, EMULATOR_SCRIPT, METADATA_JSON, REPO_ROOT } from '../e2e/support/paths'

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

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `Port ${port} is already in use (another playground or app?). Stop it, or pick another port: ` +
        `PORT=${port + 1} npm start`
    )
    this.name = 'PortInUseError'
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8'
}

type Asset = { file: string } | { body: () => string | Buffer | Promise<string | Buffer> }

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
  const message = `${path.relative(REPO_ROOT, DESTINATION_SCRIPT)} is missing: run \`npm run build\` (npm start does it for you).`
  return `console.error(${JSON.stringify('[playground] ' + message)});\n`
}

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const requestedPort = options.port ?? (process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT)
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`PORT must be a port number (0-65535); got ${JSON.stringify(process.env.PORT ?? options.port)}`)
  }

  // Built once up front so that a broken app.ts fails the start, not the first page view.
  const [analyticsBundle] = await Promise.all([ensureAnalyticsBundle(), bundleApp()])

  const routes = new Map<string, Asset>([
    ['/playground/', { file: path.join(PLAYGROUND_DIR, 'index.html') }],
    ['/playground/app.js', { body: bundleApp }],
    ['/playground/style.css', { file: path.join(PLAYGROUND_DIR, 'style.css') }],
    ['/playground/sw.js', { file: path.join(PLAYGROUND_DIR, 'sw.js') }],
    ['/emulator/events.js', { file: EMULATOR_SCRIPT }],
    [
      '/dist/web/tiktok-pixel.js',
      { body: () => (fs.existsSync(DESTINATION_SCRIPT) ? fs.readFileSync(DESTINATION_SCRIPT) : missingBuildScript()) }
    ],
    ['/vendor/analytics-next.js', { file: analyticsBundle }],
    ['/metadata.json', { file: METADATA_JSON }]
  ])

  const handler: http.RequestListener = (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost')
    const send = (status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void => {
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'content-length': String(Buffer.byteLength(body)),
        ...extra
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', TYPES['.txt'])
    if (pathname === '/' || pathname === '/playground') {
      res.writeHead(302, { location: '/playground/', 'cache-control': 'no-store' })
      return void res.end()
    }
    if (pathname === '/favicon.ico') return send(204, '', TYPES['.txt'])
    const asset = routes.get(pathname)
    if (!asset) return send(404, `not found: ${pathname}\n`, TYPES['.txt'])
    const ext = pathname.endsWith('/') ? '.html' : path.extname(pathname)
    const extra: Record<string, string> = ext === '.html' ? { [PLAYGROUND_HEADER]: '1' } : {}
    Promise.resolve()
      .then(() => ('file' in asset ? fs.readFileSync(asset.file) : asset.body()))
      .then(
        (body) => send(200, body, TYPES[ext] ?? 'application/octet-stream', extra),
        (error: unknown) => send(500, `could not serve ${pathname}: ${String(error)}\n`, TYPES['.txt'])
      )
  }

  // Loopback only. `localhost` may resolve to 127.0.0.1 or ::1, so listen on both (::1 when the
  // machine has IPv6), on the same port.
  const primary = http.createServer(handler)
  await listen(primary, requestedPort, '127.0.0.1')
  const port = (primary.address() as AddressInfo).port
  const servers = [primary]
  const secondary = http.createServer(handler)
  try {
    await listen(secondary, port, '::1')
    servers.push(secondary)
  } catch (error) {
    if (error instanceof PortInUseError) {
      await closeServer(primary)
      throw error
    }
    // No IPv6 loopback here: 127.0.0.1 is enough.
  }

  return {
    url: `http://localhost:${port}/playground/`,
    port,
    close: async () => {
      await Promise.all(servers.map(closeServer))
    }
  }
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error)
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve()
    server.closeAllConnections()
    server.close(() => resolve())
  })
}

async function main(): Promise<void> {
  if (!fs.existsSync(DESTINATION_SCRIPT)) {
    console.warn(`Warning: ${path.relative(REPO_ROOT, DESTINATION_SCRIPT)} is missing; run \`npm run build\` first.`)
  }
  let playground: Playground
  try {
    playground = await startPlayground()
  } catch (error) {
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
