/**
 * The playground page: loads the real analytics-next with the built destination as a remote
 * plugin (the way Segment's CDN settings deliver it), sends sample events and shows, for each one,
 * what TikTok's pixel received. Bundled for the browser by playground/server.ts.
 *
 * TikTok's events.js is never fetched from TikTok: the playground's Service Worker (sw.js)
 * answers that request with the pixel emulator, a test double. Analytics is only loaded once that
 * worker controls the page.
 */
import type { AnalyticsBrowser, AnalyticsBrowserSettings, Context, Plugin } from '@segment/analytics-next'
import { enabledSubscriptions, type Preset } from '../devkit/subscriptions'
import { droppedValues } from './dropped'
import { LiveView, type EventNotes, type SegmentEventRecord } from './live'
import { EDITOR_START, sampleFor, type EventSpec } from './samples'
import { LIBRARY_NAME } from '../devkit/constants'

const DEFAULT_PIXEL_CODE = 'CPLAYGROUNDPIXEL0001'
const SW_URL = '/playground/sw.js'
const SW_SCOPE = '/playground/'

interface PlaygroundSettings {
  pixelCode: string
  ldu: boolean
  autoPageView: boolean
  consentCategory: string
}

interface Metadata {
  presets: Preset[]
  actions: Record<string, { fields: Record<string, { default?: unknown }> }>
}

interface PlaygroundState {
  ready: boolean
  error: string | null
  settings: PlaygroundSettings
}

const state: PlaygroundState = { ready: false, error: null, settings: readSettings() }
;(window as unknown as { __playground: PlaygroundState }).__playground = state

const $ = <T extends HTMLElement>(selector: string): T => {
  const el = document.querySelector<T>(selector)
  if (!el) throw new Error(`playground page: ${selector} is missing`)
  return el
}

const live = new LiveView($('#live-list'))

// ---------------------------------------------------------------------------------------------
// Settings: kept in the URL query, so "Apply" is a reload with the new query.

function readSettings(): PlaygroundSettings {
  const q = new URLSearchParams(location.search)
  return {
    pixelCode: q.get('pixelCode') ?? DEFAULT_PIXEL_CODE,
    ldu: q.get('ldu') === 'true',
    autoPageView: q.get('autoPageView') !== 'false',
    consentCategory: q.get('consentCategory') ?? ''
  }
}

function setUpSettingsForm(settings: PlaygroundSettings): void {
  const form = $<HTMLFormElement>('#settings')
  const pixelCode = $<HTMLInputElement>('#pixelCode')
  const ldu = $<HTMLInputElement>('#ldu')
  const autoPageView = $<HTMLInputElement>('#autoPageView')
  const consentCategory = $<HTMLInputElement>('#consentCategory')
  pixelCode.value = settings.pixelCode
  ldu.checked = settings.ldu
  autoPageView.checked = settings.autoPageView
  consentCategory.value = settings.consentCategory
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const q = new URLSearchParams({
      pixelCode: pixelCode.value,
      ldu: String(ldu.checked),
      autoPageView: String(autoPageView.checked),
      consentCategory: consentCategory.value
    })
    location.search = q.toString()
  })
  $<HTMLButtonElement>('#reset-settings').addEventListener('click', () => {
    location.search = ''
  })
}

// ---------------------------------------------------------------------------------------------
// The stand-in for TikTok: a Service Worker that answers analytics.tiktok.com with the emulator.

function timeout(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

async function installTikTokStandIn(): Promise<void> {
  if (!('serviceWorker' in navigator)) {
    throw new Error(
      `${location.origin} is not a secure context, so this page cannot run the Service Worker that stands in ` +
        `for TikTok, and it will not load TikTok's script from the internet. Open http://localhost:${location.port || '80'}${SW_SCOPE}`
    )
  }
  const sw = navigator.serviceWorker
  sw.addEventListener('message', (event: MessageEvent<{ type: string; url: string }>) => {
    if (event.data?.type === 'blocked') {
      live.addNotice(
        'warn',
        `Blocked a request for ${event.data.url}: the playground never lets the page reach the internet.`
      )
    }
  })
  const registration = await sw.register(SW_URL, { scope: SW_SCOPE })
  if (sw.controller) return
  const controlled = new Promise<void>((resolve) =>
    sw.addEventListener('controllerchange', () => resolve(), { once: true })
  )
  await sw.ready
  if (sw.controller) return
  // First visit: the worker claims the page when it activates. After a hard reload (Shift+Reload)
  // the page starts uncontrolled although the worker is active, so ask it to claim us.
  ;(registration.active ?? (await sw.ready).active)?.postMessage({ type: 'claim' })
  // Bounded only so that a worker that never claims the page ends in a message, not a hang.
  await Promise.race([controlled, timeout(15_000)])
  if (!sw.controller) {
    throw new Error('The Service Worker that stands in for TikTok did not take control of this page. Reload the page.')
  }
}

// ---------------------------------------------------------------------------------------------
// Analytics

function triggerEventName(subscribe: string): string {
  const track = /^event\s*=\s*"([^"]*)"$/.exec(subscribe.trim())
  if (track) return track[1]
  const type = /^type\s*=\s*"([^"]*)"$/.exec(subscribe.trim())
  if (type) return type[1].charAt(0).toUpperCase() + type[1].slice(1)
  return subscribe
}

