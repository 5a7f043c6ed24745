/**
 * Issue "hash PII in the browser, honour consent", end to end in Chromium with the real
 * analytics-next and the built destination (dist/web/tiktok-pixel.js):
 *
 *  - exact SHA-256 digests of the normalised e-mail, phone number and user ID on a secure page;
 *  - digests given upstream pass through unchanged;
 *  - plain-http pages (no Web Crypto) send normalised values under the plain keys;
 *  - raw identifiers never sit in `window.ttq` (blocked, slow and loaded script) nor in the console;
 *  - the Consent Category setting: hold, grant once, revoke once, no event while revoked; LDU apart.
 *
 * Run: `npm run build && npx jest --selectProjects browser -- e2e/privacy`.
 */
import type { Page } from 'playwright-core'
import type { EmulatorCall } from '../devkit/emulator'
import {
  type Event,
  HOLD_TIKTOK_SCRIPT,
  identifyCall,
  pageCall,
  sha256,
  trackCall,
  waitForConsole,
  waitForPixel
} from './support/expectations'
import { PIXEL_CODE, type Shop, useHarness } from './support/harness'
import { analyticsCall, drain } from './support/page'
import { presetSubscriptions, type Subscription } from './support/subscriptions'

const h = useHarness()

// ------------------------------------------------------------------------------------------------
// Inputs and what they must become

const RAW_EMAIL = ' Jane@Example.COM '
const RAW_PHONE = '+1 (415) 555-0101'
const USER_ID = 'user-1'
const EMAIL = 'jane@example.com'
const PHONE = '+14155550101'

const HASHED_USER = {
  sha256_email: sha256(EMAIL),
  sha256_phone_number: sha256(PHONE),
  external_id: sha256(USER_ID)
}

/** Every spelling of the identifiers that must never reach `window.ttq` or the console on a secure page. */
const RAW_VALUES = [RAW_EMAIL.trim(), EMAIL, RAW_PHONE, PHONE, PHONE.slice(1), '4155550101', '555-0101', USER_ID]

// ------------------------------------------------------------------------------------------------
// Helpers

/**
 * Everything reachable from `window.ttq` (own properties of the stub or loaded pixel, its `_i`
 * queues, `_o`, `_t`, ...), as JSON. Functions are shown as '[function]'.
 */
async function ttqDump(page: Page): Promise<string> {
  return page.evaluate(() => {
    const seen = new Set<unknown>()
    const walk = (value: unknown): unknown => {
      if (typeof value === 'function') return '[function]'
      if (value === null || typeof value !== 'object') return value
      if (seen.has(value)) return '[seen]'
      seen.add(value)
      const out: Record<string, unknown> = {}
      for (const key of Object.getOwnPropertyNames(value)) {
        if (key === 'length' && Array.isArray(value)) continue
        try {
          out[key] = walk((value as Record<string, unknown>)[key])
        } catch {
          out[key] = '[throws]'
        }
      }
      return out
    }
    return JSON.stringify(walk((window as unknown as { ttq?: unknown }).ttq) ?? null)
  })
}

function expectNoRawValues(text: string, where: string): void {
  const lower = text.toLowerCase()
  for (const value of RAW_VALUES) {
    if (lower.includes(value.toLowerCase())) throw new Error(`${where} contains ${JSON.stringify(value)}: ${text}`)
  }
}

function expectCleanConsole(shop: Shop): void {
  expectNoRawValues(JSON.stringify(shop.consoleMessages), 'the console')
  expectNoRawValues(JSON.stringify(shop.pageErrors), 'the page errors')
}

/** The Order Completed event carrying the raw identifiers, and what TikTok must get for it. */
const orderWithPii = { order_id: 'o-1', revenue: 12.5, currency: 'eur', email: RAW_EMAIL, phone: RAW_PHONE }
const orderProperties = { value: 12.5, currency: 'EUR', order_id: 'o-1' }

// ------------------------------------------------------------------------------------------------

