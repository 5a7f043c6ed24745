/**
 * Settings and page-load behaviour: the script TikTok's base code injects, Pixel Code checks,
 * Limited Data Use, the automatic page view (rule 5), a blocked script, and pages that already
 * carry TikTok code.
 */
import type { Plugin } from '@segment/analytics-next'
import { destination } from '..'
import { presets } from '../presets'
import { generatePlugins } from '../runtime'
import {
  PIXEL_CODE,
  deliver,
  loadPlugins,
  pixelScripts,
  queued,
  resetPage,
  subscriptionsOf,
  useWebCrypto
} from './support/page'

const SCRIPT_URL = `https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=${PIXEL_CODE}&lib=ttq`
const pageViewPreset = presets.filter((preset) => preset.name === 'Page View')
const cartPreset = presets.filter((preset) => preset.name === 'Add to Cart')

let errors: jest.SpyInstance
let warnings: jest.SpyInstance

beforeEach(() => {
  useWebCrypto()
  resetPage()
  errors = jest.spyOn(console, 'error').mockImplementation(() => undefined)
  warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
})

afterEach(() => {
  errors.mockRestore()
  warnings.mockRestore()
})

async function load(settings: Record<string, unknown>, subscribed = [...pageViewPreset, ...cartPreset]) {
  return loadPlugins(
    generatePlugins(destination, {
      pixelCode: PIXEL_CODE,
      subscriptions: subscriptionsOf(subscribed),
      ...settings
    } as never)
  )
}

let counter = 0
const nextId = () => `msg-${++counter}`

const page = (overrides: Record<string, unknown> = {}) => ({
  type: 'page',
  name: 'Home',
  messageId: nextId(),
  properties: { url: window.location.href, path: window.location.pathname, title: 'Home' },
  ...overrides
})

const addToCart = () => ({
  type: 'track',
  event: 'Product Added',
  messageId: nextId(),
  properties: { product_id: 'sku-1', price: 5, quantity: 1, currency: 'USD', value: 5 }
})

const isPageView = (call: unknown[]) => call[0] === 'page' || (call[0] === 'track' && call[1] === 'Pageview')
const pageViews = () => queued().filter(isPageView)

describe('pixel script', () => {
  it("injects TikTok's script for the pixel, once", async () => {
    await load({})
    expect(pixelScripts().map((script) => script.src)).toEqual([SCRIPT_URL])
    expect(pixelScripts()[0].async).toBe(true)
  })

  it('installs the base code as TikTok expects it', async () => {
    await load({})
    expect(window.TiktokAnalyticsObject).toBe('ttq')
    expect(window.ttq?._partner).toBe('Segment')
    expect(typeof window.ttq?._t?.[PIXEL_CODE]).toBe('number')
    expect((window.ttq?._i?.[PIXEL_CODE] as unknown as { _u: string })._u).toBe(
      'https://analytics.tiktok.com/i18n/pixel/events.js'
    )
  })

  it('loads once however many plugins share the destination', async () => {
    const plugins = generatePlugins(destination, {
      pixelCode: PIXEL_CODE,
      subscriptions: [
        ...subscriptionsOf(presets),
        { name: 'Identify 2', subscribe: 'type = "identify"', partnerAction: 'identify', enabled: true, mapping: {} }
      ]
    })
    // Several plugins (one per action, on either runtime), one script.
    expect(plugins.length).toBeGreaterThan(2)
    await loadPlugins(plugins)
    await loadPlugins(plugins)
    expect(pixelScripts()).toHaveLength(1)
    expect(pageViews()).toEqual([['page']])
  })
})

describe('Pixel Code', () => {
  it('is trimmed', async () => {
    const plugins = await load({ pixelCode: `  ${PIXEL_CODE}\n` })
    expect(pixelScripts().map((script) => script.src)).toEqual([SCRIPT_URL])
    expect(Object.keys(window.ttq?._i ?? {})).toEqual([PIXEL_CODE])
    const event = addToCart()
    await deliver(plugins, event)
    expect(queued().at(-1)).toEqual([
      'track',
      'AddToCart',
      expect.objectContaining({ value: 5 }),
      { event_id: event.messageId }
    ])
    expect(errors).not.toHaveBeenCalled()
  })

  it.each([
    ['with a dash', 'abc-123'],
    ['with markup', '"><script>'],
    ['with a space inside', 'CD9079RC 77U0N3GBV16Y'],
    ['with a URL', 'https://example.com/?sdkid=CD9079RC77U0N3GBV16Y'],
    ['empty', ''],
    ['blank', '   '],
    ['missing', undefined],
    ['a number', 42],
    ['null', null]
  ])('rejects a code %s with a console error and no script', async (_, pixelCode) => {
    const plugins = await load({ pixelCode })
    expect(errors).toHaveBeenCalledTimes(1)
    expect(String(errors.mock.calls[0][0])).toContain('Pixel Code')
    expect(document.querySelectorAll('script')).toHaveLength(0)
    expect(window.ttq).toBeUndefined()

    // analytics carries on: later events resolve and send nothing.
    await expect(deliver(plugins, page())).resolves.toBeUndefined()
    await expect(deliver(plugins, addToCart())).resolves.toBeUndefined()
    expect(window.ttq).toBeUndefined()
    expect(plugins.every((plugin) => plugin.isLoaded())).toBe(true)
  })
})

