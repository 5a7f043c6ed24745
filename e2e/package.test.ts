/**
 * The published package as a site gets it. `npm pack` runs in a copy of the repository (so its
 * `prepack` build, not whatever dist/ holds, fills the tarball), the tarball goes into a fresh app
 * next to what a user installs, and README's Getting started is followed as written:
 *  - the analytics.js snippet, with analytics-next's real standalone build and Segment's CDN
 *    answered here, pointed at the tarball's dist/web/tiktok-pixel.js by `updateCDNSettings`;
 *  - the bundled snippet through esbuild and vite with no configuration, then in Chromium;
 *  - Node `require` and `import`, and a strict `tsc` (skipLibCheck off) on the bundled snippet;
 *  - the remote plugin, as Segment's catalog loads it.
 * Slow (an npm install, two bundlers): the install uses the versions this repository has installed,
 * so npm's cache answers it.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import type { Page, Route } from 'playwright-core'
import type { EmulatorCall } from '../devkit/emulator'
import { LIBRARY_NAME, PLUGIN_NAME } from '../devkit/constants'
import { REPO_ROOT } from '../devkit/paths'
import { PIXEL_CODE, useHarness, WRITE_KEY } from './support/harness'
import { type RequestLog, routeRequests } from './support/network'
import { analyticsCall, emulatorCalls, recordPage } from './support/page'
import { presetSubscriptions } from './support/subscriptions'

jest.setTimeout(120_000)

const run = promisify(execFile)
const PACKAGE = 'tiktok-pixel-segment-destination'
/** Where Segment's CDN serves its own TikTok Pixel build; the page must never ask for it. */
const SEGMENT_TIKTOK_URL = 'https://cdn.segment.com/next-integrations/actions/tiktok-pixel/0123456789abcdef.js'
/** What a user installs next to the package, at the versions this repository uses (npm's cache has them). */
const USER_INSTALLS = ['@segment/analytics-next', 'esbuild', 'vite', 'typescript']

const h = useHarness()
let tmp: string
let app: string
let tarball: { filename: string; files: Array<{ path: string }> }

/** The fenced code block of README's Getting started between `<!-- loading:<way> -->` markers. */
function readmeSnippet(way: 'snippet' | 'bundled' | 'options'): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')
  const section = new RegExp(`<!-- loading:${way} -->([\\s\\S]*?)<!-- /loading:${way} -->`).exec(readme)?.[1]
  const block = section && /^```\w+\n([\s\S]*?)^```/m.exec(section)?.[1]
  if (!block) throw new Error(`README.md has no code block between <!-- loading:${way} --> markers`)
  return block
}

/** `text` with `placeholder` replaced; throws when README no longer has it. */
function fill(text: string, placeholder: string, value: string): string {
  if (!text.includes(placeholder)) throw new Error(`README snippet no longer contains ${placeholder}:\n${text}`)
  return text.split(placeholder).join(value)
}

const installedVersion = (name: string): string =>
  (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string
    }
  ).version

const inApp = (...parts: string[]): string => path.join(app, ...parts)
const gzipSize = (file: string): number => gzipSync(fs.readFileSync(file), { level: 9 }).length

/**
 * The environment without what `npm test` puts there about this repository (`npm_config_local_prefix`,
 * `npm_package_*`, ...), so npm in the app acts on the app.
 */
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$)/.test(key)
  )
)

async function runIn(cwd: string, file: string, args: string[]): Promise<string> {
  try {
    return (await run(file, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 })).stdout
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error })
  }
}

const bin = (name: string): string => inApp('node_modules', '.bin', name)