describe('hashing on a secure page (Web Crypto)', () => {
  test('identify and track send the exact SHA-256 of the normalised e-mail, phone and user ID', async () => {
    const shop = await h.openShop()
    expect(await shop.page.evaluate(() => window.isSecureContext && typeof crypto.subtle)).toBe('object')
    await waitForPixel(shop.page, PIXEL_CODE)

    const identified = await analyticsCall(shop.page, 'identify', USER_ID, { email: RAW_EMAIL, phone: RAW_PHONE })
    expect(identified).toMatchObject({ type: 'identify', userId: USER_ID })
    const tracked = await analyticsCall(shop.page, 'track', 'Order Completed', orderWithPii, { userId: USER_ID })
    expect(tracked.userId).toBe(USER_ID)
    await shop.waitForCalls(PIXEL_CODE, 4)
    await drain(shop.page, PIXEL_CODE)

    expect(await shop.calls(PIXEL_CODE)).toEqual([
      pageCall(),
      identifyCall(HASHED_USER),
      identifyCall(HASHED_USER),
      trackCall('CompletePayment', orderProperties, tracked)
    ])
    const all = JSON.stringify(await shop.emulator())
    for (const key of ['"email"', '"phone_number"']) expect(all).not.toContain(key)
    expectNoRawValues(all, "what TikTok's script received")
    expectCleanConsole(shop)
    expect(shop.pageErrors).toEqual([])
  })

  test('SHA-256 digests given as e-mail, phone and user ID pass through unchanged', async () => {
    const digests = {
      email: sha256('pre@example.com'),
      phone: sha256('+15550000000'),
      userId: sha256('pre-hashed-user')
    }
    const shop = await h.openShop()
    await waitForPixel(shop.page, PIXEL_CODE)

    await analyticsCall(shop.page, 'identify', digests.userId, { email: digests.email, phone: digests.phone })
    const tracked = await analyticsCall(
      shop.page,
      'track',
      'Order Completed',
      { order_id: 'o-2', email: digests.email, phone: digests.phone },
      { userId: digests.userId }
    )
    await shop.waitForCalls(PIXEL_CODE, 4)
    await drain(shop.page, PIXEL_CODE)

    const user = { sha256_email: digests.email, sha256_phone_number: digests.phone, external_id: digests.userId }
    expect(await shop.calls(PIXEL_CODE)).toEqual([
      pageCall(),
      identifyCall(user),
      identifyCall(user),
      trackCall('CompletePayment', { order_id: 'o-2' }, tracked)
    ])
    // Not hashed a second time.
    const all = JSON.stringify(await shop.emulator())
    for (const digest of Object.values(digests)) expect(all).not.toContain(sha256(digest))
  })
})

describe('plain-http page (no Web Crypto)', () => {
  test('normalised values go under the plain keys; a digest still goes under sha256_email', async () => {
    const shop = await h.openShop({ insecure: true })
    expect(await shop.page.evaluate(() => ({ secure: window.isSecureContext, subtle: typeof crypto.subtle }))).toEqual({
      secure: false,
      subtle: 'undefined'
    })
    await waitForPixel(shop.page, PIXEL_CODE)

    await analyticsCall(shop.page, 'identify', USER_ID, { email: RAW_EMAIL, phone: RAW_PHONE })
    const tracked = await analyticsCall(shop.page, 'track', 'Order Completed', orderWithPii, { userId: USER_ID })
    const digest = sha256('digest@example.com')
    const withDigest = await analyticsCall(
      shop.page,
      'track',
      'Order Completed',
      { order_id: 'o-3', email: digest, phone: RAW_PHONE },
      { userId: USER_ID }
    )
    await shop.waitForCalls(PIXEL_CODE, 6)
    await drain(shop.page, PIXEL_CODE)

    const plainUser = { email: EMAIL, phone_number: PHONE, external_id: USER_ID }
    expect(await shop.calls(PIXEL_CODE)).toEqual([
      pageCall(),
      identifyCall(plainUser),
      identifyCall(plainUser),
      trackCall('CompletePayment', orderProperties, tracked),
      identifyCall({ sha256_email: digest, phone_number: PHONE, external_id: USER_ID }),
      trackCall('CompletePayment', { order_id: 'o-3' }, withDigest)
    ])
    expect(shop.pageErrors).toEqual([])
  })
})