describe('Limited Data Use', () => {
  it.each([
    [true, { limited_data_use: true }],
    [false, { limited_data_use: false }],
    [undefined, { limited_data_use: false }]
  ])('ldu %p loads the pixel with %p', async (ldu, options) => {
    await load({ ldu })
    expect(window.ttq?._o?.[PIXEL_CODE]).toEqual(options)
  })
})

describe('automatic page view', () => {
  it.each([
    ['by default', {}],
    ['when on', { autoPageView: true }]
  ])('is queued first %s', async (_, settings) => {
    await load(settings)
    expect(queued()).toEqual([['page']])
  })

  it('is not sent when off', async () => {
    await load({ autoPageView: false })
    expect(queued()).toEqual([])
  })

  it('with the Page View mapping: one page view for the page load, one per later page call', async () => {
    const plugins = await load({ autoPageView: true })
    await deliver(plugins, page())
    expect(pageViews()).toEqual([['page']])

    window.history.pushState(null, '', '/products/42')
    const second = page({ name: 'Product' })
    await deliver(plugins, second)
    expect(pageViews()).toEqual([['page'], ['track', 'Pageview', undefined, { event_id: second.messageId }]])

    const third = page({ name: 'Product' })
    await deliver(plugins, third)
    expect(pageViews()).toHaveLength(3)
    expect(pageViews()[2]).toEqual(['track', 'Pageview', undefined, { event_id: third.messageId }])
  })

  it('sends nothing for the first page call, not even its user: TikTok already has that page view', async () => {
    const plugins = await load({ autoPageView: true })
    await deliver(plugins, page({ anonymousId: 'anon-1' }))
    expect(queued()).toEqual([['page']])
  })

  it('sends the first page call when the URL changed since the pixel loaded', async () => {
    const plugins = await load({ autoPageView: true })
    window.history.pushState(null, '', '/checkout')
    const event = page()
    await deliver(plugins, event)
    expect(pageViews()).toEqual([['page'], ['track', 'Pageview', undefined, { event_id: event.messageId }]])
  })

  /** A page call as analytics.js makes it: its page context holds the URL it was made for. */
  const pageAt = (url: string) => page({ context: { page: { url } } })

  it("decides by the page call's own URL: another URL is a page view though the address has not changed", async () => {
    const plugins = await load({ autoPageView: true })
    const event = pageAt(`${window.location.origin}/products/42`)
    await deliver(plugins, event)
    expect(pageViews()).toEqual([['page'], ['track', 'Pageview', undefined, { event_id: event.messageId }]])
  })

  it('skips a first page call made for the page TikTok counted, even when the address changed since', async () => {
    const plugins = await load({ autoPageView: true })
    window.history.pushState(null, '', '/checkout')
    await deliver(plugins, pageAt(`${window.location.origin}/`))
    expect(pageViews()).toEqual([['page']])
  })

  it('knows the page by the URL analytics.js reports: fragment left out, or the canonical link with the query', async () => {
    window.history.replaceState(null, '', '/shoes?color=red#top')
    const canonical = document.createElement('link')
    canonical.rel = 'canonical'
    canonical.href = 'https://shop.example/shoes'
    document.head.appendChild(canonical)
    for (const url of [`${window.location.origin}/shoes?color=red`, 'https://shop.example/shoes?color=red']) {
      delete window.ttq
      const plugins = await load({ autoPageView: true })
      await deliver(plugins, pageAt(url))
      expect(pageViews()).toEqual([['page']])
    }
  })

  it('is not affected by track events before the first page call', async () => {
    const plugins = await load({ autoPageView: true })
    await deliver(plugins, addToCart())
    await deliver(plugins, page())
    expect(pageViews()).toEqual([['page']])
  })

  it('without it, the Page View mapping sends every page call', async () => {
    const plugins = await load({ autoPageView: false })
    const first = page()
    await deliver(plugins, first)
    expect(queued()).toEqual([['track', 'Pageview', undefined, { event_id: first.messageId }]])
  })
})