/** Packs a copy of the repository, with a stale dist/ that the `prepack` build must replace. */
async function pack(): Promise<void> {
  const source = path.join(tmp, 'source')
  const skipped = new Set([
    'node_modules',
    'dist',
    '.git',
    '.tmp',
    path.join('e2e', '.build'),
    path.join('e2e', 'artifacts')
  ])
  fs.cpSync(REPO_ROOT, source, { recursive: true, filter: (file) => !skipped.has(path.relative(REPO_ROOT, file)) })
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir')
  fs.mkdirSync(path.join(source, 'dist', 'stale'), { recursive: true })
  fs.writeFileSync(path.join(source, 'dist', 'stale', 'left-over.js'), 'stale build\n')
  const output = await runIn(source, 'npm', ['pack', '--json', '--pack-destination', tmp])
  // The prepack build's output comes first; npm's JSON report starts on a line of its own.
  tarball = (JSON.parse(output.slice(output.search(/^\[/m))) as (typeof tarball)[])[0]!
}

/** A fresh app with README's snippets, the tarball and what a user installs. */
async function createApp(): Promise<void> {
  app = path.join(tmp, 'app')
  fs.mkdirSync(inApp('src'), { recursive: true })
  fs.writeFileSync(inApp('package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }))
  fs.writeFileSync(inApp('src', 'analytics.ts'), fill(readmeSnippet('bundled'), '<your write key>', WRITE_KEY))
  fs.writeFileSync(inApp('src', 'options.ts'), fill(readmeSnippet('options'), '<your write key>', WRITE_KEY))
  // The page drives the analytics instance the snippet exports.
  fs.writeFileSync(
    inApp('src', 'main.ts'),
    "import { analytics } from './analytics'\nObject.assign(window, { analytics })\n"
  )
  fs.writeFileSync(inApp('index.html'), '<!doctype html>\n<script type="module" src="/src/main.ts"></script>\n')
  await runIn(app, 'npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    path.join(tmp, tarball.filename),
    ...USER_INSTALLS.map((name) => `${name}@${installedVersion(name)}`)
  ])
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tiktok-pixel-package-'))
  await pack()
  await createApp()
}, 300_000)

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

// ------------------------------------------------------------------------------------------------
// A site in Chromium, with Segment's CDN and API answered here

/** Segment's source settings for a workspace with TikTok Pixel enabled (Segment's own build as its URL). */
function workspaceSettings(remotePlugins = [segmentTikTokPlugin()]): Record<string, unknown> {
  return {
    integrations: { 'Segment.io': { apiKey: WRITE_KEY } },
    remotePlugins,
    metrics: { sampleRate: 0 }
  }
}

function segmentTikTokPlugin(): Record<string, unknown> {
  return {
    name: PLUGIN_NAME,
    creationName: PLUGIN_NAME,
    libraryName: LIBRARY_NAME,
    url: SEGMENT_TIKTOK_URL,
    settings: {
      pixelCode: PIXEL_CODE,
      subscriptions: presetSubscriptions(inApp('node_modules', PACKAGE, 'metadata.json'))
    }
  }
}

/** Answers Segment's CDN (settings, analytics.js and its chunks, from the installed package) and API. */
function segment(cdnSettings: Record<string, unknown>): (route: Route, url: URL) => Promise<boolean> {
  const umd = inApp('node_modules', '@segment', 'analytics-next', 'dist', 'umd')
  const script = async (route: Route, file: string): Promise<boolean> => {
    await route.fulfill({ status: 200, contentType: 'text/javascript', body: fs.readFileSync(file) })
    return true
  }
  return async (route, url) => {
    if (url.hostname === 'api.segment.io') {
      await route.fulfill({ status: 200, contentType: 'application/json', body: '{}' })
      return true
    }
    if (url.hostname !== 'cdn.segment.com') return false
    if (/^\/v1\/projects\/[^/]+\/settings$/.test(url.pathname)) {
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(cdnSettings) })
      return true
    }
    if (/^\/analytics\.js\/v1\/[^/]+\/analytics\.min\.js$/.test(url.pathname)) {
      return script(route, path.join(umd, 'standalone.js'))
    }
    const chunk = /^\/analytics-next\/bundles\/([\w.-]+\.js)$/.exec(url.pathname)?.[1]
    return chunk !== undefined && script(route, path.join(umd, chunk))
  }
}

