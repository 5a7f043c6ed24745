/**
 * A field the mapping gives but that cannot be used (the wrong kind, longer than a real one, no currency, no phone
 * number) is left out of the event, which is still sent, with one console warning per field and kind of problem
 * that names the field and never the value. Empty values are left out silently. Every field of Report Web Event
 * and Identify.
 */
import type { TikTokCall } from '../../types'
import type { Payload as IdentifyPayload } from '../../identify/generated-types'
import type { Payload } from '../generated-types'

type Calls = {
  reportWebEventCalls: typeof import('../calls').reportWebEventCalls
  identifyCalls: typeof import('../../identify/calls').identifyCalls
}

/** Fresh modules, so that each case starts with no warning given yet. */
function freshCalls(): Calls {
  let modules: Calls | undefined
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    modules = {
      reportWebEventCalls: (require('../calls') as typeof import('../calls')).reportWebEventCalls,
      identifyCalls: (require('../../identify/calls') as typeof import('../../identify/calls')).identifyCalls
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
  })
  return modules!
}

let warn: jest.SpyInstance

beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
})

afterEach(() => warn.mockRestore())

const warnings = (): string[] => warn.mock.calls.map((call) => String(call[0]))
const leftOut = (field: string, expected: string): string =>
  `[TikTok Pixel] field ${field} is not ${expected}: it is left out, and the rest of the event is sent.`

const TEXT = 'text or a number'
const NUMBER = 'a number'
const ID = 'an ID (text or a number) of at most 256 characters'
const NAME = 'text of at most 128 characters with a letter'
const ADDRESS_PART = 'text or a number of at most 128 characters with a letter or digit'
const TOO_LONG_ID = 'i'.repeat(257)
const NOT_A_NUMBER = 'seventeen'