describe('no raw identifiers in window.ttq, the console or page errors', () => {
  /** Sends identify, track and a failing mapping's event, all with the raw identifiers. */
  async function sendPii(shop: Shop): Promise<Event[]> {
    return [
      await analyticsCall(shop.page, 'identify', USER_ID, { email: RAW_EMAIL, phone: RAW_PHONE }),
      await analyticsCall(shop.page, 'track', 'Order Completed', orderWithPii, { userId: USER_ID }),
      // A mapping that fails on this event: its warning must not carry the event's data.
      await analyticsCall(shop.page, 'track', 'Broken Mapping', orderWithPii, { userId: USER_ID })
    ]
  }
  const subscriptions = (): Subscription[] => [
    ...presetSubscriptions(),
    {
      name: 'Broken',
      subscribe: 'event = "Broken Mapping"',
      partnerAction: 'reportWebEvent',
      enabled: true,
      mapping: { event: { '@path': '$.properties.no_such_field' }, email: { '@path': '$.properties.email' } }
    }
  ]

  test("TikTok's script blocked: nothing is left in ttq, no raw value anywhere", async () => {
    const shop = await h.openShop({ tiktokBlocked: true, subscriptions: subscriptions() })
    await sendPii(shop)
    await waitForConsole(shop, (m) => m.type === 'warning' && m.text.includes("TikTok's script did not load"))
    await sendPii(shop)

    const dump = await ttqDump(shop.page)
    expectNoRawValues(dump, 'window.ttq')
    expect(
      await shop.page.evaluate((code) => {
        const ttq = (window as unknown as { ttq: unknown[] & { _i: Record<string, unknown[]> } }).ttq
        return { global: ttq.length, pixel: ttq._i[code]!.length }
      }, PIXEL_CODE)
    ).toEqual({ global: 0, pixel: 0 })
    // The failing mapping did warn (without data).
    expect(shop.consoleMessages.some((m) => m.type === 'warning' && m.text.includes('"Broken"'))).toBe(true)
    expectCleanConsole(shop)
    expect(shop.pageErrors).toEqual([])
  })

  test("TikTok's script slow to arrive: the queued calls already hold digests only", async () => {
    const shop = await h.openShop({ initScript: HOLD_TIKTOK_SCRIPT, subscriptions: subscriptions() })
    expect(await shop.page.evaluate(() => (window as any).__heldTikTokScripts())).toBe(1)
    const [identified, tracked] = await sendPii(shop)

    // The calls sit in the base code's queue for this pixel, hashed.
    const queued = await shop.page.evaluate(
      (code) => JSON.parse(JSON.stringify(Array.from((window as any).ttq._i[code]))) as Array<[string, ...unknown[]]>,
      PIXEL_CODE
    )
    expect(queued).toEqual([
      ['page'],
      ['identify', HASHED_USER],
      ['identify', HASHED_USER],
      ['track', 'CompletePayment', orderProperties, { event_id: tracked!.messageId }]
    ])
    expect(identified!.userId).toBe(USER_ID)
    expectNoRawValues(await ttqDump(shop.page), 'window.ttq (queued)')

    await shop.page.evaluate(() => (window as any).__releaseTikTok())
    await shop.waitForCalls(PIXEL_CODE, 4)
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual(queued.map(([method, ...args]) => ({ method, args })))
    expectNoRawValues(await ttqDump(shop.page), 'window.ttq (loaded)')
    expectCleanConsole(shop)
    expect(shop.pageErrors).toEqual([])
  })

  test("TikTok's script loaded: nothing raw in ttq or what the pixel received", async () => {
    const shop = await h.openShop({ subscriptions: subscriptions() })
    await waitForPixel(shop.page, PIXEL_CODE)
    await sendPii(shop)
    await shop.waitForCalls(PIXEL_CODE, 4)
    await drain(shop.page, PIXEL_CODE)

    expectNoRawValues(await ttqDump(shop.page), 'window.ttq')
    expectNoRawValues(JSON.stringify(await shop.emulator()), "what TikTok's script received")
    expect(shop.consoleMessages.some((m) => m.type === 'warning' && m.text.includes('"Broken"'))).toBe(true)
    expectCleanConsole(shop)
    expect(shop.pageErrors).toEqual([])
  })
})

// ------------------------------------------------------------------------------------------------