/** Why the destination may have sent nothing for `event`: a hint for the live view, not a verdict. */
function silenceHintFor(event: SegmentEventRecord, settings: PlaygroundSettings, metadata: Metadata): string {
  const category = settings.consentCategory.trim()
  const triggers = new Set(metadata.presets.map((p) => triggerEventName(p.subscribe)))
  if (event.type === 'track' && !triggers.has(event.event ?? '')) {
    return `no mapping subscribes to "${event.event ?? ''}" (the presets are listed on the buttons).`
  }
  if (category && seen.consent === 'revoked') return `consent for "${category}" is revoked, so the event is not sent.`
  if (event.type === 'identify') return 'the event carries no customer data the Identify mapping uses.'
  return 'the destination dropped it; see the console messages in this view.'
}

/** What the page saw so far, only to explain silence (the destination keeps its own state). */
const seen = { consent: 'held' as 'held' | 'granted' | 'revoked', pages: 0 }

function observe(event: SegmentEventRecord, settings: PlaygroundSettings, metadata: Metadata): void {
  if (event.type === 'page') seen.pages += 1
  const category = settings.consentCategory.trim()
  const preferences = (event.context?.consent as { categoryPreferences?: Record<string, unknown> } | undefined)
    ?.categoryPreferences
  const answer = category ? preferences?.[category] : undefined
  if (answer === true) seen.consent = 'granted'
  if (answer === false) seen.consent = 'revoked'
  const preset = metadata.presets.find((p) => event.type === 'track' && triggerEventName(p.subscribe) === event.event)
  const notes: EventNotes = {
    silenceHint: silenceHintFor(event, settings, metadata),
    countedByAutoPageView: event.type === 'page' && seen.pages === 1 && settings.autoPageView,
    dropped: (calls) =>
      preset ? droppedValues(event as unknown as Record<string, unknown>, preset.mapping, calls) : []
  }
  live.addSegmentEvent(event, notes)
}

/** A plugin of `type` that only looks at each event, with `look`. */
function lookingPlugin(name: string, type: Plugin['type'], look: (ctx: Context) => void): Plugin {
  const record = (ctx: Context): Context => {
    look(ctx)
    return ctx
  }
  return {
    name,
    type,
    version: '1.0.0',
    isLoaded: () => true,
    load: () => Promise.resolve(),
    track: record,
    page: record,
    identify: record,
    group: record,
    alias: record,
    screen: record
  }
}

/**
 * Two plugins that only look: the first records each event as it enters the pipeline, before the
 * destinations get it, so the live view can put TikTok's calls next to it; the second runs once
 * every destination is done with it, so the view can tell "nothing sent" from "not yet".
 */
function observerPlugins(settings: PlaygroundSettings, metadata: Metadata): Plugin[] {
  return [
    lookingPlugin('Playground live view', 'enrichment', (ctx) =>
      observe(JSON.parse(JSON.stringify(ctx.event)) as SegmentEventRecord, settings, metadata)
    ),
    lookingPlugin('Playground live view (delivered)', 'after', (ctx) => live.delivered(ctx.event.messageId ?? ''))
  ]
}

/** The destination's console errors so far: any of them puts the status bar in error. */
const destinationErrors: string[] = []

