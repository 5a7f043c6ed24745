/**
 * Test harness for the browser tests: one Chromium and one local server per test file, and a
 * fresh browser context ("shop visitor") per openShop() call.
 *
 *   const h = useHarness()                      // registers beforeAll/afterEach/afterAll
 *   const shop = await h.openShop({ settings: { pixelCode: 'C1' } })
 *   await shop.page.evaluate(() => window.analytics.track('Order Completed', { revenue: 5 }))
 *   const calls = await shop.waitForCalls('C1', 2)
 *
 * In every shop:
 *  - requests for analytics.tiktok.com are answered with the events.js emulator (a test double)
 *    or, with `tiktokBlocked: true`, aborted as `blockedbyclient` (like an ad blocker); all counted;
 *  - any other request that is not for this machine (127.0.0.1 / localhost / shop.test) is
 *    aborted and recorded in `shop.blockedRequests`;
 *  - analytics-next loads the destination as a remote plugin (default) or bundled;
 *  - every destination is subscribed to the marker event of `drain()` besides its own subscriptions.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { ensureAnalyticsBundle } from '../../devkit/analytics-bundle'
import { launchBrowser } from '../../devkit/browser'
import type { EmulatorCall, EmulatorState } from '../../devkit/emulator'
import { LIBRARY_NAME, PLUGIN_NAME } from '../../devkit/constants'
import { BUILD_DIR, DESTINATION_SCRIPT, DIST_DIR } from '../../devkit/paths'
import { startServer, type ServedRequest, type StaticServer } from '../../devkit/server'
import { routeRequests, type RequestLog } from './network'
import { emulatorCalls, emulatorState, recordPage, waitForCalls, type ConsoleEntry } from './page'
import { renderShopPage, type ConsentWrapperConfig, type ShopMode, type ShopPageConfig } from './shop-page'
import { markerSubscription, presetSubscriptions, type Subscription } from './subscriptions'

export interface DestinationSettings {
  pixelCode: string
  ldu?: boolean
  autoPageView?: boolean
  consentCategory?: string
  [key: string]: unknown
}

/** One instance of the destination in the workspace (one remote plugin entry). */
export interface DestinationConfig {
  settings: DestinationSettings
  /** Default: every preset in metadata.json, enabled. */
  subscriptions?: Subscription[]
  /** What `settings.subscriptions` holds, made from the subscriptions and the marker's (default: that list). */
  subscriptionsSetting?: (subscriptions: Subscription[]) => unknown
  /**
   * remotePlugins[].creationName: the name analytics-next gives the wrapped plugins (and what
   * `integrations: { [name]: false }` and routing rules match). Default 'TikTok Pixel' for the first
   * destination, 'TikTok Pixel 2', 'TikTok Pixel 3', ... for further ones.
   */
  creationName?: string
  /**
   * remotePlugins[].name. Default: creationName in 'remote' mode; 'TikTok Pixel' in 'bundled' mode,
   * because analytics-next only uses a bundled factory for entries whose name equals its
   * pluginName; for any other name it fetches `url` (and re-runs the destination IIFE).
   */
  name?: string
  /** remotePlugins[].url. Default: the destination script on the local server. */
  url?: string
  /** remotePlugins[].libraryName. Default LIBRARY_NAME. */
  libraryName?: string
}

export interface ShopOptions {
  /** How analytics-next gets the destination (default 'remote'); 'none' loads no analytics at all. */
  mode?: ShopMode
  /** Settings of the (single) destination; pixelCode defaults to PIXEL_CODE. Ignored with `destinations`. */
  settings?: Partial<DestinationSettings>
  /** Subscriptions of the (single) destination. Default: the presets. Ignored with `destinations`. */
  subscriptions?: Subscription[]
  /** What the (single) destination's `settings.subscriptions` holds. Ignored with `destinations`. */
  subscriptionsSetting?: (subscriptions: Subscription[]) => unknown
  /** Several destination instances (e.g. two pixel codes). Overrides settings/subscriptions. */
  destinations?: DestinationConfig[]
  /** Abort every analytics.tiktok.com request with net::ERR_BLOCKED_BY_CLIENT. */
  tiktokBlocked?: boolean
  /** Open the shop on http://shop.test:<port> (not a secure context) instead of http://127.0.0.1:<port>. */
  insecure?: boolean
  /** HTML put in <head> before analytics-next loads (e.g. tiktokBaseCode(...)). */
  headHtml?: string
  bodyHtml?: string
  /** Call analytics.page() right after AnalyticsBrowser.load(), like the standard snippet. Default false. */
  snippetPage?: boolean
  /** Wait until AnalyticsBrowser.load() has resolved (default true; ignored in 'none' mode). */
  waitForReady?: boolean
  /** Extra InitOptions; `integrations` is merged over `{ 'Segment.io': false }`. */
  loadOptions?: Record<string, unknown>
  /** Merged over the generated cdnSettings (integrations, remotePlugins, metrics). */
  cdnSettings?: Record<string, unknown>
  /**
   * Destination script to serve. Default: $E2E_DESTINATION_SCRIPT, else dist/web/tiktok-pixel.js.
   * (The env variable lets the harness run against a throwaway build while dist/ does not exist.)
   */
  destinationScript?: string
  /** metadata.json to read presets from. Default: $E2E_METADATA, else ./metadata.json. */
  metadataPath?: string
  /** Runs before the page's own scripts, in every frame (Playwright addInitScript). */
  initScript?: string
  /** Load analytics-next through Segment's consent wrapper with this model and the visitor's first answers. */
  consentWrapper?: ConsentWrapperConfig
  writeKey?: string
}

