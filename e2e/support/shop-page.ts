/**
 * Renders the test shop: an HTML page that loads the analytics-next bundle and configures it from
 * a JSON config embedded in the page.
 *
 * In the page:
 *   window.__shop = { config, ready, loadError, resourceErrors, rejections }
 *   window.analytics = the AnalyticsBrowser returned by AnalyticsBrowser.load(...)
 * `resourceErrors` collects failed <script>/<link>/<img> loads (error events captured on window).
 */

export type ShopMode = 'remote' | 'bundled' | 'none'

export interface ShopPageConfig {
  /**
   * 'remote': the destination comes from cdnSettings.remotePlugins and analytics-next loads its
   * script itself; 'bundled': the page loads the destination script as a plain <script> and
   * passes `window[libraryName]` in `plugins`; 'none': no analytics at all (just headHtml/bodyHtml).
   */
  mode: ShopMode
  writeKey: string
  /** Where the page loads analytics-next from (defines window.AnalyticsNext). */
  analyticsUrl: string
  /** Destination script, loaded with a <script> tag in 'bundled' mode. */
  destinationUrl: string
  libraryName: string
  cdnSettings: Record<string, unknown>
  loadOptions: Record<string, unknown>
  /** Call analytics.page() right after AnalyticsBrowser.load(), as the standard snippet does. */
  snippetPage: boolean
  /** Inserted into <head> before analytics is loaded (e.g. TikTok base code already on the site). */
  headHtml?: string
  /** Inserted into <body>. */
  bodyHtml?: string
  title?: string
  /** Load analytics-next through Segment's consent wrapper (see ConsentWrapperConfig). */
  consentWrapper?: ConsentWrapperConfig
}

/**
 * Segment's consent wrapper (`createWrapper` of @segment/analytics-consent-tools) around
 * analytics-next, as a site using Consent Management sets it up: the visitor's answers start as
 * `categories`; `window.__consent.change(categories)` is the consent banner changing them mid-page
 * (the wrapper then sends its `Segment Consent Preference Updated` event).
 */
export interface ConsentWrapperConfig {
  consentModel: 'opt-in' | 'opt-out'
  categories: Record<string, boolean>
}

function scriptJson(value: unknown): string {
  // Safe inside <script>: no "</script>", no "<!--", no U+2028/9 surprises.
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;')
}

const BOOT = `
(function () {
  var shop = window.__shop
  var cfg = shop.config
  if (cfg.mode === 'none') return
  if (!window.AnalyticsNext || !window.AnalyticsNext.AnalyticsBrowser) {
    shop.loadError = 'analytics-next bundle did not load from ' + cfg.analyticsUrl
    return
  }
  var plugins = []
  if (cfg.mode === 'bundled') {
    var factory = window[cfg.libraryName]
    if (typeof factory !== 'function') {
      shop.loadError = 'bundled destination script did not define window[' + JSON.stringify(cfg.libraryName) + ']'
      return
    }
    plugins.push(factory)
  }
  var settings = { writeKey: cfg.writeKey, cdnSettings: cfg.cdnSettings, plugins: plugins }
  var analytics
  if (cfg.consentWrapper) {
    var consent = (window.__consent = {
      categories: cfg.consentWrapper.categories,
      listeners: [],
      change: function (categories) {
        consent.categories = categories
        consent.listeners.forEach(function (listener) { listener(categories) })
      }
    })
    analytics = new window.AnalyticsNext.AnalyticsBrowser()
    window.AnalyticsNext.createWrapper({
      shouldLoadSegment: function (ctx) { ctx.load({ consentModel: cfg.consentWrapper.consentModel }) },
      getCategories: function () { return consent.categories },
      registerOnConsentChanged: function (listener) { consent.listeners.push(listener) }
    })(analytics)
    analytics.load(settings, cfg.loadOptions)
  } else {
    analytics = window.AnalyticsNext.AnalyticsBrowser.load(settings, cfg.loadOptions)
  }
  window.analytics = analytics
  if (cfg.snippetPage) analytics.page()
  analytics.then(
    function (result) {
      shop.ready = true
      shop.instance = result[0]
    },
    function (err) {
      shop.loadError = String((err && err.stack) || err)
    }
  )
})()
`

const PRELUDE = `
window.__shop = { config: CONFIG, ready: false, loadError: null, resourceErrors: [], rejections: [] }
window.addEventListener('error', function (event) {
  var el = event.target
  if (el && el !== window && el.tagName) {
    window.__shop.resourceErrors.push({ tag: el.tagName.toLowerCase(), url: el.src || el.href || '' })
  }
}, true)
window.addEventListener('unhandledrejection', function (event) {
  var r = event.reason
  window.__shop.rejections.push(String((r && r.message) || r))
})
`

export function renderShopPage(config: ShopPageConfig): string {
  const lines = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${text(config.title ?? 'E2E shop')}</title>`,
    `<script>${PRELUDE.replace('CONFIG', scriptJson(config))}</script>`,
    config.headHtml ?? '',
    config.mode !== 'none' ? `<script src="${attr(config.analyticsUrl)}"></script>` : '',
    config.mode === 'bundled' ? `<script src="${attr(config.destinationUrl)}"></script>` : '',
    config.mode !== 'none' ? `<script>${BOOT}</script>` : '',
    '</head>',
    '<body>',
    '<h1>E2E shop</h1>',
    config.bodyHtml ?? '',
    '</body>',
    '</html>',
    ''
  ]
  return lines.filter((l) => l !== '').join('\n')
}
