import type { SegmentEvent } from '@segment/analytics-next'
import type { TikTokCall } from './types'

/**
 * One page view per page load. TikTok counts the page once when the pixel loads (our automatic
 * page view, or the site's own base code); the Page View mapping then turns the page's first
 * `analytics.page()` into a second `Pageview` unless that call is dropped here.
 */

function withoutFragment(url: string): string {
  const hash = url.indexOf('#')
  return hash === -1 ? url : url.slice(0, hash)
}

/**
 * The URLs analytics.js may report in `context.page.url` for the page open now: the address
 * without its fragment, or the canonical link with the query (analytics-next's page context).
 */
function currentPageUrls(): string[] {
  const urls = [withoutFragment(window.location.href)]
  const canonical = document.querySelector("link[rel='canonical']")?.getAttribute('href')
  if (canonical) urls.push(canonical.includes('?') ? canonical : canonical + window.location.search)
  return urls
}

function isPageView(call: TikTokCall): boolean {
  return call[0] === 'track' && call[1] === 'Pageview'
}

function eventPageUrl(event: SegmentEvent): string | undefined {
  const url = (event.context?.page as { url?: unknown } | undefined)?.url
  return typeof url === 'string' ? withoutFragment(url) : undefined
}

/**
 * A filter for the calls of each event: the first page call carrying a `Pageview` is dropped, all
 * its calls with it, when its own URL is the page TikTok counted at load. A page call for another
 * URL (a single-page app that reports its route before changing the address) is a page view.
 * `counted` says whether TikTok got a page view at load; without one nothing is dropped.
 */
export function initialPageViewFilter(counted: boolean): (calls: TikTokCall[], event: SegmentEvent) => TikTokCall[] {
  let countedUrls = counted ? currentPageUrls() : undefined
  return (calls, event) => {
    if (countedUrls === undefined || event.type !== 'page' || !calls.some(isPageView)) return calls
    const url = eventPageUrl(event) ?? withoutFragment(window.location.href)
    const sameUrl = countedUrls.includes(url)
    countedUrls = undefined
    return sameUrl ? [] : calls
  }
}