export interface Shop extends RequestLog {
  page: Page
  context: BrowserContext
  /** Origin the shop was opened on. */
  origin: string
  /** Full URL of the shop page. */
  url: string
  /** URL of the destination script as given to analytics-next / the page. */
  destinationUrl: string
  /** The cdnSettings and options the page passed to AnalyticsBrowser.load. */
  config: ShopPageConfig
  consoleMessages: ConsoleEntry[]
  /** Uncaught exceptions and unhandled rejections in the page. */
  pageErrors: string[]
  /** Requests the local server answered for this shop (path + query), in order. */
  serverRequests(): ServedRequest[]
  /** window.__tiktokEmulator.callsFor(code). */
  calls(code: string): Promise<EmulatorCall[]>
  waitForCalls(code: string, n: number, timeoutMs?: number): Promise<EmulatorCall[]>
  emulator(): Promise<EmulatorState | null>
  /** Failed <script>/<link>/<img> loads seen by the page. */
  resourceErrors(): Promise<Array<{ tag: string; url: string }>>
  close(): Promise<void>
}

export interface Harness {
  readonly browser: Browser
  readonly server: StaticServer
  openShop(options?: ShopOptions): Promise<Shop>
  /** Closes every shop opened so far. */
  closeShops(): Promise<void>
  close(): Promise<void>
}

export const PIXEL_CODE = 'CE2ETESTPIXEL0000001'
export const PIXEL_CODE_2 = 'CE2ETESTPIXEL0000002'
export const WRITE_KEY = 'e2e-write-key'

declare global {
  interface Window {
    __shop?: {
      config: ShopPageConfig
      ready: boolean
      loadError: string | null
      resourceErrors: Array<{ tag: string; url: string }>
      rejections: string[]
    }
  }
}

function destinationScriptPath(options: ShopOptions): string {
  const file = path.resolve(options.destinationScript ?? (process.env.E2E_DESTINATION_SCRIPT || DESTINATION_SCRIPT))
  if (!fs.existsSync(file)) {
    throw new Error(`Destination script not found at ${file}: run \`npm run build\` first.`)
  }
  return file
}

// ----------------------------------------------------------------------------------------------
// The harness

