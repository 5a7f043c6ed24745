/**
 * Issue 28, items 1 to 6 ("Consent: one state, seen on every event, kept for everything sent"),
 * end to end in Chromium with the real analytics-next, the real consent wrapper
 * (@segment/analytics-consent-tools) and the built destination:
 *
 *  1. the Events API keys follow the pixel's one consent state, not each event's own answer;
 *  2. a consent change counts on every event analytics.js processes, mapped or not, of any type;
 *  3. with Segment's consent wrapper (opt-out and opt-in), a withdrawal mid-page reaches TikTok;
 *  4. a page view refused (or held, then revoked) is sent by the next `page()` once granted;
 *  5. two pixels with different categories: one's refusal changes nothing the other sends;
 *  6. an older TikTok base code, without the consent stubs: the pixel starts, holds and releases.
 *
 * What TikTok sends is read from the emulator's `sent` record, which applies TikTok's consent
 * mode (held calls sent on grant, dropped on revoke).
 *
 * Run: `npm run build && npx jest --selectProjects browser -- e2e/consent`.
 */
import type { Page } from 'playwright-core'
import type { EmulatorCall } from '../devkit/emulator'
import { type Event, HOLD_TIKTOK_SCRIPT, waitForPixel } from './support/expectations'
import {
  type DestinationConfig,
  PIXEL_CODE,
  PIXEL_CODE_2,
  type Shop,
  type ShopOptions,
  useHarness
} from './support/harness'
import { analyticsCall, drain, emulatorSent } from './support/page'
import { segmentApi, type SegmentApi } from './support/segment-api'
import { presetSubscriptions, type Subscription } from './support/subscriptions'
import { OLDER_STUB_METHODS, tiktokBaseCode } from './support/tiktok-base-code'

const h = useHarness()

const CLICK = 'E.C.P.ConsentClick42'
const TTP = '2YjZ2WcT3kQzUi8Ht2pLg6nFvXa'
const CONSENT_UPDATED = 'Segment Consent Preference Updated'

type Preferences = Record<string, boolean>

/** analytics.js options carrying the visitor's answers, as Segment's consent tooling stamps them. */
const answers = (categoryPreferences: Preferences): Record<string, unknown> => ({
  context: { consent: { categoryPreferences } }
})
const advertising = (granted: boolean): Record<string, unknown> => answers({ Advertising: granted })

/** Sends `Products Searched` (the Search preset) with `options`; returns the dispatched event. */
const search = (shop: Shop, query: string, options?: Record<string, unknown>): Promise<Event> =>
  options === undefined
    ? analyticsCall(shop.page, 'track', 'Products Searched', { query })
    : analyticsCall(shop.page, 'track', 'Products Searched', { query }, options)

/** What TikTok sends for `code`, by name: `page`, `Pageview`, `Search:<query>`, ... */
async function sentNames(page: Page, code: string): Promise<string[]> {
  const name = (call: EmulatorCall): string => {
    if (call.method === 'page') return 'page'
    const query = (call.args[1] as { query?: string } | undefined)?.query
    return query === undefined ? String(call.args[0]) : `${String(call.args[0])}:${query}`
  }
  return (await emulatorSent(page, code)).map(name)
}

/** The consent calls pixel `code` got, in order. */
async function consentCalls(shop: Shop, code: string): Promise<string[]> {
  return (await shop.calls(code)).map((call) => call.method).filter((method) => method.endsWith('Consent'))
}

/** Waits until pixel `code` has had `n` consent calls. */
async function waitForConsentCalls(page: Page, code: string, n: number): Promise<void> {
  await page.waitForFunction(
    ([c, count]) =>
      (window.__tiktokEmulator?.callsFor(c as string) ?? []).filter((call) => call.method.endsWith('Consent')).length >=
      (count as number),
    [code, n] as const,
    { polling: 25 }
  )
}

/** The presets but the one named, so events of that kind reach no mapping. */
const presetsWithout = (name: string): Subscription[] =>
  presetSubscriptions().filter((subscription) => subscription.name !== name)

/** The Search preset alone: every other event reaches no mapping of this destination. */
const searchOnly = (): Subscription[] => presetSubscriptions().filter((subscription) => subscription.name === 'Search')

// ------------------------------------------------------------------------------------------------

