/**
 * The playground (`npm start`) in Chromium: its Service Worker answers TikTok's script with the
 * pixel emulator, the live view shows what the pixel received for each Segment event, settings
 * take effect after the reload, each card tells the truth (counted by the automatic page view,
 * held by consent, values dropped, errors in the status bar), and nothing leaves the machine.
 * Keeps a screenshot in playground/.artifacts/, and refreshes docs/playground.png when
 * UPDATE_SCREENSHOT=1.
 *
 * Runs against the build: `npm run build && npx jest --selectProjects tooling -- playground`.
 */
import { createHash } from 'node:crypto'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startPlayground, type Playground } from '../server'
import { isLocalUrl, launchBrowser } from '../../devkit/browser'
import type { EmulatorState } from '../../devkit/emulator'
import { REPO_ROOT } from '../../devkit/paths'

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex')

const SCREENSHOT = path.join(
  REPO_ROOT,
  ...(process.env.UPDATE_SCREENSHOT === '1' ? ['docs'] : ['playground', '.artifacts']),
  'playground.png'
)
const DEFAULT_PIXEL_CODE = 'CPLAYGROUNDPIXEL0001'

let browser: Browser
let playground: Playground

beforeAll(async () => {
  const [b, p] = await Promise.allSettled([launchBrowser(), startPlayground({ port: 0 })])
  if (b.status === 'rejected' || p.status === 'rejected') {
    if (b.status === 'fulfilled') await b.value.close()
    if (p.status === 'fulfilled') await p.value.close()
    throw b.status === 'rejected' ? b.reason : (p as PromiseRejectedResult).reason
  }
  browser = b.value
  playground = p.value
})

afterAll(async () => {
  await Promise.all([browser?.close(), playground?.close()])
})

interface Visit {
  context: BrowserContext
  page: Page
  /** Requests that were not for this machine; all aborted. */
  offMachine: string[]
  pageErrors: string[]
}

/** A fresh visitor (own context, so the Service Worker installs from scratch) with routing on. */
async function visit(query = ''): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const offMachine: string[] = []
  // Anything not for localhost is aborted and recorded. TikTok's script must never get here: the
  // playground's Service Worker answers it before the network (and Playwright) sees it.
  await context.route('**/*', (route) => {
    const url = route.request().url()
    if (isLocalUrl(url)) return route.continue()
    offMachine.push(url)
    return route.abort('blockedbyclient')
  })
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto(playground.url + query)
  await waitReady(page)
  return { context, page, offMachine, pageErrors }
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const p = (window as unknown as { __playground?: { ready: boolean; error: string | null } }).__playground
      return p?.ready === true || (p?.error ?? null) !== null
    },
    undefined,
    { polling: 25 }
  )
  const error = await page.evaluate(
    () => (window as unknown as { __playground: { error: string | null } }).__playground.error
  )
  if (error) throw new Error(`playground failed to start: ${error}`)
}

const emulator = (page: Page): Promise<EmulatorState | null> =>
  page.evaluate(() => window.__tiktokEmulator?.snapshot() ?? null)

/** The live-view card of the latest Segment event named `name`, once TikTok's calls are in it. */
function eventCard(page: Page, name: string) {
  return page.locator(`#live-list article[data-kind="segment"][data-event="${name}"]`).first()
}