export async function startHarness(): Promise<Harness> {
  // If one of the two fails, close the other: a listening server left behind keeps jest from exiting.
  const [browserResult, serverResult] = await Promise.allSettled([launchBrowser(), startServer()])
  if (browserResult.status === 'rejected' || serverResult.status === 'rejected') {
    if (browserResult.status === 'fulfilled') await browserResult.value.close().catch(() => undefined)
    if (serverResult.status === 'fulfilled') await serverResult.value.close().catch(() => undefined)
    throw browserResult.status === 'rejected' ? browserResult.reason : (serverResult as PromiseRejectedResult).reason
  }
  const browser = browserResult.value
  const server = serverResult.value
  server.mount('/dist', DIST_DIR)
  server.mount('/build', BUILD_DIR)
  const shops = new Set<Shop>()
  const mountedScripts = new Map<string, string>()

  function urlPathFor(file: string): string {
    if (file === DESTINATION_SCRIPT || file.startsWith(DIST_DIR + path.sep)) {
      return '/dist/' + path.relative(DIST_DIR, file).split(path.sep).join('/')
    }
    let mounted = mountedScripts.get(file)
    if (!mounted) {
      mounted = `/custom/${mountedScripts.size + 1}`
      server.mount(mounted, path.dirname(file))
      mountedScripts.set(file, mounted)
    }
    return `${mounted}/${path.basename(file)}`
  }

  async function openShop(options: ShopOptions = {}): Promise<Shop> {
    const mode = options.mode ?? 'remote'
    const origin = server.originFor(options.insecure === true)
    const writeKey = options.writeKey ?? WRITE_KEY

    let destinationUrl = ''
    let remotePlugins: Array<Record<string, unknown>> = []
    if (mode !== 'none') {
      await ensureAnalyticsBundle()
      destinationUrl = origin + urlPathFor(destinationScriptPath(options))
      let subscriptions: Subscription[] | undefined
      const defaults = (): Subscription[] => (subscriptions ??= presetSubscriptions(options.metadataPath))
      const destinations: DestinationConfig[] = options.destinations ?? [
        {
          settings: { pixelCode: PIXEL_CODE, ...options.settings },
          subscriptions: options.subscriptions,
          subscriptionsSetting: options.subscriptionsSetting
        }
      ]
      remotePlugins = destinations.map((d, i) => {
        const creationName = d.creationName ?? (i === 0 ? PLUGIN_NAME : `${PLUGIN_NAME} ${i + 1}`)
        // Bundled factories are matched by name === pluginName; any other name makes analytics-next
        // fetch `url` after all (and re-run the IIFE). So bundled entries keep the plugin's name.
        const name = d.name ?? (mode === 'bundled' ? PLUGIN_NAME : creationName)
        return {
          name,
          creationName,
          libraryName: d.libraryName ?? LIBRARY_NAME,
          url: d.url ?? destinationUrl,
          settings: {
            ...d.settings,
            subscriptions: (d.subscriptionsSetting ?? ((list) => list))([
              ...(d.subscriptions ?? defaults()),
              markerSubscription
            ])
          }
        }
      })
    }

    const userIntegrations = (options.loadOptions?.integrations ?? {}) as Record<string, unknown>
    const config: ShopPageConfig = {
      mode,
      writeKey,
      analyticsUrl: `${origin}/build/analytics-next.js`,
      destinationUrl,
      libraryName: LIBRARY_NAME,
      cdnSettings: {
        integrations: { 'Segment.io': { apiKey: writeKey } },
        remotePlugins,
        // analytics-next reports usage metrics to api.segment.io every 30s unless sampled out.
        metrics: { sampleRate: 0 },
        ...options.cdnSettings
      },
      loadOptions: {
        ...options.loadOptions,
        integrations: { 'Segment.io': false, ...userIntegrations }
      },
      snippetPage: options.snippetPage === true,
      headHtml: options.headHtml,
      bodyHtml: options.bodyHtml,
      consentWrapper: options.consentWrapper
    }

    const context = await browser.newContext({ serviceWorkers: 'block' })
    const network = await routeRequests(context, options)
    if (options.initScript) await context.addInitScript({ content: options.initScript })

    const page = await context.newPage()
    const { consoleMessages, pageErrors } = recordPage(page)

    const serverLogStart = server.requests.length
    const url = origin + server.addPage(renderShopPage(config))
    const shop: Shop = {
      page,
      context,
      origin,
      url,
      destinationUrl,
      config,
      ...network,
      consoleMessages,
      pageErrors,
      serverRequests: () => server.requests.slice(serverLogStart),
      calls: (code) => emulatorCalls(page, code),
      waitForCalls: (code, n, timeoutMs) => waitForCalls(page, code, n, timeoutMs),
      emulator: () => emulatorState(page),
      resourceErrors: () => page.evaluate(() => window.__shop?.resourceErrors ?? []),
      close: async () => {
        shops.delete(shop)
        await context.close()
      }
    }
    shops.add(shop)

    await page.goto(url, { waitUntil: 'load' })
    if (mode !== 'none' && options.waitForReady !== false) {
      await page
        .waitForFunction(() => window.__shop?.ready === true || window.__shop?.loadError != null, undefined, {
          polling: 25
        })
        .catch((err: unknown) => {
          throw new Error(`analytics-next did not finish loading: ${String(err)}`, { cause: err })
        })
      const loadError = await page.evaluate(() => window.__shop?.loadError ?? null)
      if (loadError) throw new Error(`analytics-next failed to load in the shop page: ${loadError}`)
    }
    return shop
  }

  return {
    browser,
    server,
    openShop,
    async closeShops() {
      await Promise.all([...shops].map((s) => s.close()))
    },
    async close() {
      await Promise.all([...shops].map((s) => s.close().catch(() => undefined)))
      await Promise.all([browser.close(), server.close()])
    }
  }
}

/**
 * Jest wiring: launches Chromium and the server once for the file (beforeAll), closes the shops
 * after each test and everything after the file. Use the returned object inside tests only.
 */
export function useHarness(): Harness {
  let harness: Harness | undefined
  const get = (): Harness => {
    if (!harness) throw new Error('The harness is not started: use it inside tests, after beforeAll.')
    return harness
  }
  beforeAll(async () => {
    harness = await startHarness()
  })
  afterEach(async () => {
    await harness?.closeShops()
  })
  afterAll(async () => {
    await harness?.close()
  })
  return {
    get browser() {
      return get().browser
    },
    get server() {
      return get().server
    },
    openShop: (options) => get().openShop(options),
    closeShops: () => get().closeShops(),
    close: () => get().close()
  }
}