describe('1. the Events API keys follow the pixel', () => {
  /** A shop with Segment.io answered locally, the keys on, a click landing and a _ttp cookie. */
  async function landing(options: ShopOptions): Promise<{ shop: Shop; api: SegmentApi }> {
    const shop = await h.openShop({
      ...options,
      loadOptions: { integrations: { 'Segment.io': true, 'TikTok Pixel': { eventsApiMatchKeys: true } } }
    })
    const api = await segmentApi(shop)
    await shop.context.addCookies([{ name: '_ttp', value: TTP, url: shop.origin }])
    await shop.page.goto(`${shop.url}?ttclid=${CLICK}`, { waitUntil: 'load' })
    await shop.page.waitForFunction(() => window.__shop?.ready === true)
    await waitForPixel(shop.page, PIXEL_CODE)
    return { shop, api }
  }

  const keysOf = async (api: SegmentApi, query: string): Promise<unknown> => {
    const event = await api.event(`search ${query}`)
    return (event.integrations as Record<string, unknown>)['TikTok Conversions']
  }
  const named = (shop: Shop, query: string, options?: Record<string, unknown>): Promise<Event> =>
    options === undefined
      ? analyticsCall(shop.page, 'track', `search ${query}`, { query })
      : analyticsCall(shop.page, 'track', `search ${query}`, { query }, options)

  // Each step: the event's own answer (undefined: none), and whether the pixel's state then allows keys.
  const orders: Array<[string, Array<[string, boolean | undefined, boolean]>]> = [
    [
      'grant, nothing, deny, nothing, grant, nothing',
      [
        ['g1', true, true],
        ['n1', undefined, true],
        ['d1', false, false],
        ['n2', undefined, false],
        ['g2', true, true],
        ['n3', undefined, true]
      ]
    ],
    [
      'nothing, deny, grant, nothing',
      [
        ['n1', undefined, false],
        ['d1', false, false],
        ['g1', true, true],
        ['n2', undefined, true]
      ]
    ]
  ]

  test.each(orders)('%s: keys exactly while the pixel is granted', async (_order, steps) => {
    const { shop, api } = await landing({ settings: { consentCategory: 'Advertising' } })
    for (const [query, answer] of steps)
      await named(shop, query, answer === undefined ? undefined : advertising(answer))
    for (const [query, , granted] of steps) {
      expect([query, await keysOf(api, query)]).toEqual([query, granted ? { ttclid: CLICK, ttp: TTP } : undefined])
    }
    expect(shop.pageErrors).toEqual([])
  })

  test('the state set by an event no mapping takes reaches the keys of the next one', async () => {
    const { shop, api } = await landing({ settings: { consentCategory: 'Advertising' }, subscriptions: searchOnly() })
    await analyticsCall(shop.page, 'track', CONSENT_UPDATED, {}, advertising(true))
    await named(shop, 'after-grant')
    expect(await keysOf(api, 'after-grant')).toEqual({ ttclid: CLICK, ttp: TTP })
    await analyticsCall(shop.page, 'identify', undefined, {}, advertising(false))
    await named(shop, 'after-denial')
    expect(await keysOf(api, 'after-denial')).toBeUndefined()
  })
})

// ------------------------------------------------------------------------------------------------