/** The destination's own console messages show up in the live view too, on the event that caused them. */
function captureDestinationConsole(): void {
  for (const level of ['warn', 'error'] as const) {
    const original = console[level].bind(console)
    console[level] = (...args: unknown[]) => {
      original(...args)
      const text = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')
      if (!text.includes('[TikTok Pixel]')) return
      if (level === 'warn') return live.addDestinationMessage(level, `console.${level}: ${text}`)
      // Errors are about the destination, not one event: a notice, and the status bar.
      live.addNotice(level, `console.${level}: ${text}`)
      destinationErrors.push(text)
      if (state.ready) showStatus()
    }
  }
}

/** Resolves once analytics-next and the destination are loaded. (Wrapped: AnalyticsBrowser is a thenable.) */
async function loadAnalytics(
  settings: PlaygroundSettings,
  metadata: Metadata
): Promise<{ analytics: AnalyticsBrowser }> {
  const AnalyticsNext = (window as unknown as { AnalyticsNext?: { AnalyticsBrowser: typeof AnalyticsBrowser } })
    .AnalyticsNext
  if (!AnalyticsNext) throw new Error('the analytics-next bundle (/vendor/analytics-next.js) did not load')
  const destinationSettings: Record<string, unknown> = {
    pixelCode: settings.pixelCode,
    ldu: settings.ldu,
    autoPageView: settings.autoPageView
  }
  if (settings.consentCategory.trim()) destinationSettings.consentCategory = settings.consentCategory.trim()

  // What Segment's CDN would serve for this source: the destination as a remote plugin.
  const cdnSettings = {
    integrations: { 'Segment.io': {} },
    remotePlugins: [
      {
        name: 'TikTok Pixel',
        creationName: 'TikTok Pixel',
        libraryName: LIBRARY_NAME,
        url: `${location.origin}/dist/web/tiktok-pixel.js`,
        settings: { ...destinationSettings, subscriptions: enabledSubscriptions(metadata.presets) }
      }
    ],
    // No usage metrics to api.segment.io.
    metrics: { sampleRate: 0 }
  }
  const analytics = AnalyticsNext.AnalyticsBrowser.load(
    {
      writeKey: 'playground',
      cdnSettings: cdnSettings as unknown as AnalyticsBrowserSettings['cdnSettings'],
      plugins: observerPlugins(settings, metadata)
    },
    // Nothing is delivered to Segment.
    { integrations: { 'Segment.io': false } }
  )
  ;(window as unknown as { analytics: AnalyticsBrowser }).analytics = analytics
  // As Segment's snippet does: a page call on load.
  void analytics.page()
  await analytics
  return { analytics }
}

// ---------------------------------------------------------------------------------------------
// Sending events

function withConsent(spec: EventSpec, settings: PlaygroundSettings): EventSpec {
  const category = settings.consentCategory.trim()
  const choice = $<HTMLSelectElement>('#consent-choice').value
  if (!category || choice === '') return spec
  const context = { ...spec.context, consent: { categoryPreferences: { [category]: choice === 'true' } } }
  return { ...spec, context }
}

async function send(analytics: AnalyticsBrowser, spec: EventSpec): Promise<void> {
  const options: Record<string, unknown> = {}
  if (spec.context) options.context = spec.context
  for (const key of ['userId', 'anonymousId', 'messageId'] as const) {
    const value = (spec as Record<string, unknown>)[key]
    if (typeof value === 'string' && !(spec.type === 'identify' && key === 'userId')) options[key] = value
  }
  switch (spec.type) {
    case 'track':
      await analytics.track(spec.event, spec.properties ?? {}, options)
      return
    case 'page':
      await analytics.page(spec.category ?? null, spec.name ?? null, spec.properties ?? {}, options)
      return
    case 'identify':
      await analytics.identify(spec.userId ?? null, spec.traits ?? {}, options)
      return
    default:
      throw new Error(`"type" must be "track", "page" or "identify"`)
  }
}

function parseSpec(text: string): EventSpec {
  const value = JSON.parse(text) as unknown
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object')
  const spec = value as Record<string, unknown>
  if (spec.type === 'track' && (typeof spec.event !== 'string' || spec.event.trim() === '')) {
    throw new Error('a track event needs "event", its name')
  }
  if (!['track', 'page', 'identify'].includes(spec.type as string)) {
    throw new Error('"type" must be "track", "page" or "identify"')
  }
  for (const key of ['properties', 'traits', 'context']) {
    const part = spec[key]
    if (part !== undefined && (typeof part !== 'object' || part === null || Array.isArray(part))) {
      throw new Error(`"${key}" must be an object`)
    }
  }
  return spec as unknown as EventSpec
}

