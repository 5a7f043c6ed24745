import { DAY, input, NOW } from '../../__tests__/support/match-keys'
import { CLICK_LIFETIME_MS, cookieValue, matchKeys, REMEMBERED_CLICKS } from '../match-keys'

const CLICK = 'E.C.P.first-click'
const NEWER_CLICK = 'E.C.P.newer-click'
const TTP = '2Xq9ttpCookieValue'

const stored = (...clicks: [string, number][]) => ({ clicks: clicks.map(([ttclid, at]) => ({ ttclid, at })) })

describe('the click ID', () => {
  it('is remembered from the landing URL and attached to its event', () => {
    expect(matchKeys(input({ search: `?utm_source=tiktok&ttclid=${encodeURIComponent(CLICK)}` }))).toEqual({
      attach: { ttclid: CLICK },
      store: stored([CLICK, NOW])
    })
  })

  it('is read from a percent-encoded parameter name too, as URLSearchParams decodes it', () => {
    expect(matchKeys(input({ search: `?tt%63lid=${encodeURIComponent(CLICK)}` }))).toEqual({
      attach: { ttclid: CLICK },
      store: stored([CLICK, NOW])
    })
  })

  it('is attached from storage on later pages, storage left alone', () => {
    expect(matchKeys(input({ stored: stored([CLICK, NOW - 2 * DAY]) }))).toEqual({ attach: { ttclid: CLICK } })
  })

  it('keeps the time of its click when the landing URL is reloaded', () => {
    const clicks = stored([CLICK, NOW - DAY])
    expect(matchKeys(input({ stored: clicks, search: `?ttclid=${CLICK}` }))).toEqual({ attach: { ttclid: CLICK } })
  })

  it('is not attached from a week after the click, and stays remembered as seen', () => {
    expect(matchKeys(input({ stored: stored([CLICK, NOW - CLICK_LIFETIME_MS]) }))).toEqual({ attach: {} })
    expect(matchKeys(input({ stored: stored([CLICK, NOW - CLICK_LIFETIME_MS + 1]) })).attach).toEqual({
      ttclid: CLICK
    })
  })

  it('is not revived by its landing URL reopened after its week', () => {
    const expired = stored([CLICK, NOW - 8 * DAY])
    expect(matchKeys(input({ stored: expired, search: `?ttclid=${CLICK}` }))).toEqual({ attach: {} })
  })

  it('is replaced by a newer click, whose week starts then', () => {
    expect(matchKeys(input({ stored: stored([CLICK, NOW - DAY]), search: `?ttclid=${NEWER_CLICK}` }))).toEqual({
      attach: { ttclid: NEWER_CLICK },
      store: stored([CLICK, NOW - DAY], [NEWER_CLICK, NOW])
    })
  })

  it('does not replace a newer click when an older landing URL is reopened', () => {
    const both = stored([CLICK, NOW - 2 * DAY], [NEWER_CLICK, NOW - DAY])
    expect(matchKeys(input({ stored: both, search: `?ttclid=${CLICK}` }))).toEqual({ attach: { ttclid: NEWER_CLICK } })
  })

  it('a new click after an expired one is attached', () => {
    expect(matchKeys(input({ stored: stored([CLICK, NOW - 8 * DAY]), search: `?ttclid=${NEWER_CLICK}` }))).toEqual({
      attach: { ttclid: NEWER_CLICK },
      store: stored([CLICK, NOW - 8 * DAY], [NEWER_CLICK, NOW])
    })
  })

  it(`remembers the last ${REMEMBERED_CLICKS} clicks seen`, () => {
    const many = stored(
      ...Array.from({ length: REMEMBERED_CLICKS }, (_, i): [string, number] => [`E.C.P.${i}`, NOW - 9 * DAY + i])
    )
    const plan = matchKeys(input({ stored: many, search: `?ttclid=${NEWER_CLICK}` }))
    expect(plan.store).toEqual({ clicks: [...many.clicks.slice(1), { ttclid: NEWER_CLICK, at: NOW }] })
  })

  it('counts a time in the future (a clock set back) as now, and stores it so', () => {
    const future = stored([CLICK, NOW + 30 * DAY])
    expect(matchKeys(input({ stored: future }))).toEqual({ attach: { ttclid: CLICK }, store: stored([CLICK, NOW]) })
    expect(matchKeys(input({ stored: stored([CLICK, NOW]), now: NOW + CLICK_LIFETIME_MS })).attach).toEqual({})
  })

  it('reads a click stored by an earlier version as one click seen', () => {
    expect(matchKeys(input({ stored: { ttclid: CLICK, at: NOW - DAY } }))).toEqual({
      attach: { ttclid: CLICK },
      store: stored([CLICK, NOW - DAY])
    })
  })

  it.each([
    ['not json'],
    [{ ttclid: 42, at: NOW }],
    [{ ttclid: CLICK }],
    [{ ttclid: CLICK, at: 'yesterday' }],
    [{ clicks: 'no' }]
  ])('forgets an unreadable stored value %j', (value) => {
    expect(matchKeys(input({ stored: value }))).toEqual({ attach: {}, store: null })
  })

  it('keeps the readable clicks of a partly unreadable list', () => {
    const partly = { clicks: [{ ttclid: 7 }, { ttclid: CLICK, at: NOW - DAY }] }
    expect(matchKeys(input({ stored: partly }))).toEqual({
      attach: { ttclid: CLICK },
      store: stored([CLICK, NOW - DAY])
    })
  })

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
  const both = { stored: stored([CLICK, NOW - DAY]), ttp: TTP }

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
      store: stored([CLICK, NOW - DAY], [NEWER_CLICK, NOW])
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
      store: stored([CLICK, NOW])
    })
  })

  it('neither stores, attaches nor forgets while held', () => {
    expect(matchKeys(input({ ...visit, consent: 'held' }))).toEqual({ attach: {} })
    expect(matchKeys(input({ ...visit, consent: 'held', stored: { ttclid: CLICK, at: NOW } }))).toEqual({ attach: {} })
  })

  it('forgets the remembered clicks once revoked', () => {
    expect(matchKeys(input({ ...visit, stored: stored([CLICK, NOW]), consent: 'revoked' }))).toEqual({
      attach: {},
      store: null
    })
    expect(matchKeys(input({ ...visit, consent: 'revoked' }))).toEqual({ attach: {} })
  })
})