describe('consent', () => {
  const consent = (value: boolean): Record<string, unknown> => ({
    context: { consent: { categoryPreferences: { Advertising: value } } }
  })

  /** Sends a Products Searched event (no PII) with `options`; returns the dispatched event. */
  const search = (shop: Shop, query: string, options?: Record<string, unknown>): Promise<Event> =>
    options === undefined
      ? analyticsCall(shop.page, 'track', 'Products Searched', { query })
      : analyticsCall(shop.page, 'track', 'Products Searched', { query }, options)

  const searchCalls = (event: Event): EmulatorCall[] => [
    identifyCall({ external_id: sha256(event.anonymousId as string) }),
    trackCall('Search', { query: (event.properties as { query: string }).query }, event)
  ]

  test('held first, granted once, revoked once, no event while revoked, no info keeps the state', async () => {
    const shop = await h.openShop({ settings: { consentCategory: 'Advertising' } })
    await waitForPixel(shop.page, PIXEL_CODE)
    await drain(shop.page, PIXEL_CODE)
    // holdConsent before anything else, the automatic page view included.
    expect(await shop.calls(PIXEL_CODE)).toEqual([{ method: 'holdConsent', args: [] }, pageCall()])
    expect((await shop.emulator())?.pixels[PIXEL_CODE]?.consent).toBe('held')

    const e1 = await search(shop, 'q1', consent(true))
    expect((e1.context as Event).consent).toEqual({ categoryPreferences: { Advertising: true } })
    const e2 = await search(shop, 'q2', consent(true))
    const e3 = await search(shop, 'q3')
    await search(shop, 'q4', consent(false))
    await search(shop, 'q5')
    await search(shop, 'q6', consent(false))
    const e7 = await search(shop, 'q7', consent(true))
    await drain(shop.page, PIXEL_CODE)

    expect(await shop.calls(PIXEL_CODE)).toEqual([
      { method: 'holdConsent', args: [] },
      pageCall(),
      { method: 'grantConsent', args: [] },
      ...searchCalls(e1),
      ...searchCalls(e2),
      ...searchCalls(e3),
      { method: 'revokeConsent', args: [] },
      { method: 'grantConsent', args: [] },
      ...searchCalls(e7)
    ])
    expect((await shop.emulator())?.pixels[PIXEL_CODE]?.consent).toBe('granted')
    expect(JSON.stringify(await shop.calls(PIXEL_CODE))).not.toMatch(/"q[456]"/)
    expect(shop.pageErrors).toEqual([])
  })

  test('while held, events without an answer for the category are sent and the pixel stays held', async () => {
    const shop = await h.openShop({ settings: { consentCategory: 'Advertising' } })
    await waitForPixel(shop.page, PIXEL_CODE)
    const e1 = await search(shop, 'before-any-answer')
    // Another category's answer is no answer for Advertising.
    const e2 = await search(shop, 'other-category', {
      context: { consent: { categoryPreferences: { Analytics: false } } }
    })
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual([
      { method: 'holdConsent', args: [] },
      pageCall(),
      ...searchCalls(e1),
      ...searchCalls(e2)
    ])
    expect((await shop.emulator())?.pixels[PIXEL_CODE]?.consent).toBe('held')
  })

  test('a revocation as the first answer: one revokeConsent, the event not sent', async () => {
    const shop = await h.openShop({ settings: { consentCategory: 'Advertising' } })
    await waitForPixel(shop.page, PIXEL_CODE)
    await search(shop, 'no', consent(false))
    await search(shop, 'no-again', consent(false))
    await search(shop, 'no-info')
    await drain(shop.page)
    expect(await shop.calls(PIXEL_CODE)).toEqual([
      { method: 'holdConsent', args: [] },
      pageCall(),
      { method: 'revokeConsent', args: [] }
    ])
  })

  test('without a consent category nothing consent-related is called and every event is sent', async () => {
    const shop = await h.openShop()
    await waitForPixel(shop.page, PIXEL_CODE)
    const e1 = await search(shop, 'yes', consent(true))
    const e2 = await search(shop, 'no', consent(false))
    const e3 = await search(shop, 'none')
    await drain(shop.page, PIXEL_CODE)
    expect(await shop.calls(PIXEL_CODE)).toEqual([
      pageCall(),
      ...searchCalls(e1),
      ...searchCalls(e2),
      ...searchCalls(e3)
    ])
    expect((await shop.emulator())?.pixels[PIXEL_CODE]).toMatchObject({
      consent: null,
      options: { limited_data_use: false }
    })
  })

  test('LDU shows in the load options, with or without a consent category', async () => {
    const lduOnly = await h.openShop({ settings: { ldu: true } })
    await waitForPixel(lduOnly.page, PIXEL_CODE)
    await drain(lduOnly.page, PIXEL_CODE)
    expect((await lduOnly.emulator())?.pixels[PIXEL_CODE]).toMatchObject({
      options: { limited_data_use: true },
      consent: null
    })
    expect(await lduOnly.calls(PIXEL_CODE)).toEqual([pageCall()])

    const both = await h.openShop({ settings: { ldu: true, consentCategory: 'Advertising' } })
    await waitForPixel(both.page, PIXEL_CODE)
    const granted = await search(both, 'ldu', consent(true))
    await drain(both.page, PIXEL_CODE)
    expect((await both.emulator())?.pixels[PIXEL_CODE]).toMatchObject({
      options: { limited_data_use: true },
      consent: 'granted'
    })
    expect(await both.calls(PIXEL_CODE)).toEqual([
      { method: 'holdConsent', args: [] },
      pageCall(),
      { method: 'grantConsent', args: [] },
      ...searchCalls(granted)
    ])
  })
})