function setUpEventControls(analytics: AnalyticsBrowser, settings: PlaygroundSettings, metadata: Metadata): void {
  const buttons = $('#event-buttons')
  const names: Array<{ label: string; tiktok: string }> = []
  // One button per TikTok event; Page and Identify get theirs below.
  for (const preset of metadata.presets) {
    if (typeof preset.mapping.event !== 'string') continue
    names.push({ label: triggerEventName(preset.subscribe), tiktok: preset.mapping.event })
  }
  if (!names.some((n) => n.label === 'Page')) names.push({ label: 'Page', tiktok: 'Pageview' })
  names.push({ label: 'Identify', tiktok: 'identify' })

  const editor = $<HTMLTextAreaElement>('#editor')
  const editorError = $('#editor-error')
  const pick = $<HTMLSelectElement>('#editor-sample')
  editor.value = JSON.stringify(EDITOR_START, null, 2)

  for (const { label, tiktok } of names) {
    const button = document.createElement('button')
    button.type = 'button'
    button.className = label === 'Identify' || label === 'Page' ? 'event-button special' : 'event-button'
    button.dataset.event = label
    button.title = `Sends a sample "${label}" event; TikTok: ${tiktok}`
    button.innerHTML = `<span></span><small aria-hidden="true"></small>`
    ;(button.firstChild as HTMLElement).textContent = label
    ;(button.lastChild as HTMLElement).textContent = tiktok
    button.addEventListener('click', () => {
      void send(analytics, withConsent(sampleFor(label), settings)).catch((error: unknown) =>
        live.addNotice('error', `Could not send "${label}": ${String(error)}`)
      )
    })
    buttons.append(button)

    const option = document.createElement('option')
    option.value = label
    option.textContent = label
    pick.append(option)
  }

  pick.addEventListener('change', () => {
    if (!pick.value) return
    editor.value = JSON.stringify(withConsent(sampleFor(pick.value), settings), null, 2)
    pick.value = ''
    editorError.textContent = ''
  })

  $<HTMLFormElement>('#editor-form').addEventListener('submit', (event) => {
    event.preventDefault()
    let spec: EventSpec
    try {
      spec = parseSpec(editor.value)
    } catch (error) {
      editorError.textContent = error instanceof Error ? error.message : String(error)
      return
    }
    editorError.textContent = ''
    void send(analytics, spec).catch((error: unknown) => {
      editorError.textContent = String(error)
    })
  })

  const consentRow = $('#consent-row')
  if (settings.consentCategory.trim()) {
    consentRow.hidden = false
    $('#consent-category-name').textContent = settings.consentCategory.trim()
  }

  $<HTMLButtonElement>('#reset-user').addEventListener('click', () => {
    void analytics.reset()
    live.addNotice('info', 'analytics.reset(): userId and traits cleared, new anonymousId.')
  })
}

// ---------------------------------------------------------------------------------------------

function showError(message: string): void {
  state.error = message
  const el = $('#fatal')
  el.textContent = message
  el.hidden = false
  setStatus('error', 'error')
}

function setStatus(text: string, kind: 'ok' | 'error' = 'ok'): void {
  const status = $('#status')
  status.textContent = text
  status.dataset.state = kind
}

/** Ready, unless the destination reported an error (an invalid pixel code, `window.ttq` taken...). */
function showStatus(): void {
  const [error] = destinationErrors
  if (error) setStatus(`error · ${error.replace('[TikTok Pixel] ', '')}`, 'error')
  else setStatus(`ready · pixel ${state.settings.pixelCode}`)
}

async function main(): Promise<void> {
  const settings = state.settings
  setUpSettingsForm(settings)
  $('#clear').addEventListener('click', () => live.clear())
  captureDestinationConsole()
  setInterval(() => live.poll(), 100)

  setStatus('starting the TikTok stand-in…')
  await installTikTokStandIn()
  setStatus('loading analytics-next…')
  const response = await fetch('/metadata.json')
  if (!response.ok) throw new Error(`/metadata.json: HTTP ${response.status}`)
  const metadata = (await response.json()) as Metadata
  const { analytics } = await loadAnalytics(settings, metadata)
  setUpEventControls(analytics, settings, metadata)
  state.ready = true
  showStatus()
}

main().catch((error: unknown) => showError(error instanceof Error ? error.message : String(error)))