describe("TikTok's script fails to load (ad blocker, network)", () => {
  it('empties the queue, warns once and sends nothing afterwards', async () => {
    const plugins = await load({ autoPageView: true })
    await deliver(plugins, { ...addToCart(), userId: 'user-1' })
    expect(queued().length).toBeGreaterThan(1)

    const [script] = pixelScripts()
    script.dispatchEvent(new Event('error'))
    script.dispatchEvent(new Event('error'))
    expect(queued()).toEqual([])
    expect(warnings).toHaveBeenCalledTimes(1)

    await expect(deliver(plugins, addToCart())).resolves.toBeUndefined()
    window.history.pushState(null, '', '/next')
    await expect(deliver(plugins, page({ userId: 'user-1' }))).resolves.toBeUndefined()
    expect(queued()).toEqual([])
    expect(errors).not.toHaveBeenCalled()
  })
})

describe("once TikTok's script has replaced the stubs", () => {
  it('sends to the live instance for the pixel', async () => {
    const plugins = await load({ autoPageView: true })
    const live = { page: jest.fn(), track: jest.fn(), identify: jest.fn() }
    const instance = jest.fn(() => live)
    // What events.js does when it arrives: drains the stub and puts working methods in its place.
    window.ttq = { ...window.ttq, instance, load: jest.fn() } as never

    const event = addToCart()
    await deliver(plugins, event)
    await deliver(plugins, addToCart())
    expect(instance).toHaveBeenCalledWith(PIXEL_CODE)
    expect(live.track).toHaveBeenCalledTimes(2)
    expect(live.track.mock.calls[0]).toEqual([
      'AddToCart',
      expect.objectContaining({ value: 5, currency: 'USD' }),
      { event_id: event.messageId }
    ])
    expect(live.page).not.toHaveBeenCalled()
  })
})

/** A page's own copy of TikTok's base code, as advertisers paste it (same behaviour, written for the test). */
function installSiteBaseCode(pixelCode: string, options?: object) {
  const methods = ['page', 'track', 'identify', 'instances', 'debug', 'on', 'off', 'once', 'ready', 'alias']
  methods.push('group', 'enableCookie', 'disableCookie', 'holdConsent', 'revokeConsent', 'grantConsent')
  type Stub = unknown[] & Record<string, any>
  const ttq = [] as unknown as Stub
  const defer = (target: Stub, method: string) => {
    target[method] = (...args: unknown[]) => target.push([method, ...args])
  }
  ttq.methods = methods
  ttq.setAndDefer = defer
  methods.forEach((method) => defer(ttq, method))
  ttq.instance = (code: string) => {
    const queue = (ttq._i[code] ?? []) as Stub
    // As TikTok's base code does: through `ttq.setAndDefer`.
    methods.forEach((method) => ttq.setAndDefer(queue, method))
    return queue
  }
  ttq.load = jest.fn((code: string, options?: object) => {
    const url = 'https://analytics.tiktok.com/i18n/pixel/events.js'
    ttq._i = ttq._i ?? {}
    ttq._i[code] = []
    ttq._i[code]._u = url
    ttq._t = { ...ttq._t, [code]: Date.now() }
    ttq._o = { ...ttq._o, [code]: options ?? {} }
    const script = document.createElement('script')
    script.async = true
    script.src = `${url}?sdkid=${code}&lib=ttq`
    document.head.appendChild(script)
  })
  window.TiktokAnalyticsObject = 'ttq'
  window.ttq = ttq as never
  ttq.load(pixelCode, options)
  ttq.page()
  return ttq
}

