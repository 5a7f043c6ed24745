import type { SegmentEvent } from '@segment/analytics-next'
import type { TikTokCall } from './types'

/**
 * One page view per address visited. TikTok counts the address open when the pixel loads (our
 * automatic page view, or the site's own base code); the Page View mapping then turns the
 * page's `analytics.page()` for that same visit into a second `Pageview` unless that call is
 * dropped here.
 */

function withoutFragment(url: string): string {
  const hash = url.indexOf('#')
  return hash === -1 ? url : url.slice(0, hash)
}

/** The address open now, as analytics-next reports it without a canonical link: no fragment. */
function currentAddress(): string {
  return withoutFragment(window.location.href)
}

/**
 * The URLs analytics.js may report in `context.page.url` for the address open now: the address
 * without its fragment, or the canonical link with the query (analytics-next's page context).
 */
function currentPageUrls(): string[] {
  const urls = [currentAddress()]
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

export interface InitialPageViewFilter {
  (calls: TikTokCall[], event: SegmentEvent): TikTokCall[]
  /** The pixel sends its page view on load now: it counts the address open at this moment. */
  countLoadPageView(): void
}

/**
 * A filter for the calls of each event: the first page call carrying a `Pageview` whose URL is
 * the address TikTok counted at load is dropped, all its calls with it. A page call for another
 * URL is a page view of its own (a single-page app reporting its landing address after it routed
 * elsewhere before analytics.js loaded); once one comes while the page is at another address,
 * the counted visit is over and nothing more is dropped. The page's events that waited for the
 * load are filtered right after the count, at the counted address.
 * `countedBySite`: the site's own base code counted the page before this destination loaded.
 */
export function initialPageViewFilter(countedBySite: boolean): InitialPageViewFilter {
  let counted: { address: string; urls: string[] } | undefined
  const count = (): void => {
    const urls = currentPageUrls()
    counted = { address: urls[0], urls }
  }
  if (countedBySite) count()
  const filter = ((calls, event) => {
    if (counted === undefined || event.type !== 'page' || !calls.some(isPageView)) return calls
    const address = currentAddress()
    if (counted.urls.includes(eventPageUrl(event) ?? address)) {
      counted = undefined
      return []
    }
    // A page call for another address once the page has left the counted one: that visit is over.
    if (address !== counted.address) counted = undefined
    return calls
  }) as InitialPageViewFilter
  filter.countLoadPageView = count
  return filter
}
