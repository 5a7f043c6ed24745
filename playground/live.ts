/**
 * The live view: every Segment event analytics-next processed, next to exactly what TikTok's pixel
 * received for it, as recorded by the pixel emulator (window.__tiktokEmulator, the stand-in for
 * TikTok's events.js). Nothing here recomputes what the destination does; it only reads records.
 *
 * Which Segment event a pixel call belongs to:
 *  - `track` calls carry `{ event_id }`, the Segment messageId: that event.
 *  - `identify` and consent changes (`grantConsent`, `revokeConsent`) made together with a track
 *    (the destination makes them right before it, in one go) go with that track's event.
 *  - any other `identify` / consent change goes with the event being processed when it was
 *    recorded (analytics-next runs one event at a time through its plugins; each card remembers
 *    the emulator log position when its event entered the pipeline).
 *  - `ttq.page()` (the automatic page view), `holdConsent()` and repeated `ttq.load` belong to the
 *    pixel's start-up and are shown on the "pixel loaded" card.
 *
 * A card says why nothing was sent only once analytics-next has delivered its event to every
 * destination (`delivered`) and TikTok's script has run: never after a guessed delay. A `track`
 * made while the pixel's consent was held is shown as held, not as sent.
 */
import type { EmulatorLogEntry, EmulatorState } from '../devkit/emulator'
import { escapeHtml, jsonHtml } from './format'

/** The parts of a Segment event the view shows (a JSON copy of ctx.event). */
export interface SegmentEventRecord {
  type: string
  event?: string
  name?: string | null
  category?: string | null
  messageId: string
  userId?: string | null
  anonymousId?: string | null
  properties?: Record<string, unknown>
  traits?: Record<string, unknown>
  context?: Record<string, unknown>
}

/** What the page knows about an event besides TikTok's record of it. */
export interface EventNotes {
  /** Why the destination may have sent nothing, from the page's point of view (a hint). */
  silenceHint: string
  /** The first page call of a page load with the automatic page view on: counted by it, by design. */
  countedByAutoPageView: boolean
  /** The event's values that the mapping reads but TikTok did not get (`calls` are what it got). */
  dropped(calls: EmulatorLogEntry[]): string[]
}

interface EventCard {
  kind: 'segment'
  event: SegmentEventRecord
  /** Length of the emulator's log when the event entered analytics-next's pipeline. */
  logStart: number
  seenAt: number
  notes: EventNotes
  /** analytics-next has handed the event to every destination and they are done with it. */
  delivered: boolean
  /** The destination's console warnings while the event was in its hands. */
  warnings: string[]
  calls: EmulatorLogEntry[]
  el: HTMLElement
  rendered: string
}

interface OrphanCard {
  kind: 'orphan'
  eventId: string
  calls: EmulatorLogEntry[]
  el: HTMLElement
  rendered: string
}

interface PixelCard {
  kind: 'pixel'
  calls: EmulatorLogEntry[]
  el: HTMLElement
  rendered: string
}

type Card = EventCard | OrphanCard | PixelCard

type Emulator = EmulatorState & { log: EmulatorLogEntry[] }

const CONSENT_STATES: Record<string, 'held' | 'granted' | 'revoked'> = {
  holdConsent: 'held',
  grantConsent: 'granted',
  revokeConsent: 'revoked'
}
const CONSENT_CHANGES = new Set(['grantConsent', 'revokeConsent'])
const START_UP = new Set(['page', 'holdConsent'])

function emulator(): Emulator | undefined {
  return (window as unknown as { __tiktokEmulator?: Emulator }).__tiktokEmulator
}

function eventIdOf(entry: EmulatorLogEntry): string | undefined {
  if (entry.method !== 'track') return undefined
  const options = entry.args[2] as { event_id?: unknown } | undefined
  return typeof options?.event_id === 'string' ? options.event_id : undefined
}

function time(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour12: false })
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0)
}

export class LiveView {
  private readonly events: EventCard[] = []
  private readonly byMessageId = new Map<string, EventCard>()
  private readonly orphans = new Map<string, OrphanCard>()
  private pixel: PixelCard | undefined
  /** How much of the emulator's log has been attributed. */
  private processed = 0
  /** The pixel card appears by itself once; after Clear only new start-up calls bring it back. */
  private pixelShown = false
  /** Each pixel's consent state as of the last log entry read. */
  private readonly consent = new Map<string | null, 'held' | 'granted' | 'revoked'>()
  /** `track` calls made while their pixel's consent was held. */
  private readonly held = new WeakSet<EmulatorLogEntry>()