describe('TikTok code already on the page', () => {
  // jsdom has no Resource Timing; here no fetch of TikTok's script ever finishes.
  beforeAll(() => {
    performance.getEntriesByName ??= () => []
  })

  it('for the same pixel: no second script, no second load, no second page view', async () => {
    const ttq = installSiteBaseCode(PIXEL_CODE)
    const plugins = await load({ autoPageView: true })
    expect(pixelScripts()).toHaveLength(1)
    expect(ttq.load).toHaveBeenCalledTimes(1)
    expect(ttq._partner).toBeUndefined()
    expect(queued()).toEqual([])

    // The page load was counted by the site's own code; later events go to the same pixel.
    await deliver(plugins, page())
    const cart = addToCart()
    await deliver(plugins, cart)
    expect(queued()).toEqual([
      ['track', 'AddToCart', expect.objectContaining({ value: 5 }), { event_id: cart.messageId }]
    ])
    expect(window.ttq).toBe(ttq)
  })

  it('for another pixel: ours is loaded beside it and still watched for failures', async () => {
    const ttq = installSiteBaseCode('SITEPIXEL00000000000')
    const plugins = await load({ autoPageView: true, ldu: true })
    expect(ttq.load).toHaveBeenCalledTimes(2)
    expect(ttq.load).toHaveBeenLastCalledWith(PIXEL_CODE, { limited_data_use: true })
    expect(pixelScripts().map((script) => script.src)).toEqual([
      'https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=SITEPIXEL00000000000&lib=ttq',
      SCRIPT_URL
    ])
    expect(queued()).toEqual([['page']])
    expect(queued('SITEPIXEL00000000000')).toEqual([])

    pixelScripts()[1].dispatchEvent(new Event('error'))
    await deliver(plugins, addToCart())
    expect(queued()).toEqual([])
    expect(warnings).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['no options', undefined],
    ['its own options', { limited_data_use: false, partner: 'Site' }]
  ])(
    "Limited Data Use on the site's pixel (%s) whose script has not run: set in its load options, theirs kept",
    async (_, siteOptions) => {
      const ttq = installSiteBaseCode(PIXEL_CODE, siteOptions)
      const before = ttq._o[PIXEL_CODE]
      await load({ ldu: true })
      expect(ttq._o[PIXEL_CODE]).toEqual({ ...siteOptions, limited_data_use: true })
      // The site's own options object is not changed.
      expect(before).toEqual(siteOptions ?? {})
      expect(ttq.load).toHaveBeenCalledTimes(1)
      expect(warnings).not.toHaveBeenCalled()
    }
  )

  it("Limited Data Use on the site's pixel whose script has run: one warning naming the way to set it", async () => {
    const ttq = installSiteBaseCode(PIXEL_CODE)
    // TikTok's script replaces the stubs: an instance is no longer a queue the base code made.
    const loadedInstance = { page: jest.fn(), track: jest.fn(), identify: jest.fn() }
    ttq.instance = () => loadedInstance
    await load({ ldu: true })
    expect(ttq._o[PIXEL_CODE]).toEqual({})
    expect(warnings).toHaveBeenCalledTimes(1)
    expect(String(warnings.mock.calls[0][0])).toContain('Limited Data Use is not applied')
    expect(String(warnings.mock.calls[0][0])).toContain('limited_data_use')
  })

  it("without Limited Data Use the site's pixel keeps its options as they are", async () => {
    const ttq = installSiteBaseCode(PIXEL_CODE)
    const before = ttq._o
    await load({ ldu: false })
    expect(ttq._o).toBe(before)
    expect(ttq._o[PIXEL_CODE]).toEqual({})
  })

  it.each([
    ['an unrelated object', () => ({ track: () => 'not TikTok' })],
    ['a string', () => 'ttq'],
    ['null', () => null]
  ])('window.ttq as %s: console error, nothing thrown, nothing sent', async (_, make) => {
    const foreign = make()
    ;(window as unknown as Record<string, unknown>).ttq = foreign
    const plugins = await load({ autoPageView: true })
    expect(errors).toHaveBeenCalledTimes(1)
    expect(String(errors.mock.calls[0][0])).toContain('window.ttq')
    expect(pixelScripts()).toHaveLength(0)
    await expect(deliver(plugins, page())).resolves.toBeUndefined()
    await expect(deliver(plugins, addToCart())).resolves.toBeUndefined()
    expect(window.ttq).toBe(foreign)
    if (foreign !== null && typeof foreign === 'object') expect(Object.keys(foreign)).toEqual(['track'])
  })
})

it('plugins report loaded once initialize has run', async () => {
  const plugins: Plugin[] = generatePlugins(destination, {
    pixelCode: PIXEL_CODE,
    subscriptions: subscriptionsOf(pageViewPreset)
  })
  expect(plugins.length).toBeGreaterThan(0)
  expect(plugins.filter((plugin) => plugin.isLoaded())).toEqual([])
  await loadPlugins(plugins)
  expect(plugins.filter((plugin) => !plugin.isLoaded())).toEqual([])
})
