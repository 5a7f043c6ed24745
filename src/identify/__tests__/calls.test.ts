import { identifyCalls } from '../calls'
import type { Payload } from '../generated-types'
import type { TikTokCall } from '../../types'

const calls = (payload: Record<string, unknown>): TikTokCall[] => identifyCalls(payload as unknown as Payload)

/** The identify argument for one PII field, or undefined when nothing is sent. */
function user(payload: Record<string, unknown>): unknown {
  const result = calls(payload)
  expect(result.length).toBeLessThanOrEqual(1)
  return result[0]?.[1]
}

/** For a table of `[input, expected]`: `field` given `input` is sent as `expected`, alone. */
const sendsAs = (field: string) => (input: unknown, expected: unknown) => {
  expect(user({ [field]: input })).toEqual({ [field]: expected })
}

describe('identifyCalls', () => {
  it('sends one identify with every normalised field', () => {
    expect(
      calls({
        email: ' Jane.Doe@Example.COM ',
        phone_number: '+1 (213) 373-4253',
        first_name: ' Jane ',
        last_name: 'Doe-Smith',
        address: { city: 'New York', state: 'NY', country: 'US', zip_code: '10001' },
        external_id: 'user-42'
      })
    ).toEqual([
      [
        'identify',
        {
          email: 'jane.doe@example.com',
          phone_number: '+12133734253',
          first_name: 'jane',
          last_name: 'doesmith',
          city: 'newyork',
          state: 'ny',
          country: 'us',
          zip_code: '10001',
          external_id: 'user-42'
        }
      ]
    ])
  })

  it.each([
    ['nothing', {}],
    ['empty strings', { email: '', phone_number: '', first_name: '', last_name: '', external_id: '' }],
    ['blank strings', { email: '  ', first_name: ' ', address: { city: ' ', zip_code: '\t' } }],
    ['nulls', { email: null, phone_number: null, address: null, external_id: null }],
    ['empty lists', { email: [], phone_number: [], external_id: [] }],
    ['empty address', { address: {} }],
    ['only punctuation in names', { first_name: '--', last_name: "'.", address: { city: ', ' } }],
    ['unusable e-mail and phone', { email: 'jane at example.com', phone_number: '555-0100' }]
  ])('sends nothing for %s', (_, payload) => {
    expect(calls(payload)).toEqual([])
  })

  describe('e-mail: trimmed and lower-cased', () => {
    it.each([
      ['Jane.Doe@Example.COM', 'jane.doe@example.com'],
      ['  padded@example.com\n', 'padded@example.com'],
      ['UPPER+TAG@EXAMPLE.CO.UK', 'upper+tag@example.co.uk'],
      [['First@x.io', 'second@x.io'], 'first@x.io']
    ])('%p becomes %p', sendsAs('email'))

    it.each([['no-at-sign'], ['two@@example.com'], ['with space@example.com'], ['@example.com'], ['jane@'], [42]])(
      'leaves out %p',
      (input) => {
        expect(user({ email: input })).toBeUndefined()
      }
    )
  })

  describe('phone: E.164 only, never a guessed country code', () => {
    it.each([
      ['+12133734253', '+12133734253'],
      ['+1 213 373 4253', '+12133734253'],
      ['+1 (213) 373-4253', '+12133734253'],
      ['+1.213.373.4253', '+12133734253'],
      ['+49 30/123456', '+4930123456'],
      ['0049 30 123456', '+4930123456'],
      ['+44 (0)20 7946 0958', '+442079460958'],
      ['  +33 6 12 34 56 78  ', '+33612345678'],
      [['+81 3-1234-5678', '+12133734253'], '+81312345678']
    ])('%p becomes %p', sendsAs('phone_number'))

    it.each([
      ['a US national number', '(213) 373-4253'],
      ['a UK national number', '020 7946 0958'],
      ['a French national number', '06 12 34 56 78'],
      ['bare digits', '2133734253'],
      ['a number type', 2133734253],
      ['an extension', '+1 213 373 4253 ext 12'],
      ['a leading zero country code', '+044 20 7946 0958'],
      ['too few digits', '+1 234 56'],
      ['too many digits', '+1 234 567 890 123 456'],
      ['a national number first in a list', ['(213) 373-4253', '+12133734253']]
    ])('leaves out %s', (_, input) => {
      expect(user({ phone_number: input })).toBeUndefined()
    })
  })

  describe('names: lower case, letters only, accents kept', () => {
    it.each([
      ['Jane', 'jane'],
      ['  JANE  ', 'jane'],
      ['Mary Ann', 'maryann'],
      ['Jean-Luc', 'jeanluc'],
      ["O'Brien", 'obrien'],
      ['St. John', 'stjohn'],
      ['Zoë', 'zoë'],
      ['José', 'josé'],
      ['Ångström', 'ångström'],
      ['Łukasz', 'łukasz'],
      ['Müller', 'müller'],
      ['François', 'françois'],
      ['Jose\u0301', 'josé'],
      ['R2-D2', 'rd'],
      [['Ann', 'Bob'], 'ann']
    ])('first name %p becomes %p', sendsAs('first_name'))

    it.each([
      ['DE LA CRUZ', 'delacruz'],
      ['García Márquez', 'garcíamárquez'],
      ['Smith, Jr.', 'smithjr']
    ])('last name %p becomes %p', sendsAs('last_name'))

    it.each([['123'], ['!!!'], [{ given: 'Jane' }], [true]])('leaves out first name %p', (input) => {
      expect(user({ first_name: input })).toBeUndefined()
    })
  })

  describe('address: lower case without spaces or punctuation', () => {
    it.each([
      ['city', 'San Francisco', 'sanfrancisco'],
      ['city', 'Saint-Étienne', 'saintétienne'],
      ['city', 'St. Louis', 'stlouis'],
      ['city', ['Paris', 'Lyon'], 'paris'],
      ['state', 'CA', 'ca'],
      ['state', 'Île-de-France', 'îledefrance'],
      ['country', 'US', 'us'],
      ['country', 'United Kingdom', 'unitedkingdom'],
      ['zip_code', '94107', '94107'],
      ['zip_code', '94107-1234', '941071234'],
      ['zip_code', 'SW1A 1AA', 'sw1a1aa'],
      ['zip_code', 75001, '75001']
    ])('%s %p becomes %p', (key, input, expected) => {
      expect(user({ address: { [key]: input } })).toEqual({ [key]: expected })
    })

    it('flattens the address into the identify argument', () => {
      const result = user({ address: { city: 'Oslo', country: 'NO' } }) as Record<string, unknown>
      expect(result).toEqual({ city: 'oslo', country: 'no' })
      expect(result).not.toHaveProperty('address')
    })

    it.each([
      ['a string', 'Main St 1, Oslo'],
      ['a list', [{ city: 'Oslo' }]],
      ['a number', 1]
    ])('ignores an address given as %s', (_, address) => {
      expect(calls({ address })).toEqual([])
    })

    it('ignores address keys it does not know', () => {
      expect(user({ address: { street: '1 Main St', postal_code: '0150', city: 'Oslo' } })).toEqual({ city: 'oslo' })
    })
  })

  describe('external id', () => {
    it.each([
      ['user-1', 'user-1'],
      ['  user-1 ', 'user-1'],
      [12345, '12345'],
      [['u-1', 'u-2'], 'u-1']
    ])('%p becomes %p', sendsAs('external_id'))

    it('keeps the case of the id', () => {
      expect(user({ external_id: 'AbC-42' })).toEqual({ external_id: 'AbC-42' })
    })
  })

  it.each([
    ['an object', { a: 1 }],
    ['true', true],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a nested list', [['jane@example.com']]],
    ['a list of objects', [{ email: 'jane@example.com' }]],
    ['a function', () => 'jane@example.com']
  ])('drops every field given %s', (_, value) => {
    const address = { city: value, state: value, country: value, zip_code: value }
    expect(
      calls({
        email: value,
        phone_number: value,
        first_name: value,
        last_name: value,
        address,
        external_id: value
      })
    ).toEqual([])
  })

  it('has no key whose value is empty or undefined', () => {
    const [[, result]] = calls({
      email: 'a@b.co',
      first_name: '',
      last_name: null,
      address: { city: '', zip_code: '1' }
    })
    expect(result).toEqual({ email: 'a@b.co', zip_code: '1' })
    expect(Object.keys(result as object).sort()).toEqual(['email', 'zip_code'])
  })

  it('does not pollute Object.prototype through __proto__ or constructor keys', () => {
    const address = JSON.parse(
      '{"__proto__": {"polluted": "yes", "city": "evil"}, "constructor": {"prototype": {"polluted": "yes"}}}'
    )
    try {
      expect(calls({ address, email: 'a@b.co' })).toEqual([['identify', { email: 'a@b.co' }]])
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(Object.keys(Object.prototype)).toEqual([])
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted
    }
  })
})