  constructor(private readonly list: HTMLElement) {}

  /** Called by the playground's plugin as each event enters analytics-next's pipeline. */
  addSegmentEvent(event: SegmentEventRecord, notes: EventNotes): void {
    const card: EventCard = {
      kind: 'segment',
      event,
      logStart: emulator()?.log.length ?? 0,
      seenAt: Date.now(),
      notes,
      delivered: false,
      warnings: [],
      calls: [],
      el: this.newCard('segment'),
      rendered: ''
    }
    this.events.push(card)
    this.byMessageId.set(event.messageId, card)
    this.render(card)
  }

  /** Called by the playground's plugin once every destination is done with the event. */
  delivered(messageId: string): void {
    const card = this.byMessageId.get(messageId)
    if (!card) return
    card.delivered = true
    this.render(card)
  }

  /**
   * A destination console message: shown on the card of the event the destination was handling
   * (the latest one not yet delivered), else as a notice of its own.
   */
  addDestinationMessage(kind: 'error' | 'warn', text: string): void {
    const inFlight = this.events.filter((card) => !card.delivered).pop()
    if (!inFlight) return this.addNotice(kind, text)
    inFlight.warnings.push(text)
    this.render(inFlight)
  }

  /** A line in the view that is not an event: destination console messages, blocked requests. */
  addNotice(kind: 'error' | 'warn' | 'info', text: string): void {
    const el = document.createElement('div')
    el.className = `notice notice-${kind}`
    el.dataset.kind = 'notice'
    el.textContent = text
    this.list.prepend(el)
  }

  clear(): void {
    this.list.replaceChildren()
    this.events.length = 0
    this.byMessageId.clear()
    this.orphans.clear()
    this.pixel = undefined
  }

  /** Reads what the emulator recorded since the last poll and updates the cards. */
  poll(): void {
    const state = emulator()
    const log = state?.log ?? []
    if (log.length < this.processed) this.processed = 0 // the emulator was reset
    const touched = new Set<Card>()
    for (let i = this.processed; i < log.length; i += 1) {
      const entry = log[i]
      const consent = CONSENT_STATES[entry.method]
      if (consent) this.consent.set(entry.code, consent)
      if (entry.method === 'track' && this.consent.get(entry.code) === 'held') this.held.add(entry)
      const card = this.cardFor(log, i)
      card.calls.push(entry)
      touched.add(card)
    }
    this.processed = log.length
    if (state && !this.pixelShown) touched.add(this.pixelCard())
    for (const card of touched) this.render(card)
    // A consent change or TikTok's script arriving can change what a card says.
    for (const card of this.events) this.render(card)
  }

  // --------------------------------------------------------------------------------------------

  private newCard(kind: Card['kind']): HTMLElement {
    const el = document.createElement('article')
    el.className = `card card-${kind}`
    el.dataset.kind = kind
    if (kind === 'pixel') this.list.append(el)
    else this.list.prepend(el)
    return el
  }

  private pixelCard(): PixelCard {
    this.pixel ??= { kind: 'pixel', calls: [], el: this.newCard('pixel'), rendered: '' }
    this.pixelShown = true
    return this.pixel
  }

  /** The event that was in analytics-next's pipeline when log entry `index` was recorded. */
  private eventAt(index: number): EventCard | undefined {
    for (let i = this.events.length - 1; i >= 0; i -= 1) if (this.events[i].logStart <= index) return this.events[i]
    return undefined
  }

  private cardFor(log: EmulatorLogEntry[], index: number): Card {
    const entry = log[index]
    if (entry.via === 'load' || START_UP.has(entry.method)) return this.pixelCard()
    if (entry.method === 'track') {
      const eventId = eventIdOf(entry)
      if (eventId === undefined) return this.eventAt(index) ?? this.pixelCard()
      const card = this.byMessageId.get(eventId)
      if (card) return card
      let orphan = this.orphans.get(eventId)
      if (!orphan) {
        orphan = { kind: 'orphan', eventId, calls: [], el: this.newCard('orphan'), rendered: '' }
        this.orphans.set(eventId, orphan)
      }
      return orphan
    }
    if (entry.method === 'identify' || CONSENT_CHANGES.has(entry.method)) {
      // Made together with a track: the calls that follow it directly, up to that track.
      for (let j = index + 1; j < log.length; j += 1) {
        const next = log[j]
        if (next.method === 'identify' || CONSENT_CHANGES.has(next.method)) continue
        const eventId = eventIdOf(next)
        const card = eventId === undefined ? undefined : this.byMessageId.get(eventId)
        if (card && card.logStart <= index) return card
        break
      }
    }
    return this.eventAt(index) ?? this.pixelCard()
  }