interface Visit {
  page: Page
  log: RequestLog
  pageErrors: string[]
}

/** Opens `html` (served by the local server) with Segment answered from `cdnSettings`. */
async function visit(html: string, cdnSettings = workspaceSettings()): Promise<Visit> {
  const context = await h.browser.newContext({ serviceWorkers: 'block' })
  const log = await routeRequests(context, { answer: segment(cdnSettings) })
  const page = await context.newPage()
  const { pageErrors } = recordPage(page)
  await page.goto(h.server.origin + h.server.addPage(html), { waitUntil: 'load' })
  // The snippet's stub is an array until analytics.js replaces it; AnalyticsBrowser buffers calls.
  await page.waitForFunction(() => {
    const analytics = (window as { analytics?: unknown }).analytics
    return typeof analytics === 'object' && analytics !== null && !Array.isArray(analytics)
  })
  return { page, log, pageErrors }
}

const ORDER = {
  order_id: 'o-1',
  revenue: 25,
  currency: 'usd',
  products: [{ product_id: 'sku-1', price: 25, quantity: 1 }]
}

/** Sends an Order Completed and waits for the CompletePayment it becomes; returns every TikTok call. */
async function completeOrder({ page, log }: Visit): Promise<{ event: Record<string, unknown>; calls: EmulatorCall[] }> {
  const event = await analyticsCall(page, 'track', 'Order Completed', ORDER)
  await page
    .waitForFunction(
      (code) => window.__tiktokEmulator?.callsFor(code, 'track').some((call) => call.args[0] === 'CompletePayment'),
      PIXEL_CODE,
      { polling: 25 }
    )
    .catch(async (error: unknown) => {
      const calls = JSON.stringify(await emulatorCalls(page, PIXEL_CODE))
      throw new Error(`No CompletePayment reached TikTok. Calls: ${calls}. Requests: ${log.requests.join(' ')}`, {
        cause: error
      })
    })
  return { event, calls: await emulatorCalls(page, PIXEL_CODE) }
}

/** What this destination makes of ORDER with the Complete Payment preset (normalised currency, messageId). */
function expectCompletePayment(calls: EmulatorCall[], event: Record<string, unknown>): void {
  expect(calls).toContainEqual({ method: 'page', args: [] })
  expect(calls).toContainEqual({
    method: 'track',
    args: ['CompletePayment', expect.objectContaining({ currency: 'USD' }), { event_id: event.messageId }]
  })
}

/** Nothing was asked of another machine except Segment (answered here) and TikTok (the emulator). */
function expectNothingElseRequested(log: RequestLog): void {
  expect(log.blockedRequests).toEqual([])
  expect(log.requests).not.toContain(SEGMENT_TIKTOK_URL)
}

/** Serves the installed app (bundles and node_modules) under /app. */
function serveApp(): string {
  h.server.mount('/app', app)
  return h.server.origin + '/app'
}

// ------------------------------------------------------------------------------------------------