describe('playground', () => {
  test('Identify and Order Completed show what the TikTok pixel received; nothing leaves the machine', async () => {
    const { context, page, offMachine, pageErrors } = await visit()
    try {
      // The destination's script tag kept TikTok's URL; the Service Worker answered it with the emulator.
      await page.waitForFunction(() => (window.__tiktokEmulator?.scriptLoads ?? 0) > 0)
      const start = await emulator(page)
      expect(start?.scriptUrls).toEqual([
        `https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=${DEFAULT_PIXEL_CODE}&lib=ttq`
      ])
      await expect(page.locator('#standin').textContent()).resolves.toContain('Stand-in for TikTok')

      await page.getByRole('button', { name: 'Identify', exact: true }).click()
      const identify = eventCard(page, 'Identify').locator('.call[data-method="identify"]')
      await identify.waitFor()
      const identifyText = (await identify.textContent()) ?? ''
      expect(identifyText).toContain('sha256_email')
      expect(identifyText).toContain(sha256('jane.doe@example.com'))
      expect(identifyText).not.toContain('Jane.Doe@Example.com')

      await page.getByRole('button', { name: 'Products Searched', exact: true }).click()
      await eventCard(page, 'Products Searched').locator('.call[data-tiktok-event="Search"]').waitFor()

      await page.getByRole('button', { name: 'Order Completed', exact: true }).click()
      const order = eventCard(page, 'Order Completed')
      const track = order.locator('.call[data-method="track"]')
      await track.waitFor()
      await expect(track.getAttribute('data-tiktok-event')).resolves.toBe('CompletePayment')
      const messageId = await order.getAttribute('data-message-id')
      expect(messageId).toMatch(/^ajs-/)
      await expect(track.getAttribute('data-event-id')).resolves.toBe(messageId)
      const trackText = (await track.textContent()) ?? ''
      for (const expected of [
        'sku-run-1042',
        'Trail Runner 2',
        'sku-jkt-0310',
        'Packable Rain Jacket',
        '208.9',
        'USD'
      ]) {
        expect(trackText).toContain(expected)
      }
      await expect(order.locator('.segment').textContent()).resolves.toContain('ORD-50314')
      // The identify the destination made together with the track is grouped with it: the user's ID, hashed.
      await expect(order.locator('.call[data-method="identify"]').textContent()).resolves.toContain(sha256('user-1024'))

      // The live view shows the emulator's record, not a recomputation.
      const recorded = (await emulator(page))!.pixels[DEFAULT_PIXEL_CODE].calls.find(
        (c) => c.method === 'track' && c.args[0] === 'CompletePayment'
      )
      expect(recorded?.args[2]).toEqual({ event_id: messageId })
      expect((recorded?.args[1] as { contents: unknown[] }).contents).toEqual([
        {
          content_id: 'sku-run-1042',
          content_name: 'Trail Runner 2',
          content_category: 'Shoes',
          brand: 'Northpeak',
          price: 89.9,
          quantity: 1
        },
        {
          content_id: 'sku-jkt-0310',
          content_name: 'Packable Rain Jacket',
          content_category: 'Outerwear',
          brand: 'Northpeak',
          price: 59.5,
          quantity: 2
        }
      ])

      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
      await page.screenshot({ path: SCREENSHOT, fullPage: false })

      expect(offMachine).toEqual([])
      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  })

  test('a setting takes effect after the reload: automatic page view off', async () => {
    const { context, page, offMachine } = await visit()
    try {
      // Default: the pixel sends the automatic page view; the snippet's first page call adds nothing.
      await page.locator('#live-list article[data-kind="pixel"] .call[data-method="page"]').waitFor()
      const firstPage = eventCard(page, 'Page')
      await firstPage.locator('[data-note="counted"]').waitFor()
      await expect(firstPage.locator('[data-note="counted"]').textContent()).resolves.toContain(
        'Counted by the automatic page view'
      )

      await page.locator('#autoPageView').uncheck()
      await Promise.all([page.waitForURL(/autoPageView=false/), page.getByRole('button', { name: 'Apply' }).click()])
      await waitReady(page)
      await expect(page.locator('#autoPageView').isChecked()).resolves.toBe(false)

      // Now no ttq.page() at start-up, and the snippet's page call is sent as a Pageview.
      const pageview = eventCard(page, 'Page').locator('.call[data-method="track"][data-tiktok-event="Pageview"]')
      await pageview.waitFor()
      const calls = (await emulator(page))!.pixels[DEFAULT_PIXEL_CODE].calls
      expect(calls.map((c) => c.method)).not.toContain('page')
      await expect(
        page.locator('#live-list article[data-kind="pixel"] .call[data-method="page"]').count()
      ).resolves.toBe(0)

      // The Service Worker refuses anything else off the machine before the network sees it.
      await expect(
        page.evaluate(() =>
          fetch('https://cdn.segment.com/v1/projects/playground/settings').then(
            () => 'sent',
            () => 'refused'
          )
        )
      ).resolves.toBe('refused')
      await page.locator('.notice-warn', { hasText: 'cdn.segment.com' }).waitFor()
      expect(offMachine).toEqual([])
    } finally {
      await context.close()
    }
  })

  test('an event held by consent shows as held, and as released once consent is granted', async () => {
    const { context, page } = await visit('?consentCategory=Advertising')
    try {
      await page.getByRole('button', { name: 'Products Searched', exact: true }).click()
      const held = eventCard(page, 'Products Searched')
      await held.locator('.call[data-tiktok-event="Search"][data-held="true"]').waitFor()
      await expect(held.locator('[data-note="held"]').textContent()).resolves.toContain('Held, not sent')

      await page.locator('#consent-choice').selectOption('true')
      await page.getByRole('button', { name: 'Order Completed', exact: true }).click()
      const granted = eventCard(page, 'Order Completed')
      await granted.locator('.call[data-tiktok-event="CompletePayment"]').waitFor()
      await expect(granted.locator('[data-held]').count()).resolves.toBe(0)
      await expect(held.locator('[data-note="held"]').textContent()).resolves.toContain(
        'until consent was granted, then released'
      )
    } finally {
      await context.close()
    }
  })

  test('an invalid pixel code is an error in the status bar, not "ready"', async () => {
    const { context, page } = await visit('?pixelCode=not-a-pixel-code')
    try {
      const status = page.locator('#status[data-state="error"]')
      await status.waitFor()
      const text = (await status.textContent()) ?? ''
      expect(text).toMatch(/^error · /)
      expect(text).toContain('Pixel Code')
      expect(text).not.toContain('ready')
    } finally {
      await context.close()
    }
  })

  test('values dropped as not valid for TikTok are listed on the event, with the console warning', async () => {
    const { context, page } = await visit()
    try {
      const event = {
        type: 'track',
        event: 'Order Completed',
        properties: { order_id: 'ORD-1', revenue: 'a lot', currency: 'dollars' }
      }
      await page.locator('#editor').fill(JSON.stringify(event))
      await page.getByRole('button', { name: 'Send', exact: true }).click()
      const card = eventCard(page, 'Order Completed')
      await card.locator('[data-note="dropped"]').waitFor()
      const dropped = await card.locator('[data-note="dropped"] li').allTextContents()
      expect(dropped).toEqual(['value ← properties.revenue = "a lot"', 'currency ← properties.currency = "dollars"'])
      const track = card.locator('.call[data-tiktok-event="CompletePayment"]')
      expect(await track.textContent()).toContain('ORD-1')
      // The destination's own console warnings, one per field left out, show on the event that caused them.
      await expect(card.locator('[data-note="warning"]').allTextContents()).resolves.toEqual([
        'console.warn: [TikTok Pixel] field value is not a number: it is left out, and the rest of the event is sent.',
        'console.warn: [TikTok Pixel] field currency is not an ISO 4217 currency code (such as USD): it is left out, and the rest of the event is sent.'
      ])
    } finally {
      await context.close()
    }
  })
})
