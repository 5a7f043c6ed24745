/**
 * Issue 28, items 7–11: promises kept over a whole visit, in Chromium with the real
 * analytics-next and the built destination, loaded both ways.
 *
 * - a logout page's `analytics.reset()`, buffered until analytics.js has loaded, is honoured;
 * - the known customer goes through Identify only, never through Report Web Event;
 * - the objects a site passes (options, integrations, properties, traits) are never changed;
 * - a click keeps the time it was first seen;
 * - a single-page app's addresses are each counted once, whatever the order of loading and routing.
 *
 * Run: `npm run build && npx jest --selectProjects browser -- e2e/visit`.
 */
import type { EmulatorCall } from '../devkit/emulator'
import { type Event, MODES, sha256, waitForPixel } from './support/expectations'
import { PIXEL_CODE, type Shop, type ShopOptions, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { segmentApi, type SegmentApi } from './support/segment-api'
import { presetSubscriptions, type Subscription } from './support/subscriptions'

const h = useHarness()

/** The page's AnalyticsBrowser, as the shop page sets it. */
interface WithAnalytics {
  analytics: Record<string, (...args: unknown[]) => Promise<unknown>>
}

const USER_ID = 'user-1'
const EMAIL = 'jane@example.com'
const CUSTOMER_DIGESTS = [sha256(EMAIL), sha256(USER_ID)]

/** Opens the shop page again, with `query`, and waits for analytics.js. */
async function visit(shop: Shop, query = ''): Promise<void> {
  await shop.page.goto(shop.url + query, { waitUntil: 'load' })
  await shop.page.waitForFunction(() => window.__shop?.ready === true)
}

/** Every call this pixel got on the page open now, once everything sent so far has arrived. */
async function drainedCalls(shop: Shop): Promise<EmulatorCall[]> {
  await waitForPixel(shop.page, PIXEL_CODE)
  await drain(shop.page, PIXEL_CODE)
  return shop.calls(PIXEL_CODE)
}

const sentNothingOf = (calls: EmulatorCall[], digests: string[]): void => {
  const sent = JSON.stringify(calls)
  for (const digest of digests) expect(sent).not.toContain(digest)
}

describe.each(MODES)('the known customer (%s)', (mode) => {
  /** A shop whose page runs `script` (inline, before analytics.js has loaded) when its query holds `?logout`. */
  const LOGOUT = (script: string): string =>
    `<script>if (location.search.indexOf('logout') !== -1) { ${script} }</script>`

  async function signedIn(options: ShopOptions): Promise<Shop> {
    const shop = await h.openShop({ mode, snippetPage: true, ...options })
    await waitForPixel(shop.page, PIXEL_CODE)
    await analyticsCall(shop.page, 'identify', USER_ID, { email: EMAIL })
    return shop
  }

  test.each([
    ['after the page call, as on a logout page', 'analytics.reset()'],
    ['before another identify of a new customer', "analytics.reset(); analytics.identify('user-2')"],
    ['twice, with a track call between', "analytics.reset(); analytics.track('Logged Out'); analytics.reset()"]
  ])('a reset() buffered until analytics.js loads is honoured: %s', async (_, script) => {
    const shop = await signedIn({ bodyHtml: LOGOUT(script) })
    await visit(shop, '?logout=1')
    const calls = await drainedCalls(shop)
    sentNothingOf(calls, CUSTOMER_DIGESTS)
    expect(calls.filter((call) => call.method === 'page')).toHaveLength(1)
  })

  test('a reset() called before the page call, from the moment analytics.js is created, is honoured', async () => {
    // Runs as the page assigns window.analytics, so reset() is buffered before the page call.
    const resetOnCreation = `
      if (location.search.indexOf('logout') !== -1) {
        Object.defineProperty(window, 'analytics', {
          configurable: true,
          set: function (value) {
            Object.defineProperty(window, 'analytics', { value: value, writable: true, configurable: true })
            value.reset()
          }
        })
      }`
    const shop = await signedIn({ initScript: resetOnCreation })
    await visit(shop, '?logout=1')
    sentNothingOf(await drainedCalls(shop), CUSTOMER_DIGESTS)
  })

  test('without a reset the known customer still goes first, before the page view and the buffered page call', async () => {
    const shop = await signedIn({ bodyHtml: LOGOUT('analytics.track("Buffered")') })
    await visit(shop, '?logout=1')
    const calls = await drainedCalls(shop)
    expect(calls[0]).toEqual({
      method: 'identify',
      args: [{ sha256_email: sha256(EMAIL), external_id: sha256(USER_ID) }]
    })
    expect(calls[1]).toEqual({ method: 'page', args: [] })
  })

  test('a reset() after load: nothing of the customer in what follows', async () => {
    const shop = await signedIn({})
    await visit(shop)
    await drainedCalls(shop)
    await shop.page.evaluate(() => (window as unknown as { analytics: { reset(): void } }).analytics.reset())
    const before = (await shop.calls(PIXEL_CODE)).length
    await analyticsCall(shop.page, 'track', 'Order Completed', { order_id: 'o-1', revenue: 3 })
    await analyticsCall(shop.page, 'identify', { plan: 'free' })
    sentNothingOf((await drainedCalls(shop)).slice(before), CUSTOMER_DIGESTS)
  })

  test.each([
    ['no Identify mapping', false],
    ['the identify option', true]
  ])(
    'goes through Identify only: a Report Web Event mapping triggered by identify calls never replays it (%s)',
    async (_, identifyOption) => {
      const registration: Subscription = {
        ...presetSubscriptions().find((subscription) => subscription.name === 'Complete Registration')!,
        subscribe: 'type = "identify"'
      }
      const subscriptions = presetSubscriptions()
        .filter((subscription) => subscription.partnerAction !== 'identify')
        .concat(registration)
      const shop = await signedIn({
        subscriptions,
        loadOptions: { integrations: { 'TikTok Pixel': { identify: identifyOption } } }
      })
      // The sign-in itself is a registration the visitor did.
      expect((await drainedCalls(shop)).filter((call) => call.args[0] === 'CompleteRegistration')).toHaveLength(1)
      await visit(shop)
      await visit(shop)
      const calls = await drainedCalls(shop)
      expect(JSON.stringify(calls)).not.toContain('CompleteRegistration')
      expect(calls.filter((call) => call.method === 'identify')).toHaveLength(identifyOption ? 1 : 0)
    }
  )
})

describe.each(MODES)("the site's own objects (%s)", (mode) => {
  const CLICK = 'E.C.P.site-objects'

  async function openShop(options: ShopOptions = {}): Promise<{ shop: Shop; api: SegmentApi }> {
    const shop = await h.openShop({
      mode,
      ...options,
      loadOptions: { ...options.loadOptions, integrations: { 'Segment.io': true } }
    })
    const api = await segmentApi(shop)
    await shop.context.addCookies([{ name: '_ttp', value: 'first-ttp', url: shop.origin }])
    await visit(shop, `?ttclid=${CLICK}`)
    return { shop, api }
  }

  test('one options object reused across calls is never changed, and each event gets the current cookie', async () => {
    const { shop, api } = await openShop()
    const before = await shop.page.evaluate(async () => {
      const page = window as unknown as Record<string, unknown>
      page.options = { integrations: { 'TikTok Conversions': { region: 'eu' } }, context: { locale: 'fr' } }
      page.properties = { order_id: 'o-1', revenue: 10, products: [{ product_id: 'p-1', price: 10 }] }
      await (window as unknown as WithAnalytics).analytics.track('First', page.properties, page.options)
      return JSON.stringify([page.options, page.properties])
    })
    await shop.page.evaluate(() => void (document.cookie = '_ttp=second-ttp; path=/'))
    // Past the second a _ttp value read is kept.
    await shop.context.clock.setFixedTime(new Date(Date.now() + 5000))
    const after = await shop.page.evaluate(async () => {
      const page = window as unknown as Record<string, unknown>
      await (window as unknown as WithAnalytics).analytics.track('Second', page.properties, page.options)
      await (window as unknown as WithAnalytics).analytics.page('Shop', page.properties, page.options)
      return JSON.stringify([page.options, page.properties])
    })
    const result = { before, after }
    expect(result.after).toBe(result.before)
    expect((await api.event('First')).integrations['TikTok Conversions']).toEqual({
      region: 'eu',
      ttclid: CLICK,
      ttp: 'first-ttp'
    })
    expect((await api.event('Second')).integrations['TikTok Conversions']).toEqual({
      region: 'eu',
      ttclid: CLICK,
      ttp: 'second-ttp'
    })
  })

  test('frozen objects: every action still sends, and nothing is thrown or warned', async () => {
    const { shop, api } = await openShop()
    const errors = await shop.page.evaluate(async () => {
      const deepFreeze = <T>(value: T): T => {
        if (value && typeof value === 'object') {
          Object.values(value).forEach(deepFreeze)
          Object.freeze(value)
        }
        return value
      }
      // analytics.js adds to the event's context, which it takes from the options as given.
      const options = deepFreeze({ integrations: { 'TikTok Conversions': { region: 'eu' }, Other: { setting: 1 } } })
      const properties = deepFreeze({ order_id: 'o-2', revenue: 5, currency: 'EUR', products: [{ product_id: 'p' }] })
      const traits = deepFreeze({ email: 'frozen@example.com', address: { country: 'FR' } })
      const failures: string[] = []
      for (const call of [
        () => (window as unknown as WithAnalytics).analytics.track('Order Completed', properties, options),
        () => (window as unknown as WithAnalytics).analytics.identify('frozen-user', traits, options),
        () => (window as unknown as WithAnalytics).analytics.page('Shop', properties, options)
      ]) {
        await call().catch((error: unknown) => failures.push(String(error)))
      }
      return failures
    })
    expect(errors).toEqual([])
    const calls = await drainedCalls(shop)
    expect(calls.some((call) => call.method === 'track' && call.args[0] === 'CompletePayment')).toBe(true)
    expect(
      calls.some(
        (call) => call.method === 'identify' && JSON.stringify(call.args).includes(sha256('frozen@example.com'))
      )
    ).toBe(true)
    expect((await api.event('Order Completed')).integrations['TikTok Conversions']).toEqual({
      region: 'eu',
      ttclid: CLICK,
      ttp: 'first-ttp'
    })
    expect(shop.consoleMessages.filter((entry) => entry.text.includes('[TikTok Pixel]'))).toEqual([])
    expect(shop.pageErrors).toEqual([])
  })

  test('after consent is revoked, an event reusing the options of a granted one carries no keys', async () => {
    const { shop, api } = await openShop({ settings: { consentCategory: 'Advertising' } })
    await shop.page.evaluate(async () => {
      const integrations = { 'TikTok Conversions': {} }
      const consent = (granted: boolean) => ({ consent: { categoryPreferences: { Advertising: granted } } })
      await (window as unknown as WithAnalytics).analytics.track(
        'Granted',
        {},
        { integrations, context: consent(true) }
      )
      await (window as unknown as WithAnalytics).analytics.track(
        'Revoked',
        {},
        { integrations, context: consent(false) }
      )
    })
    expect((await api.event('Granted')).integrations['TikTok Conversions']).toEqual({ ttclid: CLICK, ttp: 'first-ttp' })
    expect((await api.event('Revoked')).integrations['TikTok Conversions']).toEqual({})
  })
})

describe('a click keeps the time it was first seen', () => {
  const A = 'E.C.P.first'
  const B = 'E.C.P.second'
  const DAY = 24 * 60 * 60 * 1000
  const T = new Date('2026-03-02T10:00:00Z').getTime()

  async function clickAt(shop: Shop, at: number, query: string, name: string): Promise<Event> {
    await shop.context.clock.setFixedTime(new Date(at))
    await visit(shop, query)
    await analyticsCall(shop.page, 'track', name)
    return analyticsCall(shop.page, 'track', `${name} Again`)
  }

  const clickOf = (event: Event): unknown =>
    (event.integrations as Record<string, { ttclid?: string } | undefined> | undefined)?.['TikTok Conversions']?.ttclid

  test.each(MODES)(
    'an old landing address reopened neither revives its click nor replaces a newer one (%s)',
    async (mode) => {
      const shop = await h.openShop({ mode })
      expect(clickOf(await clickAt(shop, T, `?ttclid=${A}`, 'Landing A'))).toBe(A)
      // A's week is over: its address reopened (history, a restored tab) does not start another.
      expect(clickOf(await clickAt(shop, T + 8 * DAY, `?ttclid=${A}`, 'A Reopened'))).toBeUndefined()
      expect(clickOf(await clickAt(shop, T + 9 * DAY, `?ttclid=${B}`, 'Landing B'))).toBe(B)
      // The older click's address again: B stays, for its own week.
      expect(clickOf(await clickAt(shop, T + 10 * DAY, `?ttclid=${A}`, 'A Again'))).toBe(B)
      expect(clickOf(await clickAt(shop, T + 16 * DAY - 60_000, '', 'B Last Minute'))).toBe(B)
      expect(clickOf(await clickAt(shop, T + 16 * DAY, `?ttclid=${B}`, 'B Over'))).toBeUndefined()
    }
  )

  test('a time stored in the future (the clock set back) does not lengthen a click', async () => {
    const shop = await h.openShop()
    // Landed while the clock was a month ahead; then the clock was put right.
    expect(clickOf(await clickAt(shop, T + 30 * DAY, `?ttclid=${A}`, 'Wrong Clock'))).toBe(A)
    expect(clickOf(await clickAt(shop, T, '', 'Clock Right'))).toBe(A)
    expect(clickOf(await clickAt(shop, T + 7 * DAY - 60_000, '', 'Within A Week'))).toBe(A)
    expect(clickOf(await clickAt(shop, T + 7 * DAY, '', 'A Week On'))).toBeUndefined()
  })
})

describe.each(MODES)('each address counted once (%s)', (mode) => {
  /** Page views TikTok got: the pixel's own on load and the Page View mapping's. */
  const pageViews = (calls: EmulatorCall[]): number =>
    calls.filter((call) => call.method === 'page' || (call.method === 'track' && call.args[0] === 'Pageview')).length

  interface Visit {
    /** Whether the snippet's page() for the landing address is called. */
    landingPage: boolean
    /** Run inline while analytics.js loads: after the snippet's page(), before the destination loads. */
    beforeLoad: string
    afterLoad: ('route' | 'back' | 'page')[]
    views: number
  }
  const ROUTE = "history.pushState({}, '', '/route'); "
  const PAGE = 'analytics.page(); '

  test.each<[string, Visit]>([
    [
      'page(), route change, page(), all before load',
      { landingPage: true, beforeLoad: ROUTE + PAGE, afterLoad: [], views: 2 }
    ],
    [
      'a route change and its page() before load, none for the landing',
      { landingPage: false, beforeLoad: ROUTE + PAGE, afterLoad: [], views: 1 }
    ],
    [
      'route change before load, its page() after load',
      { landingPage: true, beforeLoad: ROUTE, afterLoad: ['page'], views: 2 }
    ],
    [
      'route change and its page() after load',
      { landingPage: true, beforeLoad: '', afterLoad: ['route', 'page'], views: 2 }
    ],
    [
      'two route changes before load, a page() for each',
      {
        landingPage: true,
        beforeLoad: ROUTE + PAGE + "history.pushState({}, '', '/other'); " + PAGE,
        afterLoad: [],
        views: 3
      }
    ],
    [
      'back to the landing address after load, with a page()',
      { landingPage: true, beforeLoad: ROUTE, afterLoad: ['page', 'back', 'page'], views: 3 }
    ],
    [
      'a hash change before load',
      { landingPage: true, beforeLoad: "history.pushState({}, '', '#details'); ", afterLoad: [], views: 1 }
    ],
    [
      'a hash route with its own page() before load',
      { landingPage: true, beforeLoad: "history.pushState({}, '', '#/cart'); " + PAGE, afterLoad: [], views: 2 }
    ]
  ])('%s', async (_, { landingPage, beforeLoad, afterLoad, views }) => {
    const shop = await h.openShop({
      mode,
      snippetPage: landingPage,
      bodyHtml: `<script>window.landing = location.href; ${beforeLoad}</script>`
    })
    for (const step of afterLoad) {
      if (step === 'route') await shop.page.evaluate(() => history.pushState({}, '', '/route'))
      if (step === 'back')
        await shop.page.evaluate(() => history.pushState({}, '', (window as unknown as { landing: string }).landing))
      if (step === 'page') await analyticsCall(shop.page, 'page')
    }
    expect(pageViews(await drainedCalls(shop))).toBe(views)
  })

  test('a canonical link: the page() reporting it is the page counted at load', async () => {
    const shop = await h.openShop({
      mode,
      snippetPage: true,
      headHtml: '<link rel="canonical" href="http://canonical.test/product">'
    })
    await analyticsCall(shop.page, 'page')
    // The snippet's page() for the canonical address is the load's; the second is another view.
    expect(pageViews(await drainedCalls(shop))).toBe(2)
  })
})