describe('2. a consent change on an event no mapping takes', () => {
  // Each type, with subscriptions under which no mapping takes that event.
  const carriers: Array<
    [string, () => Subscription[], (page: Page, options: Record<string, unknown>) => Promise<Event>]
  > = [
    ['track', searchOnly, (page, options) => analyticsCall(page, 'track', CONSENT_UPDATED, {}, options)],
    ['page', () => presetsWithout('Page View'), (page, options) => analyticsCall(page, 'page', {}, options)],
    ['identify', searchOnly, (page, options) => analyticsCall(page, 'identify', undefined, {}, options)],
    ['group', presetSubscriptions, (page, options) => analyticsCall(page, 'group', 'g-1', {}, options)]
  ]

  test.each(carriers)(
    'carried by %s: a grant releases what was held, a denial stops what follows',
    async (_t, subs, carry) => {
      const shop = await h.openShop({ settings: { consentCategory: 'Advertising' }, subscriptions: subs() })
      await waitForPixel(shop.page, PIXEL_CODE)
      await search(shop, 'held')
      await drain(shop.page, PIXEL_CODE)
      expect(await sentNames(shop.page, PIXEL_CODE)).toEqual([])

      await carry(shop.page, advertising(true))
      await drain(shop.page, PIXEL_CODE)
      expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['page', 'Search:held'])

      await carry(shop.page, advertising(false))
      await search(shop, 'after-denial')
      await drain(shop.page)
      expect(await consentCalls(shop, PIXEL_CODE)).toEqual(['holdConsent', 'grantConsent', 'revokeConsent'])
      expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['page', 'Search:held'])
      expect(shop.pageErrors).toEqual([])
    }
  )

  test('a denial before any grant, on an unmapped event, drops what was held', async () => {
    const shop = await h.openShop({ settings: { consentCategory: 'Advertising' }, subscriptions: searchOnly() })
    await waitForPixel(shop.page, PIXEL_CODE)
    await search(shop, 'held')
    await analyticsCall(shop.page, 'track', CONSENT_UPDATED, {}, advertising(false))
    await search(shop, 'refused')
    await drain(shop.page)
    expect(await consentCalls(shop, PIXEL_CODE)).toEqual(['holdConsent', 'revokeConsent'])
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual([])
  })
  /**
   * Events called in one task: analytics.js runs an event's destinations after the next events'
   * plugins have started, so the next event's answer is seen first. Each event keeps the state it
   * was made in: one made while refused is never sent nor keyed, even when the next one grants.
   */
  async function inOneTask(start: boolean | undefined, next: boolean): Promise<{ shop: Shop; api: SegmentApi }> {
    const shop = await h.openShop({
      settings: { consentCategory: 'Advertising' },
      loadOptions: { integrations: { 'Segment.io': true, 'TikTok Pixel': { eventsApiMatchKeys: true } } }
    })
    const api = await segmentApi(shop)
    await shop.page.goto(`${shop.url}?ttclid=${CLICK}`, { waitUntil: 'load' })
    await shop.page.waitForFunction(() => window.__shop?.ready === true)
    await waitForPixel(shop.page, PIXEL_CODE)
    if (start !== undefined) await analyticsCall(shop.page, 'track', 'Answered', {}, advertising(start))
    await shop.page.evaluate(
      ([answer]) => {
        const analytics = (window as unknown as { analytics: Record<string, (...x: unknown[]) => unknown> }).analytics
        void analytics.track('Products Searched', { query: 'made' })
        void analytics.track('Answered Next', {}, answer)
      },
      [advertising(next)] as const
    )
    return { shop, api }
  }
  const clickOn = async (api: SegmentApi, name: string): Promise<unknown> =>
    ((await api.event(name)).integrations?.['TikTok Conversions'] as { ttclid?: string } | undefined)?.ttclid

  test.each([
    ['refused, then an event and a grant in one task: the event is neither sent nor keyed', false, []],
    [
      'held, then an event and a grant in one task: the event is released, without keys',
      undefined,
      ['page', 'Search:made']
    ]
  ])('%s', async (_t, start: boolean | undefined, sent: string[]) => {
    const { shop, api } = await inOneTask(start, true)
    await drain(shop.page, PIXEL_CODE)
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(sent)
    expect(await clickOn(api, 'Products Searched')).toBeUndefined()
    expect(await clickOn(api, 'Answered Next')).toBe(CLICK)
  })

  test('granted, then an event and a denial in one task: the event keeps its keys', async () => {
    const { shop, api } = await inOneTask(true, false)
    await drain(shop.page)
    expect(await clickOn(api, 'Products Searched')).toBe(CLICK)
    expect(await clickOn(api, 'Answered Next')).toBeUndefined()
  })
})

// ------------------------------------------------------------------------------------------------