describe('the packed package', () => {
  it('holds a fresh build from prepack, the licences and changelog, and no sources', () => {
    const files = tarball.files.map((file) => file.path).sort()
    expect(files).toEqual(
      [
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'dist/THIRD-PARTY-NOTICES.md',
        'dist/cjs/index.cjs',
        'dist/cjs/index.d.cts',
        'dist/esm/index.d.mts',
        'dist/esm/index.mjs',
        'dist/web/tiktok-pixel.js',
        'docs/reference.md',
        'metadata.json',
        'package.json'
      ].sort()
    )
    const manifest = JSON.parse(fs.readFileSync(inApp('node_modules', PACKAGE, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(manifest.private).toBeUndefined()
    expect(manifest.dependencies).toBeUndefined()
  })
})

describe('the analytics.js snippet, self-hosting dist/web/tiktok-pixel.js', () => {
  /** A page with a minimal snippet stand-in (buffer calls, load analytics.js for the key) and README's load call. */
  function snippetPage(selfHostedUrl: string): string {
    const load = fill(
      fill(readmeSnippet('snippet'), '<your write key>', WRITE_KEY),
      'https://www.example.com/js/tiktok-pixel.js',
      selfHostedUrl
    )
    return `<!doctype html>
<script>
  var analytics = (window.analytics = [])
  ;['page', 'track', 'identify'].forEach(function (method) {
    analytics[method] = function () {
      analytics.push([method].concat([].slice.call(arguments)))
    }
  })
  analytics.load = function (key, options) {
    analytics._writeKey = key
    analytics._loadOptions = options
    var script = document.createElement('script')
    script.async = true
    script.src = 'https://cdn.segment.com/analytics.js/v1/' + key + '/analytics.min.js'
    document.head.appendChild(script)
  }
${load}
  analytics.page()
</script>`
  }

  const selfHosted = (): string => `${serveApp()}/node_modules/${PACKAGE}/dist/web/tiktok-pixel.js`

  it("runs the tarball's build with the workspace's settings and mappings; Segment's build is never fetched", async () => {
    const url = selfHosted()
    const shop = await visit(snippetPage(url))
    const { event, calls } = await completeOrder(shop)
    expectCompletePayment(calls, event)
    expect(shop.log.requests).toContain(url)
    expectNothingElseRequested(shop.log)
    expect(shop.pageErrors).toEqual([])
  })

  it('loads no TikTok code when the workspace has no TikTok Pixel destination', async () => {
    const url = selfHosted()
    const shop = await visit(snippetPage(url), workspaceSettings([]))
    await analyticsCall(shop.page, 'track', 'Order Completed', ORDER)
    expect(shop.log.requests).not.toContain(url)
    expect(shop.log.tiktokRequests).toEqual([])
    expectNothingElseRequested(shop.log)
  })
})

describe('bundled with AnalyticsBrowser', () => {
  const webGzip = (): number => gzipSize(inApp('node_modules', PACKAGE, 'dist', 'web', 'tiktok-pixel.js'))

  /** Minified esbuild bundles of the snippet with and without the package: gzip bytes the package adds. */
  async function esbuildCost(): Promise<number> {
    const without = inApp('src', 'without.ts')
    fs.writeFileSync(
      without,
      fill(readmeSnippet('bundled'), 'plugins: [tiktokPixel]', 'plugins: []').replace(/^import tiktokPixel.*\n/m, '')
    )
    await runIn(app, bin('esbuild'), [without, '--bundle', '--minify', '--outfile=build/without.js'])
    return gzipSize(inApp('build', 'esbuild', 'main.js')) - gzipSize(inApp('build', 'without.js'))
  }

  it("esbuild bundles README's snippet with no configuration, and TikTok gets the events", async () => {
    await runIn(app, bin('esbuild'), ['src/main.ts', '--bundle', '--minify', '--outfile=build/esbuild/main.js'])
    const added = await esbuildCost()
    console.log(`esbuild: the package adds ${added} B gzip to the app; dist/web/tiktok-pixel.js is ${webGzip()} B gzip`)
    expect(added).toBeLessThan(webGzip() * 1.1)

    const shop = await visit(`<!doctype html>\n<script src="${serveApp()}/build/esbuild/main.js"></script>`)
    const { event, calls } = await completeOrder(shop)
    expectCompletePayment(calls, event)
    expectNothingElseRequested(shop.log)
    expect(shop.pageErrors).toEqual([])
  })

  it("vite builds README's snippet with no configuration, and TikTok gets the events", async () => {
    await runIn(app, bin('vite'), ['build', '--logLevel', 'warn'])
    const assets = fs.readdirSync(inApp('dist', 'assets'))
    console.log(`vite: ${assets.map((file) => `${file} ${gzipSize(inApp('dist', 'assets', file))} B gzip`).join(', ')}`)
    h.server.mount('/assets', inApp('dist', 'assets'))

    const shop = await visit(fs.readFileSync(inApp('dist', 'index.html'), 'utf8'))
    const { event, calls } = await completeOrder(shop)
    expectCompletePayment(calls, event)
    expectNothingElseRequested(shop.log)
    expect(shop.pageErrors).toEqual([])
  })

  it.each([
    ['bundler', { module: 'ESNext', moduleResolution: 'Bundler' }],
    ['nodenext', { module: 'NodeNext', moduleResolution: 'NodeNext' }]
  ])(
    "type-checks README's bundled and options snippets with strict tsc, skipLibCheck off, %s resolution",
    async (name, resolution) => {
      const compilerOptions = {
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        types: [],
        ...resolution
      }
      const files = ['src/analytics.ts', 'src/options.ts']
      fs.writeFileSync(inApp(`tsconfig.${name}.json`), JSON.stringify({ compilerOptions, files }))
      await runIn(app, bin('tsc'), ['-p', `tsconfig.${name}.json`])
    }
  )
})

describe('Node', () => {
  it('require() and import both load the factory, and importing touches no browser global', async () => {
    const check = `
const touched = new Set()
for (const name of ['window', 'document', 'navigator', 'location', 'localStorage', 'self']) {
  Object.defineProperty(globalThis, name, { configurable: true, get: () => void touched.add(name) })
}
const cjs = require('${PACKAGE}')
import('${PACKAGE}').then((esm) => {
  const describe = (m) => ({ type: typeof m.default, pluginName: m.default.pluginName, named: m.tiktokPixel === m.default })
  const plugins = cjs.default({ pixelCode: '${PIXEL_CODE}', subscriptions: [
    { name: 'Order', partnerAction: 'reportWebEvent', enabled: true, subscribe: 'event = "Order Completed"', mapping: {} }
  ] })
  console.log(JSON.stringify({
    require: describe(cjs),
    import: describe(esm),
    plugins: plugins.map((plugin) => plugin.name),
    metadata: require('${PACKAGE}/metadata.json').name,
    packageJson: require('${PACKAGE}/package.json').name,
    touched: [...touched]
  }))
})
`
    fs.writeFileSync(inApp('check-node.cjs'), check)
    const result = JSON.parse(await runIn(app, process.execPath, ['check-node.cjs'])) as Record<string, unknown>
    const factory = { type: 'function', pluginName: PLUGIN_NAME, named: true }
    expect(result).toEqual({
      require: factory,
      import: factory,
      // The package's own presets run where the workspace has none; they decide at load whether to send.
      // The observers see every event, for consent.
      plugins: [
        'TikTok Pixel reportWebEvent',
        'TikTok Pixel identify',
        'TikTok Pixel eventsApiMatchKeys',
        'TikTok Pixel before observer',
        'TikTok Pixel enrichment observer'
      ],
      metadata: PLUGIN_NAME,
      packageJson: PACKAGE,
      touched: []
    })
  })
})

describe('the remote plugin, as Segment loads it from its catalog', () => {
  it("runs the tarball's dist/web/tiktok-pixel.js with the tarball's presets", async () => {
    const shop = await h.openShop({
      destinationScript: inApp('node_modules', PACKAGE, 'dist', 'web', 'tiktok-pixel.js'),
      metadataPath: inApp('node_modules', PACKAGE, 'metadata.json')
    })
    expect(shop.destinationUrl).toContain('/custom/')
    const { event, calls } = await completeOrder({ page: shop.page, log: shop, pageErrors: shop.pageErrors })
    expectCompletePayment(calls, event)
    expect(shop.blockedRequests).toEqual([])
  })
})