  private render(card: Card): void {
    const html =
      card.kind === 'segment' ? this.eventHtml(card) : card.kind === 'orphan' ? this.orphanHtml(card) : this.pixelHtml()
    if (html === card.rendered) return
    card.rendered = html
    card.el.innerHTML = html
    if (card.kind === 'segment') {
      const e = card.event
      card.el.dataset.type = e.type
      card.el.dataset.event = e.type === 'track' ? (e.event ?? '') : e.type === 'page' ? 'Page' : 'Identify'
      card.el.dataset.messageId = e.messageId
    }
  }

  private eventHtml(card: EventCard): string {
    const e = card.event
    const title =
      e.type === 'track'
        ? (e.event ?? '')
        : e.type === 'page'
          ? [e.category, e.name].filter(Boolean).join(' / ')
          : (e.userId ?? '')
    const ids = [
      e.userId ? `userId <code>${escapeHtml(e.userId)}</code>` : '',
      e.anonymousId ? `anonymousId <code>${escapeHtml(e.anonymousId)}</code>` : ''
    ].filter(Boolean)
    const segment: string[] = [`<p class="ids">${ids.join(' · ')}</p>`]
    const block = (label: string, value: unknown): void => {
      if (!isEmpty(value)) segment.push(`<div class="label">${label}</div><pre class="json">${jsonHtml(value)}</pre>`)
    }
    if (e.type === 'identify') block('traits', e.traits)
    else block('properties', e.properties)
    const context = e.context ?? {}
    block('context.traits', context.traits)
    block('context.consent', context.consent)
    if (segment.length === 1) segment.push('<p class="muted">no properties</p>')

    const note = this.eventNote(card)
    return `
      <header>
        <span class="badge badge-${escapeHtml(e.type)}">${escapeHtml(e.type)}</span>
        <strong class="name">${escapeHtml(title)}</strong>
        <span class="mid" title="Segment messageId">${escapeHtml(e.messageId)}</span>
        <time>${time(card.seenAt)}</time>
      </header>
      <div class="cols">
        <section class="segment"><h3>Segment event</h3>${segment.join('')}</section>
        <section class="tiktok"><h3>TikTok pixel received${this.pixelLabel(card.calls)}</h3>
          ${card.calls.map((c) => callHtml(c, e.messageId, this.held.has(c))).join('')}${note}
        </section>
      </div>`
  }

  /** What the card says besides TikTok's calls: held, counted already, dropped values, or why nothing was sent. */
  private eventNote(card: EventCard): string {
    const e = card.event
    const sent = card.calls.some((c) => c.method === 'track' || (e.type === 'identify' && c.method === 'identify'))
    const warnings = card.warnings.map((w) => `<p class="silent" data-note="warning">${escapeHtml(w)}</p>`).join('')
    const dropped = card.delivered && sent ? card.notes.dropped(card.calls) : []
    const droppedNote = dropped.length
      ? `<div class="silent" data-note="dropped">Not sent to TikTok, not valid for it:<ul>${dropped
          .map((d) => `<li>${escapeHtml(d)}</li>`)
          .join('')}</ul></div>`
      : ''
    const held = card.calls.find((c) => this.held.has(c))
    if (held) {
      const now = this.consent.get(held.code)
      const text =
        now === 'granted'
          ? "Held by TikTok's pixel until consent was granted, then released."
          : now === 'revoked'
            ? "Held by TikTok's pixel; consent was then revoked, so TikTok does not send it."
            : "Held, not sent: consent is on hold (no answer yet), so TikTok's pixel keeps the event until consent is granted."
      return `<p class="held" data-note="held">${text}</p>${droppedNote}${warnings}`
    }
    if (sent) return droppedNote + warnings
    if (card.notes.countedByAutoPageView) {
      return (
        `<p class="counted" data-note="counted">Counted by the automatic page view: TikTok's pixel got ` +
        `<code>ttq.page()</code> when it loaded (see the pixel card), so this first page call is not sent again.</p>`
      )
    }
    if (!card.delivered) return '<p class="muted">in the destination…</p>'
    if (emulator() === undefined) {
      return `<p class="muted" data-note="queued">Waiting for TikTok's script: the destination's calls wait in <code>window.ttq</code> until it runs.</p>${warnings}`
    }
    const what = e.type === 'identify' ? 'identify' : 'event'
    return `<p class="silent" data-note="silent">No ${what} sent to TikTok: ${escapeHtml(card.notes.silenceHint)}</p>${warnings}`
  }