describe("3. Segment's consent wrapper", () => {
  const CATEGORIES = { Advertising: true, Analytics: true }
  /** Consent Management maps Advertising to TikTok Pixel; every category is mapped to some destination. */
  const wrapped = (consentModel: 'opt-in' | 'opt-out', categories: Preferences): ShopOptions => ({
    consentWrapper: { consentModel, categories },
    cdnSettings: {
      integrations: {
        'Segment.io': { apiKey: 'e2e-write-key' },
        'TikTok Pixel': { consentSettings: { categories: ['Advertising'] } }
      },
      consentSettings: { allCategories: ['Advertising', 'Analytics'], hasUnmappedDestinations: false }
    }
  })

  /** The visitor changes their answers in the consent banner. */
  const change = (page: Page, categories: Preferences): Promise<void> =>
    page.evaluate(
      (c) => (window as unknown as { __consent: { change(c: Preferences): void } }).__consent.change(c),
      categories
    )

  const withdrawals: Array<['opt-in' | 'opt-out', string, Preferences]> = [
    ['opt-out', 'Advertising only', { Advertising: false, Analytics: true }],
    ['opt-out', 'every category', { Advertising: false, Analytics: false }],
    ['opt-in', 'Advertising only', { Advertising: false, Analytics: true }],
    ['opt-in', 'every category', { Advertising: false, Analytics: false }]
  ]

  test.each(withdrawals)('%s, withdrawing %s mid-page: TikTok gets revokeConsent at once', async (model, _w, after) => {
    const shop = await h.openShop(wrapped(model, CATEGORIES))
    await waitForPixel(shop.page, PIXEL_CODE)
    await search(shop, 'granted')
    await drain(shop.page, PIXEL_CODE)
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['page', 'Search:granted'])

    await change(shop.page, after)
    // The wrapper's own event is all that carries the change: no other event is sent before TikTok hears it.
    await waitForConsentCalls(shop.page, PIXEL_CODE, 3)
    expect(await consentCalls(shop, PIXEL_CODE)).toEqual(['holdConsent', 'grantConsent', 'revokeConsent'])

    await search(shop, 'withdrawn')
    await drain(shop.page)
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['page', 'Search:granted'])
    expect(await consentCalls(shop, PIXEL_CODE)).toEqual(['holdConsent', 'grantConsent', 'revokeConsent'])
    expect(shop.pageErrors).toEqual([])
  })

  test('opt-out, refused at load then granted mid-page: held events dropped, later ones sent', async () => {
    const shop = await h.openShop(wrapped('opt-out', { Advertising: false, Analytics: true }))
    await waitForPixel(shop.page, PIXEL_CODE)
    await search(shop, 'refused')
    await drain(shop.page)
    expect(await consentCalls(shop, PIXEL_CODE)).toEqual(['holdConsent', 'revokeConsent'])

    await change(shop.page, CATEGORIES)
    await waitForConsentCalls(shop.page, PIXEL_CODE, 3)
    await search(shop, 'granted')
    await drain(shop.page, PIXEL_CODE)
    expect(await consentCalls(shop, PIXEL_CODE)).toEqual(['holdConsent', 'revokeConsent', 'grantConsent'])
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['Search:granted'])
  })

  test('opt-in, refused at load: the wrapper does not load TikTok Pixel at all', async () => {
    const shop = await h.openShop(wrapped('opt-in', { Advertising: false, Analytics: true }))
    await search(shop, 'refused')
    await drain(shop.page)
    expect(shop.tiktokRequests).toEqual([])
    expect(await shop.page.evaluate(() => window.ttq === undefined)).toBe(true)
  })
})

// ------------------------------------------------------------------------------------------------

describe('4. a refused page view is not lost', () => {
  const pageView = (shop: Shop, options?: Record<string, unknown>): Promise<Event> =>
    options === undefined ? analyticsCall(shop.page, 'page') : analyticsCall(shop.page, 'page', {}, options)

  test.each([true, false])(
    'autoPageView %s: page() refused, an event grants, page() again: one page view is sent',
    async (autoPageView) => {
      const shop = await h.openShop({ settings: { consentCategory: 'Advertising', autoPageView } })
      await waitForPixel(shop.page, PIXEL_CODE)
      await pageView(shop, advertising(false))
      await search(shop, 'granted', advertising(true))
      await pageView(shop)
      await drain(shop.page, PIXEL_CODE)
      expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['Search:granted', 'Pageview'])
    }
  )

  test.each([
    [
      'a refusal then a grant',
      true,
      [
        ['track("Refused", {}, ', false],
        ['track("Products Searched", { query: "b" }, ', true]
      ]
    ],
    [
      'a refusal then a grant, no page() of the snippet',
      false,
      [
        ['track("Refused", {}, ', false],
        ['track("Products Searched", { query: "b" }, ', true]
      ]
    ],
    [
      'a page() refused then a grant',
      false,
      [
        ['page({}, ', false],
        ['track("Products Searched", { query: "b" }, ', true]
      ]
    ]
  ] as Array<[string, boolean, Array<[string, boolean]>]>)(
    '%s before analytics.js has loaded, page() for the same address after: one page view',
    async (_t, snippetPage, calls) => {
      const script =
        '<script>' +
        calls.map(([call, granted]) => `analytics.${call}${JSON.stringify(advertising(granted))})`).join(';') +
        '</script>'
      const shop = await h.openShop({ snippetPage, settings: { consentCategory: 'Advertising' }, bodyHtml: script })
      await waitForPixel(shop.page, PIXEL_CODE)
      await pageView(shop)
      await drain(shop.page, PIXEL_CODE)
      expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['Search:b', 'Pageview'])
    }
  )

  test('the load page view held, then revoked by a track: the next page() once granted is sent', async () => {
    const shop = await h.openShop({ settings: { consentCategory: 'Advertising' } })
    await waitForPixel(shop.page, PIXEL_CODE)
    await search(shop, 'refused', advertising(false))
    await search(shop, 'granted', advertising(true))
    await pageView(shop)
    await drain(shop.page, PIXEL_CODE)
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['Search:granted', 'Pageview'])
  })

  test('the load page view released by a grant is counted: page() for the same address is not sent again', async () => {
    const shop = await h.openShop({ settings: { consentCategory: 'Advertising' } })
    await waitForPixel(shop.page, PIXEL_CODE)
    await search(shop, 'granted', advertising(true))
    await search(shop, 'refused', advertising(false))
    await search(shop, 'granted-again', advertising(true))
    await pageView(shop)
    await drain(shop.page, PIXEL_CODE)
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['page', 'Search:granted', 'Search:granted-again'])
  })
})