/** [field, what the mapping gives, the warning's field, what it says the field must be] */
const eventCases: [string, Record<string, unknown>, string, string][] = [
  ['value: {}', { value: {} }, 'value', NUMBER],
  ['value: NaN', { value: NaN }, 'value', NUMBER],
  ['value: text', { value: NOT_A_NUMBER }, 'value', NUMBER],
  ['value: true', { value: true }, 'value', NUMBER],
  ['num_items', { num_items: { count: 2 } }, 'num_items', NUMBER],
  ['products as text', { contents: 'oops' }, 'contents[]', 'an object'],
  ['contents holding a number', { contents: [{ content_id: 'a' }, 7] }, 'contents[]', 'an object'],
  ['contents[].price', { contents: [{ content_id: 'a', price: NOT_A_NUMBER }] }, 'contents[].price', NUMBER],
  ['contents[].quantity', { contents: [{ content_id: 'a', quantity: {} }] }, 'contents[].quantity', NUMBER],
  [
    'contents[].content_id',
    { contents: [{ content_name: 'n', content_id: TOO_LONG_ID }] },
    'contents[].content_id',
    ID
  ],
  ['contents[].content_name', { contents: [{ content_id: 'a', content_name: {} }] }, 'contents[].content_name', TEXT],
  ['contents[].brand', { contents: [{ content_id: 'a', brand: [{}] }] }, 'contents[].brand', TEXT],
  [
    'contents[].content_category',
    { contents: [{ content_id: 'a', content_category: true }] },
    'contents[].content_category',
    TEXT
  ],
  ['contents[].content_type', { contents: [{ content_id: 'a', content_type: {} }] }, 'contents[].content_type', TEXT],
  ['content_ids', { content_ids: ['a', {}] }, 'content_ids[]', ID],
  ['content_type', { content_ids: ['a'], content_type: { kind: 'product' } }, 'content_type', TEXT],
  ['order_id: too long', { order_id: TOO_LONG_ID }, 'order_id', ID],
  ['order_id: an object', { order_id: { id: 1 } }, 'order_id', ID],
  ['shop_id', { shop_id: false }, 'shop_id', ID],
  ['query', { query: {} }, 'query', TEXT],
  ['search_string', { search_string: [true] }, 'search_string', TEXT],
  ['description', { description: Infinity }, 'description', TEXT],
  ['currency: no ISO 4217 code', { value: 3, currency: 'XYZ' }, 'currency', 'an ISO 4217 currency code (such as USD)'],
  [
    'travel_fields: not an object',
    { event_spec_type: 'travel_fields', travel_fields: 'Paris' },
    'travel_fields',
    'an object'
  ],
  [
    'travel_fields.num_adults',
    { event_spec_type: 'travel_fields', travel_fields: { city: 'Paris', num_adults: 'two' } },
    'travel_fields.num_adults',
    NUMBER
  ],
  [
    'travel_fields.suggested_hotels',
    { event_spec_type: 'travel_fields', travel_fields: { city: 'Paris', suggested_hotels: ['h1', {}] } },
    'travel_fields.suggested_hotels[]',
    ID
  ],
  [
    'vehicle_fields.make',
    { event_spec_type: 'vehicle_fields', vehicle_fields: { model: 'T', make: {} } },
    'vehicle_fields.make',
    TEXT
  ],
  ['email', { email: 'not an address' }, 'email', 'an e-mail address'],
  ['email: a number', { email: 12345 }, 'email', 'an e-mail address'],
  [
    'phone_number: a national number as a number, no country',
    { phone_number: 4155550101 },
    'phone_number',
    'in E.164 (+ and the country code) and address.country names no country whose numbers it fits'
  ],
  [
    'phone_number: too short a national number for the country',
    { phone_number: '555 0101', address: { country: 'US' } },
    'phone_number',
    'in E.164 (+ and the country code) and address.country names no country whose numbers it fits'
  ],
  ['phone_number: no phone number', { phone_number: 'call me' }, 'phone_number', 'a phone number'],
  ['phone_number: an object', { phone_number: {} }, 'phone_number', 'a phone number'],
  ['external_id', { external_id: TOO_LONG_ID }, 'external_id', ID],
  ['first_name', { first_name: '1234' }, 'first_name', NAME],
  ['last_name', { last_name: { last: 'Doe' } }, 'last_name', NAME],
  ['address', { address: 'Main Street 1, Springfield' }, 'address', 'an object'],
  ['address.city', { address: { city: {} } }, 'address.city', ADDRESS_PART],
  ['address.state', { address: { state: '--' } }, 'address.state', ADDRESS_PART],
  ['address.zip_code', { address: { country: [], city: 'Paris', zip_code: true } }, 'address.zip_code', ADDRESS_PART]
]

/** The values in a case, as they could show up in a message. */
function valuesOf(fields: Record<string, unknown>): string[] {
  const values: string[] = []
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk)
    else if (value !== null && typeof value === 'object')
      Object.entries(value).forEach(([key, item]) => key !== 'event_spec_type' && walk(item))
    else if (typeof value === 'string' && value.length > 1) values.push(value)
    else if (typeof value === 'number' && value > 9) values.push(String(value))
  }
  walk(fields)
  return values
}