  private orphanHtml(card: OrphanCard): string {
    return `
      <header><span class="badge">?</span><strong class="name">Segment event not in this view</strong>
        <span class="mid">${escapeHtml(card.eventId)}</span></header>
      <section class="tiktok">${card.calls.map((c) => callHtml(c, card.eventId)).join('')}</section>`
  }

  private pixelHtml(): string {
    const state = emulator()
    const pixels = state ? Object.values(state.pixels) : []
    const loads = pixels
      .map(
        (p) =>
          `<div class="call"><div class="sig"><code>ttq.load</code> <b>${escapeHtml(p.code)}</b></div>` +
          `<pre class="json">${jsonHtml(p.options)}</pre></div>`
      )
      .join('')
    const script = (state?.scriptUrls ?? []).map((u) => `<code>${escapeHtml(u)}</code>`).join('<br>')
    const calls = this.pixel?.calls ?? []
    return `
      <header><span class="badge badge-pixel">pixel</span><strong class="name">TikTok pixel loaded</strong></header>
      <div class="cols">
        <section class="segment"><h3>Start-up (destination initialize)</h3>${loads}
          <p class="small">events.js requested ${state ? state.scriptLoads : 0}×, answered by the local emulator (stand-in for TikTok):<br>${script}</p>
        </section>
        <section class="tiktok"><h3>TikTok pixel received${this.pixelLabel(calls)}</h3>
          ${calls.map((c) => callHtml(c, undefined)).join('') || '<p class="muted">no start-up calls</p>'}
        </section>
      </div>`
  }

  private pixelLabel(calls: EmulatorLogEntry[]): string {
    const codes = [...new Set(calls.map((c) => c.code).filter((c): c is string => typeof c === 'string'))]
    return codes.length ? ` <small>pixel ${codes.map(escapeHtml).join(', ')}</small>` : ''
  }
}

const DESCRIPTIONS: Record<string, string> = {
  page: 'automatic page view (autoPageView)',
  holdConsent: 'consent held until an event grants it',
  grantConsent: 'the event granted consent',
  revokeConsent: 'the event revoked consent: it is not sent',
  identify: 'customer data, normalised and hashed'
}

function callHtml(entry: EmulatorLogEntry, messageId: string | undefined, held = false): string {
  const [first, second, third] = entry.args
  const attrs = [`data-method="${escapeHtml(entry.method)}"`]
  if (held) attrs.push('data-held="true"')
  let sig = `<code>${escapeHtml(entry.method)}</code>`
  let body = ''
  if (entry.method === 'track') {
    const name = String(first)
    const eventId = eventIdOf(entry)
    attrs.push(`data-tiktok-event="${escapeHtml(name)}"`)
    if (eventId !== undefined) attrs.push(`data-event-id="${escapeHtml(eventId)}"`)
    sig += ` <b class="tt-event">${escapeHtml(name)}</b>`
    if (held) sig += ' <span class="held-badge">held (consent)</span>'
    if (eventId !== undefined) {
      const same = eventId === messageId
      sig += ` <span class="eid ${same ? 'eid-ok' : ''}" title="options.event_id">event_id${same ? ' = messageId ✓' : ''}</span>`
    }
    if (second !== undefined) body += `<pre class="json">${jsonHtml(second)}</pre>`
    if (third !== undefined) body += `<div class="opts">options <code>${jsonHtml(third)}</code></div>`
  } else {
    if (DESCRIPTIONS[entry.method]) sig += ` <span class="desc">${DESCRIPTIONS[entry.method]}</span>`
    if (entry.via === 'load')
      sig = `<code>ttq.load</code> <span class="desc">again (the pixel was already loaded)</span>`
    else if (entry.args.length > 0)
      body = `<pre class="json">${jsonHtml(entry.args.length === 1 ? first : entry.args)}</pre>`
  }
  return `<div class="call" ${attrs.join(' ')}><div class="sig">${sig}</div>${body}</div>`
}