// ------------------------------------------------------------------------------------------------

describe('5. two pixels, two consent answers', () => {
  const pixel = (code: string, category: string): DestinationConfig => ({
    settings: { pixelCode: code, consentCategory: category }
  })
  const ADVERTISING_PIXEL = pixel(PIXEL_CODE, 'Advertising')
  const MARKETING_PIXEL = pixel(PIXEL_CODE_2, 'Marketing')

  async function landing(destinations: DestinationConfig[]): Promise<{ shop: Shop; api: SegmentApi }> {
    const shop = await h.openShop({
      destinations,
      loadOptions: { integrations: { 'Segment.io': true, 'TikTok Pixel': { eventsApiMatchKeys: true } } }
    })
    const api = await segmentApi(shop)
    await shop.page.goto(`${shop.url}?ttclid=${CLICK}`, { waitUntil: 'load' })
    await shop.page.waitForFunction(() => window.__shop?.ready === true)
    return { shop, api }
  }
  const nextPage = async (shop: Shop): Promise<void> => {
    await shop.page.goto(shop.url, { waitUntil: 'load' })
    await shop.page.waitForFunction(() => window.__shop?.ready === true)
    await waitForPixel(shop.page, PIXEL_CODE)
    await waitForPixel(shop.page, PIXEL_CODE_2)
  }
  const clickOf = async (api: SegmentApi, name: string): Promise<unknown> =>
    ((await api.event(name)).integrations?.['TikTok Conversions'] as { ttclid?: string } | undefined)?.ttclid
  const BOTH = { Advertising: true, Marketing: true }
  const MARKETING_ONLY = { Advertising: false, Marketing: true }

  test.each([
    ['Advertising pixel first', [ADVERTISING_PIXEL, MARKETING_PIXEL]],
    ['Marketing pixel first', [MARKETING_PIXEL, ADVERTISING_PIXEL]]
  ])('%s: one refusal keeps the click and every event of the other pixel', async (_order, destinations) => {
    const { shop, api } = await landing(destinations)
    await analyticsCall(shop.page, 'track', 'Landed', {}, answers(BOTH))
    await analyticsCall(shop.page, 'track', 'Advertising Refused', {}, answers(MARKETING_ONLY))
    await nextPage(shop)
    await analyticsCall(shop.page, 'track', 'Next Page', {}, answers(MARKETING_ONLY))
    await search(shop, 'marketing', answers(MARKETING_ONLY))
    await analyticsCall(shop.page, 'track', 'Later')
    await drain(shop.page, PIXEL_CODE_2)

    expect(await clickOf(api, 'Landed')).toBe(CLICK)
    expect(await clickOf(api, 'Advertising Refused')).toBe(CLICK)
    expect(await clickOf(api, 'Next Page')).toBe(CLICK)
    expect(await clickOf(api, 'Later')).toBe(CLICK)
    // The Marketing pixel sends all it would alone; the Advertising pixel nothing after its refusal.
    expect(await sentNames(shop.page, PIXEL_CODE_2)).toEqual(['page', 'Search:marketing'])
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual([])
    expect(await consentCalls(shop, PIXEL_CODE)).toEqual(['holdConsent', 'revokeConsent'])
    expect(await consentCalls(shop, PIXEL_CODE_2)).toEqual(['holdConsent', 'grantConsent'])
  })

  test('refused by both, the click is forgotten', async () => {
    const { shop, api } = await landing([ADVERTISING_PIXEL, MARKETING_PIXEL])
    await analyticsCall(shop.page, 'track', 'Landed', {}, answers(BOTH))
    await analyticsCall(shop.page, 'track', 'Both Refused', {}, answers({ Advertising: false, Marketing: false }))
    await nextPage(shop)
    await analyticsCall(shop.page, 'track', 'Granted Again', {}, answers(BOTH))
    expect(await clickOf(api, 'Landed')).toBe(CLICK)
    expect(await clickOf(api, 'Both Refused')).toBeUndefined()
    expect(await clickOf(api, 'Granted Again')).toBeUndefined()
  })
})

