/**
 * Helpers for a page that runs the destination and the events.js emulator: what TikTok's script
 * was asked to do, waiting for it, and sending events through analytics.js. The marker events of
 * `drain()` are left out of every record these helpers return.
 */
import type { Page } from 'playwright-core'
import type { EmulatorCall, EmulatorState } from '../../devkit/emulator'
import { MARKER_EVENT, MARKER_TIKTOK_EVENT } from './subscriptions'

export interface ConsoleEntry {
  type: string
  text: string
}

/** Starts recording what `page` logs to its console and its uncaught errors. */
export function recordPage(page: Page): { consoleMessages: ConsoleEntry[]; pageErrors: string[] } {
  const record = { consoleMessages: [] as ConsoleEntry[], pageErrors: [] as string[] }
  page.on('console', (msg) => record.consoleMessages.push({ type: msg.type(), text: msg.text() }))
  page.on('pageerror', (err) => record.pageErrors.push(err.message))
  return record
}

const isMarker = (call: EmulatorCall): boolean => call.method === 'track' && call.args[0] === MARKER_TIKTOK_EVENT

/** Everything pixel `code` was asked to do so far ([] when the emulator or the pixel is not there). */
export async function emulatorCalls(page: Page, code: string): Promise<EmulatorCall[]> {
  const calls = await page.evaluate((c) => window.__tiktokEmulator?.callsFor(c) ?? [], code)
  return calls.filter((call) => !isMarker(call))
}

/**
 * What TikTok's script would send for pixel `code` under its consent mode: its page and track
 * calls, held ones once granted, none once revoked (markers left out).
 */
export async function emulatorSent(page: Page, code: string): Promise<EmulatorCall[]> {
  const sent = await page.evaluate((c) => window.__tiktokEmulator?.sentFor(c) ?? [], code)
  return sent.filter((call) => !isMarker(call))
}

/** The emulator's whole record, or null when events.js (the emulator) never ran. */
export async function emulatorState(page: Page): Promise<EmulatorState | null> {
  const state = await page.evaluate(() => window.__tiktokEmulator?.snapshot() ?? null)
  if (!state) return null
  for (const pixel of Object.values(state.pixels)) {
    pixel.calls = pixel.calls.filter((call) => !isMarker(call))
    pixel.sent = pixel.sent.filter((call) => !isMarker(call))
    pixel.held = pixel.held.filter((call) => !isMarker(call))
  }
  return { ...state, log: state.log.filter((entry) => !isMarker(entry)) }
}

/**
 * Waits until pixel `code` has at least `n` recorded calls and returns all of them. On timeout the
 * error shows what was recorded, to make failures readable.
 */
export async function waitForCalls(page: Page, code: string, n: number, timeoutMs?: number): Promise<EmulatorCall[]> {
  try {
    await page.waitForFunction(
      ([c, count, marker]) =>
        (window.__tiktokEmulator?.callsFor(c as string).filter((call) => call.args[0] !== marker).length ?? 0) >=
        (count as number),
      [code, n, MARKER_TIKTOK_EVENT] as const,
      { timeout: timeoutMs, polling: 25 }
    )
  } catch (err) {
    const state = await emulatorState(page).catch(() => null)
    throw new Error(
      `Gave up waiting for ${n} call(s) on pixel ${code}. Emulator state: ` + JSON.stringify(state, null, 1),
      { cause: err }
    )
  }
  return emulatorCalls(page, code)
}

/**
 * Calls `window.analytics[method](...args)` in the page and resolves with the event analytics-next
 * dispatched (ctx.event) once every plugin has handled it.
 */
export async function analyticsCall(page: Page, method: string, ...args: unknown[]): Promise<Record<string, unknown>> {
  return page.evaluate(
    async ([m, a]) => {
      const analytics = (window as unknown as { analytics: Record<string, (...x: unknown[]) => Promise<unknown>> })
        .analytics
      const ctx = (await analytics[m as string](...(a as unknown[]))) as { event: Record<string, unknown> }
      return JSON.parse(JSON.stringify(ctx.event)) as Record<string, unknown>
    },
    [method, args] as const
  )
}

/**
 * The deterministic "everything sent so far has been handled": sends a marker event through
 * analytics.js and the destination, behind every event sent before it. It resolves once
 * analytics.js has delivered the marker (so the destination has handled every earlier event),
 * and once each pixel of `codes` received the marker from TikTok's script: whatever the
 * destination sent those pixels before it has arrived too. Use it before asserting that
 * something did NOT happen; name no pixel only where none can receive anything (blocked script,
 * invalid code, consent refused).
 */
export async function drain(page: Page, ...codes: string[]): Promise<void> {
  const marker = await analyticsCall(page, 'track', MARKER_EVENT)
  for (const code of codes) await markerArrived(page, code, marker.messageId as string)
}

async function markerArrived(page: Page, code: string, messageId: string): Promise<void> {
  await page
    .waitForFunction(
      ([c, name, id]) =>
        window.__tiktokEmulator
          ?.callsFor(c as string, 'track')
          .some((call) => call.args[0] === name && (call.args[2] as { event_id?: string })?.event_id === id),
      [code, MARKER_TIKTOK_EVENT, messageId] as const,
      { polling: 25 }
    )
    .catch(async (err: unknown) => {
      const state = await emulatorState(page).catch(() => null)
      throw new Error(`The marker event never reached pixel ${code}. Emulator state: ${JSON.stringify(state)}`, {
        cause: err
      })
    })
}

/** What a recording plugin (see registerRecorder) may hold: the events under test, not markers. */
export const withoutMarkers = (recorded: string[]): string[] => recorded.filter((r) => r !== `track:${MARKER_EVENT}`)