describe('Report Web Event', () => {
  it.each(eventCases)(
    '%s: left out, the event sent, one warning naming the field and not the value',
    (_, fields, field, expected) => {
      const { reportWebEventCalls } = freshCalls()
      const event = { event: 'Purchase', order_id: 'o-1', ...fields } as unknown as Payload
      const sent = reportWebEventCalls(event, 'm-1')
      const again = reportWebEventCalls(event, 'm-2')
      const track = sent[sent.length - 1]
      expect(track[0]).toBe('track')
      expect(track[1]).toBe('Purchase')
      expect(again).toHaveLength(sent.length)
      expect(warnings()).toEqual([leftOut(field, expected)])
      for (const value of valuesOf(fields)) expect(warnings()[0]).not.toContain(value)
    }
  )

  it('keeps the rest of the event and leaves out only what is unusable', () => {
    const { reportWebEventCalls } = freshCalls()
    const sent = reportWebEventCalls(
      {
        event: 'Purchase',
        value: {},
        currency: 'eur',
        contents: [{ content_id: 'a', price: 2, quantity: 'many' }, 'oops'],
        email: 'jane@example.com',
        phone_number: 4155550101
      } as unknown as Payload,
      'm-1'
    )
    expect(sent).toEqual<TikTokCall[]>([
      ['identify', { email: 'jane@example.com' }],
      [
        'track',
        'Purchase',
        { contents: [{ content_id: 'a', price: 2 }], value: 2, currency: 'EUR' },
        { event_id: 'm-1' }
      ]
    ])
    expect(warnings()).toEqual([
      leftOut(
        'phone_number',
        'in E.164 (+ and the country code) and address.country names no country whose numbers it fits'
      ),
      leftOut('contents[].quantity', NUMBER),
      leftOut('contents[]', 'an object'),
      leftOut('value', NUMBER)
    ])
  })

  it('an event ID that is no ID: the messageId instead, one warning', () => {
    const { reportWebEventCalls } = freshCalls()
    expect(reportWebEventCalls({ event: 'Purchase', event_id: { id: 'e-1' } } as unknown as Payload, 'm-1')).toEqual([
      ['track', 'Purchase', undefined, { event_id: 'm-1' }]
    ])
    expect(warnings()).toEqual([`[TikTok Pixel] field event_id is not ${ID}: the messageId is the event ID instead.`])
  })

  it.each([
    ['missing', {}],
    ['null', { value: null, currency: null, contents: null, email: null, address: null }],
    ['blank text', { value: ' ', query: '', order_id: '  ', email: '', phone_number: ' ', first_name: '' }],
    ['empty lists', { contents: [], content_ids: [], email: [], phone_number: [null, ''], value: [] }],
    ['empty items and address', { contents: [{}, { price: null }], address: {}, travel_fields: {} }],
    ['lists of blanks', { content_ids: ['', null], contents: [null, ''] }]
  ])('empty values (%s) are left out without a warning', (_, fields) => {
    const { reportWebEventCalls } = freshCalls()
    expect(reportWebEventCalls({ event: 'Purchase', ...fields } as unknown as Payload, 'm-1')).toEqual([
      ['track', 'Purchase', undefined, { event_id: 'm-1' }]
    ])
    expect(warnings()).toEqual([])
  })

  it('a well-formed event gets no warning', () => {
    const { reportWebEventCalls } = freshCalls()
    reportWebEventCalls(
      {
        event: 'Purchase',
        value: '12.5',
        currency: 'usd',
        contents: [
          { content_id: 1, content_name: 'Tee', price: '12.5', quantity: 1, brand: 'B', content_type: 'Shirts' }
        ],
        content_ids: ['1'],
        content_type: 'product',
        num_items: 1,
        order_id: 99,
        email: ['jane@example.com'],
        phone_number: '+1 213 373 4253',
        address: { country: 'US', city: 'New York', zip_code: 10001 },
        first_name: 'Jane',
        external_id: 'u-1'
      } as unknown as Payload,
      'm-1'
    )
    expect(warnings()).toEqual([])
  })
})

const USER_FIELDS = new Set(['email', 'phone_number', 'first_name', 'last_name', 'address', 'external_id'])

describe('Identify', () => {
  it.each(eventCases.filter(([, fields]) => Object.keys(fields).some((key) => USER_FIELDS.has(key))))(
    '%s: left out, the rest sent, one warning naming the field and not the value',
    (_, fields, field, expected) => {
      const { identifyCalls } = freshCalls()
      const payload = { email: 'jane@example.com', first_name: 'Jane', ...fields } as unknown as IdentifyPayload
      const sent = identifyCalls(payload)
      identifyCalls(payload)
      expect(sent[0]?.[0]).toBe('identify')
      expect(warnings()).toEqual([leftOut(field, expected)])
      for (const value of valuesOf(fields)) expect(warnings()[0]).not.toContain(value)
    }
  )
})
