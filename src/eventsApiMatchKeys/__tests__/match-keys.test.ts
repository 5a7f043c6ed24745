import type { SegmentEvent } from '@segment/analytics-next'
import { CLICK_LIFETIME_MS, cookieValue, matchKeys, type MatchKeysInput } from '../match-keys'

const NOW = Date.UTC(2026, 0, 10)
const DAY = 24 * 60 * 60 * 1000
const CLICK = 'E.C.P.first-click'
const NEWER_CLICK = 'E.C.P.newer-click'
const TTP = '2Xq9ttpCookieValue'

function input(
  overrides: Omit<Partial<MatchKeysInput>, 'event'> & { event?: Partial<SegmentEvent> } = {}
): MatchKeysInput {
  return {
    consent: 'granted',
    stored: null,
    search: '',
    ttp: undefined,
    now: NOW,
    ...overrides,
    event: { type: 'track', event: 'Order Completed', ...overrides.event } as SegmentEvent
  }
}

describe('the click ID', () => {
  it('is remembered from the landing URL and attached to its event', () => {
    expect(matchKeys(input({ search: `?utm_source=tiktok&ttclid=${encodeURIComponent(CLICK)}` }))).toEqual({
      attach: { ttclid: CLICK },
      store: { ttclid: CLICK, at: NOW }
    })
  })

  it('is read from a percent-encoded parameter name too, as URLSearchParams decodes it', () => {
    expect(matchKeys(input({ search: `?tt%63lid=${encodeURIComponent(CLICK)}` }))).toEqual({
      attach: { ttclid: CLICK },
      store: { ttclid: CLICK, at: NOW }
    })
  })

  it('is attached from storage on later pages, storage left alone', () => {
    expect(matchKeys(input({ stored: { ttclid: CLICK, at: NOW - 2 * DAY } }))).toEqual({ attach: { ttclid: CLICK } })
  })

  it('keeps the time of its click when the landing URL is reloaded', () => {
    const stored = { ttclid: CLICK, at: NOW - DAY }
    expect(matchKeys(input({ stored, search: `?ttclid=${CLICK}` }))).toEqual({ attach: { ttclid: CLICK } })
  })

  it('is forgotten a week after the click, and not attached', () => {
    expect(matchKeys(input({ stored: { ttclid: CLICK, at: NOW - CLICK_LIFETIME_MS } }))).toEqual({
      attach: {},
      store: null
    })
    expect(matchKeys(input({ stored: { ttclid: CLICK, at: NOW - CLICK_LIFETIME_MS + 1 } })).attach).toEqual({
      ttclid: CLICK
    })
  })

  it('is replaced by a newer click, whose week starts then', () => {
    expect(matchKeys(input({ stored: { ttclid: CLICK, at: NOW - DAY }, search: `?ttclid=${NEWER_CLICK}` }))).toEqual({
      attach: { ttclid: NEWER_CLICK },
      store: { ttclid: NEWER_CLICK, at: NOW }
    })
  })

  it('replaces an expired click with a new one from the URL', () => {
    expect(
      matchKeys(input({ stored: { ttclid: CLICK, at: NOW - 8 * DAY }, search: `?ttclid=${NEWER_CLICK}` }))
    ).toEqual({ attach: { ttclid: NEWER_CLICK }, store: { ttclid: NEWER_CLICK, at: NOW } })
  })

  it.each([['not json'], [{ ttclid: 42, at: NOW }], [{ ttclid: CLICK }], [{ ttclid: CLICK, at: 'yesterday' }]])(
    'forgets an unreadable stored value %j',
    (stored) => {
      expect(matchKeys(input({ stored }))).toEqual({ attach: {}, store: null })
    }
  )

  it('ignores an empty ttclid parameter', () => {
    expect(matchKeys(input({ search: '?ttclid=%20' }))).toEqual({ attach: {} })
  })
})

describe('the _ttp cookie', () => {
  it('is attached when there is one', () => {
    expect(matchKeys(input({ ttp: TTP }))).toEqual({ attach: { ttp: TTP } })
  })

  it('is read by its exact name, as it is', () => {
    expect(cookieValue(`_ga=GA1.1; _ttp=${TTP}; other=1`, '_ttp')).toBe(TTP)
    expect(cookieValue('x_ttp=no; _ttp=a.b-c_d', '_ttp')).toBe('a.b-c_d')
    expect(cookieValue('_ttp=first;other=1', '_ttp')).toBe('first')
    expect(cookieValue('_ttp_other=no', '_ttp')).toBeUndefined()
    expect(cookieValue('_ttp=', '_ttp')).toBeUndefined()
  })
})

describe('the event', () => {
  const both = { stored: { ttclid: CLICK, at: NOW }, ttp: TTP }

  it('keeps values the site already set', () => {
    const event = { integrations: { 'TikTok Conversions': { ttclid: 'site-click', ttp: 'site-ttp' } } }
    expect(matchKeys(input({ ...both, event })).attach).toEqual({})
    const onlyClick = { integrations: { 'TikTok Conversions': { ttclid: 'site-click' } } }
    expect(matchKeys(input({ ...both, event: onlyClick })).attach).toEqual({ ttp: TTP })
  })

  it.each([
    [{ 'TikTok Conversions': false }],
    [{ 'Tiktok Conversions': false }],
    [{ 'TikTok Conversions': true, 'Tiktok Conversions': false }],
    [{ All: false }],
    [{ All: false, 'TikTok Conversions': false }],
    [{ All: false, 'Segment.io': true }]
  ])('is left alone with integrations %j, the click still remembered', (integrations) => {
    expect(matchKeys(input({ ...both, search: `?ttclid=${NEWER_CLICK}`, event: { integrations } }))).toEqual({
      attach: {},
      store: { ttclid: NEWER_CLICK, at: NOW }
    })
  })

  it.each([
    [{ All: false, 'TikTok Conversions': true }],
    [{ All: false, 'Tiktok Conversions': true }],
    [{ All: false, 'TikTok Conversions': {} }],
    [{ All: true }],
    [{ 'Google Analytics': false }]
  ])('gets the keys with integrations %j', (integrations) => {
    expect(matchKeys(input({ ...both, event: { integrations } })).attach).toEqual({ ttclid: CLICK, ttp: TTP })
  })
})

describe("the pixel's consent", () => {
  const visit = { search: `?ttclid=${CLICK}`, ttp: TTP }

  it('stores and attaches when granted, whatever the event itself carries', () => {
    expect(matchKeys(input({ ...visit, consent: 'granted' }))).toEqual({
      attach: { ttclid: CLICK, ttp: TTP },
      store: { ttclid: CLICK, at: NOW }
    })
  })

  it('neither stores, attaches nor forgets while held', () => {
    expect(matchKeys(input({ ...visit, consent: 'held' }))).toEqual({ attach: {} })
    expect(matchKeys(input({ ...visit, consent: 'held', stored: { ttclid: CLICK, at: NOW } }))).toEqual({ attach: {} })
  })

  it('forgets the remembered click once revoked', () => {
    expect(matchKeys(input({ ...visit, stored: { ttclid: CLICK, at: NOW }, consent: 'revoked' }))).toEqual({
      attach: {},
      store: null
    })
    expect(matchKeys(input({ ...visit, consent: 'revoked' }))).toEqual({ attach: {} })
  })
})
