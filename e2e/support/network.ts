/**
 * What a test shop's browser context may reach: this machine, and analytics.tiktok.com answered
 * by the events.js emulator (or blocked like an ad blocker would). Everything else is aborted.
 */
import type { BrowserContext, Route } from 'playwright-core'
import { isLocalUrl } from '../../devkit/browser'
import { emulatorScript } from '../../devkit/emulator'

const TIKTOK_HOST = 'analytics.tiktok.com'

/** What a browser context asked for, as seen by routeRequests. */
export interface RequestLog {
  /** Every request, in order. */
  requests: string[]
  /** Every request for analytics.tiktok.com (answered by the emulator or blocked), in order. */
  tiktokRequests: string[]
  /** Every request for another machine that was neither TikTok's nor answered; all aborted. */
  blockedRequests: string[]
}

export interface RoutingOptions {
  /** Abort every analytics.tiktok.com request with net::ERR_BLOCKED_BY_CLIENT. */
  tiktokBlocked?: boolean
  /** Answers a request for another machine (e.g. Segment's CDN) and returns true, or returns false. */
  answer?: (route: Route, url: URL) => Promise<boolean>
}

/** Routes every request of `context` as described above (`answer` may answer others first) and logs it. */
export async function routeRequests(context: BrowserContext, options: RoutingOptions = {}): Promise<RequestLog> {
  const log: RequestLog = { requests: [], tiktokRequests: [], blockedRequests: [] }
  const emulatorSource = emulatorScript()
  await context.route('**/*', async (route: Route) => {
    const url = route.request().url()
    log.requests.push(url)
    let parsed: URL | undefined
    try {
      parsed = new URL(url)
    } catch {
      parsed = undefined
    }
    if (parsed?.hostname === TIKTOK_HOST) {
      log.tiktokRequests.push(url)
      if (options.tiktokBlocked) return route.abort('blockedbyclient')
      return route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' },
        body: emulatorSource
      })
    }
    if (isLocalUrl(url)) return route.continue()
    if (parsed && options.answer && (await options.answer(route, parsed))) return
    log.blockedRequests.push(url)
    return route.abort('blockedbyclient')
  })
  return log
}