// ------------------------------------------------------------------------------------------------

describe('6. any base code TikTok has published', () => {
  const older = (pixels?: string[]): string => tiktokBaseCode({ methods: OLDER_STUB_METHODS, pixels })
  // The base code on the page, and whether TikTok's script is still on its way when the destination starts.
  const variants: Array<[string, string, boolean]> = [
    ['an older base code that loaded this pixel, its script still loading', older([PIXEL_CODE]), true],
    ['an older base code that loaded this pixel, its script arrived', older([PIXEL_CODE]), false],
    ['an older base code without this pixel', older(), true],
    ['an older base code with another pixel, its script still loading', older([PIXEL_CODE_2]), true],
    [
      "today's base code that loaded this pixel, its script still loading",
      tiktokBaseCode({ pixels: [PIXEL_CODE] }),
      true
    ]
  ]

  /** A shop with `headHtml` as the site's base code; with `slowScript`, TikTok's script waits for `release`. */
  async function openWithBaseCode(
    headHtml: string,
    slowScript: boolean
  ): Promise<{ shop: Shop; release(): Promise<void> }> {
    const shop = await h.openShop({
      headHtml,
      initScript: slowScript ? HOLD_TIKTOK_SCRIPT : undefined,
      settings: { consentCategory: 'Advertising', autoPageView: false }
    })
    if (!slowScript) await waitForPixel(shop.page, PIXEL_CODE)
    const release = async (): Promise<void> => {
      if (slowScript)
        await shop.page.evaluate(() => (window as unknown as { __releaseTikTok(): void }).__releaseTikTok())
      await waitForPixel(shop.page, PIXEL_CODE)
    }
    return { shop, release }
  }

  test.each(variants)('%s: held from the start, released on grant, dropped on revoke', async (_v, headHtml, slow) => {
    const { shop, release } = await openWithBaseCode(headHtml, slow)
    await search(shop, 'held')
    await release()
    await drain(shop.page, PIXEL_CODE)
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual([])

    await search(shop, 'granted', advertising(true))
    await drain(shop.page, PIXEL_CODE)
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['Search:held', 'Search:granted'])

    await search(shop, 'refused', advertising(false))
    await search(shop, 'after')
    await drain(shop.page)
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['Search:held', 'Search:granted'])
    expect(await consentCalls(shop, PIXEL_CODE)).toEqual(['holdConsent', 'grantConsent', 'revokeConsent'])
    expect(shop.consoleMessages.filter((message) => message.text.includes('[TikTok Pixel]'))).toEqual([])
    expect(shop.pageErrors).toEqual([])
  })

  test('an older base code: a revocation before any grant, queued behind the slow script, drops what was held', async () => {
    const { shop, release } = await openWithBaseCode(older([PIXEL_CODE]), true)
    await search(shop, 'held')
    await search(shop, 'refused', advertising(false))
    await search(shop, 'granted', advertising(true))
    await release()
    await drain(shop.page, PIXEL_CODE)
    expect(await sentNames(shop.page, PIXEL_CODE)).toEqual(['Search:granted'])
    expect(await consentCalls(shop, PIXEL_CODE)).toEqual(['holdConsent', 'revokeConsent', 'grantConsent'])
  })
})
