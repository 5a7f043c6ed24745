import { InvalidPayloadError, reportWebEventCalls } from '../calls'
import type { Payload } from '../generated-types'
import type { TikTokCall } from '../../types'

/** Payloads as the runtime hands them over: whatever the mapping resolved, typed or not. */
const calls = (payload: Record<string, unknown>): TikTokCall[] => reportWebEventCalls(payload as unknown as Payload)

/** The properties argument of the (single) track call. */
function trackProperties(payload: Record<string, unknown>): unknown {
  const track = calls(payload).find((call) => call[0] === 'track')
  return track?.[2]
}

/** Fails when any value in `value` is null, '', {} or [] (rule 2: nothing empty). */
function expectNothingEmpty(value: unknown, where = 'call'): void {
  if (value === null || value === '') throw new Error(`${where} is ${JSON.stringify(value)}`)
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Error(`${where} is []`)
    value.forEach((item, index) => {
      if (item !== undefined || where !== 'call') expectNothingEmpty(item, `${where}[${index}]`)
    })
    return
  }
  if (typeof value === 'object' && value !== undefined) {
    const keys = Object.keys(value as object)
    if (keys.length === 0) throw new Error(`${where} is {}`)
    for (const key of keys) {
      const child = (value as Record<string, unknown>)[key]
      if (child === undefined) throw new Error(`${where}.${key} is present but undefined`)
      expectNothingEmpty(child, `${where}.${key}`)
    }
  }
}

describe('reportWebEventCalls', () => {
  describe('rule 1: track(event, properties, { event_id })', () => {
    it('sends the event with its properties and the event id as options', () => {
      expect(calls({ event: 'CompletePayment', event_id: 'msg-1', value: 10, currency: 'USD' })).toEqual([
        ['track', 'CompletePayment', { value: 10, currency: 'USD' }, { event_id: 'msg-1' }]
      ])
    })

    it('keeps the options argument when there are no properties', () => {
      const result = calls({ event: 'Pageview', event_id: 'msg-2' })
      expect(result).toEqual([['track', 'Pageview', undefined, { event_id: 'msg-2' }]])
      expect(result[0]).toHaveLength(4)
    })

    it('leaves off trailing arguments it does not have', () => {
      expect(calls({ event: 'Contact' })).toEqual([['track', 'Contact']])
      expect(calls({ event: 'Contact' })[0]).toHaveLength(2)
      expect(calls({ event: 'Contact', query: 'q' })).toEqual([['track', 'Contact', { query: 'q' }]])
      expect(calls({ event: 'Contact', query: 'q' })[0]).toHaveLength(3)
    })

    it.each([
      ['a number', 42, '42'],
      ['a list (first element)', ['first-id', 'second-id'], 'first-id'],
      ['a padded string', '  abc  ', 'abc']
    ])('takes the event id from %s', (_, eventId, expected) => {
      expect(calls({ event: 'Search', event_id: eventId })).toEqual([
        ['track', 'Search', undefined, { event_id: expected }]
      ])
    })

    it.each([[''], ['   '], [null], [{}], [[]], [true], [NaN]])('leaves out an unusable event id %p', (eventId) => {
      expect(calls({ event: 'Search', event_id: eventId })).toEqual([['track', 'Search']])
    })

    it('trims the event name and keeps custom names as they are', () => {
      expect(calls({ event: '  MyCustomEvent ' })).toEqual([['track', 'MyCustomEvent']])
    })

    it('sends a numeric event name as a string', () => {
      expect(calls({ event: 42 })).toEqual([['track', '42']])
    })

    it.each([[undefined], [''], ['  '], [null], [NaN], [true], [['ViewContent']], [{}]])(
      'rejects event name %p with InvalidPayloadError',
      (event) => {
        expect(() => calls({ event, event_id: 'm' })).toThrow(InvalidPayloadError)
        expect(() => calls({ event, event_id: 'm' })).toThrow('Event Name')
      }
    )
  })

  describe('rule 2: nothing empty', () => {
    it('drops empty strings, nulls, empty objects and lists everywhere', () => {
      const result = calls({
        event: 'AddToCart',
        event_id: 'm',
        order_id: '',
        shop_id: '  ',
        contents: [],
        content_ids: [],
        num_items: null,
        content_type: 'product',
        currency: '',
        value: '',
        description: null,
        query: {},
        search_string: [],
        email: [],
        phone_number: [''],
        first_name: '',
        last_name: ' ',
        address: {},
        external_id: []
      })
      expect(result).toEqual([['track', 'AddToCart', undefined, { event_id: 'm' }]])
    })

    it('drops content items without any usable field', () => {
      expect(
        trackProperties({
          event: 'AddToCart',
          contents: [
            {},
            { content_id: '', content_name: '   ', price: null, quantity: 'many' },
            null,
            undefined,
            'sku-1',
            42,
            [{ content_id: 'nested' }],
            { content_id: 'sku-2' }
          ]
        })
      ).toEqual({ contents: [{ content_id: 'sku-2' }] })
    })

    it('omits contents (and content_type) when no item is left', () => {
      const properties = trackProperties({
        event: 'AddToCart',
        contents: [{}, { brand: '' }],
        content_type: 'product',
        query: 'q'
      })
      expect(properties).toEqual({ query: 'q' })
      expect(Object.keys(properties as object)).toEqual(['query'])
    })

    it('sends content_type only with contents or content_ids', () => {
      expect(trackProperties({ event: 'X', content_type: 'product', query: 'q' })).toEqual({ query: 'q' })
      expect(trackProperties({ event: 'X', content_type: 'product', content_ids: ['a'] })).toEqual({
        content_ids: ['a'],
        content_type: 'product'
      })
      expect(trackProperties({ event: 'X', content_type: 'product_group', contents: [{ content_id: 'g' }] })).toEqual({
        contents: [{ content_id: 'g' }],
        content_type: 'product_group'
      })
      expect(trackProperties({ event: 'X', content_type: '', content_ids: 'a' })).toEqual({ content_ids: ['a'] })
    })

    it('has no empty or undefined-valued key in a busy payload', () => {
      const result = calls({
        event: 'CompletePayment',
        event_id: 'm',
        order_id: 'o-1',
        contents: [{ content_id: 'a', price: '', quantity: 0 }, { content_name: null }, { brand: 'B' }],
        content_ids: ['x', '', null],
        content_type: 'product',
        currency: 'eur',
        value: '0',
        email: ' A@B.CO ',
        address: { city: '', country: 'FR' },
        event_spec_type: 'vehicle_fields',
        vehicle_fields: { make: '', model: 'Zoe', mileage_value: null, mileage_unit: 'KM', suggested: [] }
      })
      result.forEach((call) => call.slice(1).forEach((arg, index) => expectNothingEmpty(arg, `arg${index + 1}`)))
      expect(result).toEqual([
        ['identify', { email: 'a@b.co', country: 'fr' }],
        [
          'track',
          'CompletePayment',
          {
            contents: [{ content_id: 'a', quantity: 0 }, { brand: 'B' }],
            content_ids: ['x'],
            content_type: 'product',
            currency: 'EUR',
            value: 0,
            order_id: 'o-1',
            model: 'Zoe'
          },
          { event_id: 'm' }
        ]
      ])
    })
  })

  describe('rule 3: numbers, currency and content ids', () => {
    it.each([
      ['a number', 12.5, 12.5],
      ['zero', 0, 0],
      ['negative', -3, -3],
      ['a numeric string', '12.50', 12.5],
      ['a padded numeric string', ' 7 ', 7],
      ['"0"', '0', 0],
      ['an exponent', '1e3', 1000],
      ['a list (first element)', ['9.99', 'x'], 9.99]
    ])('value from %s', (_, value, expected) => {
      expect(trackProperties({ event: 'X', value, currency: 'EUR' })).toEqual({ value: expected, currency: 'EUR' })
    })

    it.each([
      ['an empty string', ''],
      ['a blank string', '  '],
      ['text', 'ten'],
      ['a formatted amount', '1,299.00'],
      ['a currency amount', '$5'],
      ['a hexadecimal string', '0x10'],
      ['a binary string', '0b11'],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['"Infinity"', 'Infinity'],
      ['-Infinity', -Infinity],
      ['true', true],
      ['false', false],
      ['null', null],
      ['an object', { amount: 5 }],
      ['an empty list', []],
      ['a nested list', [[5]]]
    ])('drops value given as %s', (_, value) => {
      expect(calls({ event: 'X', value })).toEqual([['track', 'X']])
    })

    it.each(['value', 'num_items'])('normalises %s the same way', (key) => {
      expect(trackProperties({ event: 'X', [key]: '3', currency: 'EUR' })).toEqual({ [key]: 3, currency: 'EUR' })
      expect(trackProperties({ event: 'X', [key]: 0, currency: 'EUR' })).toEqual({ [key]: 0, currency: 'EUR' })
      expect(calls({ event: 'X', [key]: 'n/a' })).toEqual([['track', 'X']])
    })

    it.each([
      ['price', '19.99', 19.99],
      ['price', 0, 0],
      ['price', '0', 0],
      ['quantity', '2', 2],
      ['quantity', 0, 0],
      ['quantity', 3, 3]
    ])('content %s %p becomes %p', (key, input, expected) => {
      expect(trackProperties({ event: 'X', value: 1, contents: [{ content_id: 'a', [key]: input }] })).toEqual({
        contents: [{ content_id: 'a', [key]: expected }],
        value: 1,
        currency: 'USD'
      })
    })

    it.each([
      ['price', 'free'],
      ['price', NaN],
      ['price', { amount: 1 }],
      ['price', true],
      ['quantity', Infinity],
      ['quantity', '1 box'],
      ['quantity', [1]]
    ])('drops content %s %p', (key, input) => {
      expect(trackProperties({ event: 'X', contents: [{ content_id: 'a', [key]: input }] })).toEqual({
        contents: [{ content_id: 'a' }]
      })
    })

    it.each([
      ['usd', 'USD'],
      [' eur ', 'EUR'],
      ['GBP', 'GBP'],
      ['jPy', 'JPY']
    ])('currency %p becomes %p', (input, expected) => {
      expect(trackProperties({ event: 'X', currency: input })).toEqual({ currency: expected })
    })

    it.each([['US$'], ['dollars'], ['US'], ['840'], [840], [''], [true], [{}], [['USD']]])(
      'drops currency %p that is not an ISO 4217 code',
      (input) => {
        expect(calls({ event: 'X', currency: input })).toEqual([['track', 'X']])
      }
    )

    it('sends content ids as strings, numbers included', () => {
      expect(
        trackProperties({
          event: 'X',
          contents: [{ content_id: 123 }, { content_id: ' sku-9 ' }, { content_id: 0 }],
          content_ids: [456, 'abc', '', null, { id: 1 }, true]
        })
      ).toEqual({
        contents: [{ content_id: '123' }, { content_id: 'sku-9' }, { content_id: '0' }],
        content_ids: ['456', 'abc']
      })
    })

    it('accepts a single content id and a single content object', () => {
      expect(trackProperties({ event: 'X', content_ids: 'sku-1', content_type: 'product' })).toEqual({
        content_ids: ['sku-1'],
        content_type: 'product'
      })
      expect(trackProperties({ event: 'X', contents: { content_id: 'sku-1', quantity: 2 } })).toEqual({
        contents: [{ content_id: 'sku-1', quantity: 2 }]
      })
    })

    it('keeps every content field TikTok knows, and only those', () => {
      expect(
        trackProperties({
          event: 'X',
          contents: [
            {
              content_id: 'sku-1',
              content_name: ' Monopoly ',
              content_category: 'Games',
              brand: 'Hasbro',
              price: '18.99',
              quantity: '1',
              variant: 'red',
              coupon: 'MAY'
            }
          ]
        })
      ).toEqual({
        contents: [
          {
            content_id: 'sku-1',
            content_name: 'Monopoly',
            content_category: 'Games',
            brand: 'Hasbro',
            price: 18.99,
            quantity: 1
          }
        ],
        value: 18.99,
        currency: 'USD'
      })
    })

    it.each([
      ['order_id', 1001, '1001'],
      ['order_id', [' o-1 ', 'o-2'], 'o-1'],
      ['shop_id', 'shop-7', 'shop-7'],
      ['description', ' A gift ', 'A gift'],
      ['query', 'blue shoes', 'blue shoes'],
      ['search_string', ['red hat'], 'red hat']
    ])('text field %s %p becomes %p', (key, input, expected) => {
      expect(trackProperties({ event: 'X', [key]: input })).toEqual({ [key]: expected })
    })

    it.each([
      ['order_id', { id: 1 }],
      ['shop_id', true],
      ['description', NaN],
      ['query', [[]]],
      ['search_string', [{ q: 'x' }]]
    ])('drops text field %s given as %p', (key, input) => {
      expect(calls({ event: 'X', [key]: input })).toEqual([['track', 'X']])
    })
  })

  describe('rule 4: identify before track when there is PII', () => {
    it('sends identify first, then the track', () => {
      expect(
        calls({
          event: 'CompletePayment',
          event_id: 'm',
          value: 1,
          currency: 'USD',
          email: ' Jane.Doe@Example.COM ',
          phone_number: '+1 (213) 373-4253',
          first_name: 'Jane',
          last_name: 'Doe',
          address: { city: 'San Francisco', state: 'CA', country: 'US', zip_code: '94107' },
          external_id: 'user-1'
        })
      ).toEqual([
        [
          'identify',
          {
            email: 'jane.doe@example.com',
            phone_number: '+12133734253',
            first_name: 'jane',
            last_name: 'doe',
            city: 'sanfrancisco',
            state: 'ca',
            country: 'us',
            zip_code: '94107',
            external_id: 'user-1'
          }
        ],
        ['track', 'CompletePayment', { value: 1, currency: 'USD' }, { event_id: 'm' }]
      ])
    })

    it('sends no identify without PII', () => {
      expect(calls({ event: 'X', email: 'not an e-mail', phone_number: '2133734253', address: 'Paris' })).toEqual([
        ['track', 'X']
      ])
    })

    it('sends identify with only the keys it has', () => {
      const [identify] = calls({ event: 'X', external_id: 'anon-1' })
      expect(identify).toEqual(['identify', { external_id: 'anon-1' }])
      expect(Object.keys(identify[1] as object)).toEqual(['external_id'])
    })

    it('takes the first element of every PII list', () => {
      expect(
        calls({
          event: 'X',
          email: ['First@Example.com', 'second@example.com'],
          phone_number: ['+33 6 12 34 56 78', '+12133734253'],
          first_name: ['Ann', 'Bob'],
          last_name: ['Lee', 'Kim'],
          address: { city: ['Paris', 'Lyon'], state: ['IDF'], country: ['FR', 'DE'], zip_code: ['75001', '69001'] },
          external_id: ['u-1', 'u-2']
        })[0]
      ).toEqual([
        'identify',
        {
          email: 'first@example.com',
          phone_number: '+33612345678',
          first_name: 'ann',
          last_name: 'lee',
          city: 'paris',
          state: 'idf',
          country: 'fr',
          zip_code: '75001',
          external_id: 'u-1'
        }
      ])
    })

    it('identify carries only the user, the track only the event', () => {
      const [identify, track] = calls({ event: 'X', event_id: 'm', email: 'a@b.co', query: 'q' })
      expect(identify).toEqual(['identify', { email: 'a@b.co' }])
      expect(track).toEqual(['track', 'X', { query: 'q' }, { event_id: 'm' }])
    })
  })

  describe('PII normalisation in events', () => {
    it.each([
      ['e-mail trimmed and lower-cased', { email: '  John.Smith@Mail.COM ' }, { email: 'john.smith@mail.com' }],
      ['phone in E.164', { phone_number: '+44 20 7946 0958' }, { phone_number: '+442079460958' }],
      ['phone with 00 prefix', { phone_number: '0033 1 23 45 67 89' }, { phone_number: '+33123456789' }],
      [
        'phone without the bracketed trunk 0',
        { phone_number: '+44 (0)20 7946 0958' },
        { phone_number: '+442079460958' }
      ],
      [
        'names without punctuation or spaces',
        { first_name: 'Mary-Jane', last_name: "O'Neil Jr." },
        { first_name: 'maryjane', last_name: 'oneiljr' }
      ],
      ['accented names kept', { first_name: 'Zoë', last_name: 'Núñez' }, { first_name: 'zoë', last_name: 'núñez' }],
      [
        'address parts without spaces or punctuation',
        { address: { city: 'St. Louis', state: 'Missouri', country: 'United States', zip_code: '63101-1234' } },
        { city: 'stlouis', state: 'missouri', country: 'unitedstates', zip_code: '631011234' }
      ],
      ['numeric zip code', { address: { zip_code: 75001 } }, { zip_code: '75001' }],
      ['numeric external id', { external_id: 42 }, { external_id: '42' }]
    ])('%s', (_, pii, user) => {
      expect(calls({ event: 'X', ...pii })).toEqual([
        ['identify', user],
        ['track', 'X']
      ])
    })

    it.each([
      ['a national number (country unknown)', '(213) 373-4253'],
      ['a national number with trunk prefix', '020 7946 0958'],
      ['digits only', '12133734253'],
      ['a number type', 12133734253],
      ['too short', '+1234'],
      ['too long', '+1234567890123456'],
      ['country code 0', '+0123456789'],
      ['letters', '+1 800 FLOWERS']
    ])('leaves out a phone number that is %s', (_, phone) => {
      expect(calls({ event: 'X', phone_number: phone })).toEqual([['track', 'X']])
    })

    it("completes a national number with the address's country, never with a guessed one", () => {
      const [withCountry] = calls({ event: 'X', phone_number: '07911 123456', address: { country: 'GB' } })
      expect(withCountry).toEqual(['identify', { phone_number: '+447911123456', country: 'gb' }])
      const [unknownCountry] = calls({ event: 'X', phone_number: '07911 123456', address: { country: 'Utopia' } })
      expect(unknownCountry).toEqual(['identify', { country: 'utopia' }])
    })
  })

  describe('travel and vehicle fields', () => {
    const travel = {
      city: ' Lisbon ',
      region: 'Lisboa',
      country: 'PT',
      checkin_date: '2025-06-01',
      checkout_date: '20250605',
      num_adults: '2',
      num_children: 0,
      num_infants: 'none',
      suggested_hotels: ['h-1', '', 'h-2', 3],
      departing_departure_date: '2025-06-01T08:00+01:00',
      returning_departure_date: '2025-06-05T18:30:00+01:00',
      origin_airport: 'LHR',
      destination_airport: 'LIS',
      destination_ids: 'd-1',
      departing_arrival_date: '2025-06-01',
      returning_arrival_date: '2025-06-05',
      travel_class: 'eco',
      user_score: '4.5',
      preferred_num_stops: 0,
      travel_start: '2025-06-01',
      travel_end: '2025-06-05',
      suggested_destinations: [],
      unknown_key: 'dropped'
    }

    const vehicle = {
      postal_code: '94107',
      make: 'Tesla',
      model: 'Model 3',
      year: '2024',
      state_of_vehicle: 'Used',
      mileage_value: '12000',
      mileage_unit: 'MI',
      exterior_color: 'Red',
      transmission: 'Automatic',
      body_style: 'Sedan',
      fuel_type: 'Electric',
      drivetrain: 'AWD',
      preferred_price_range_min: '20000',
      preferred_price_range_max: 35000,
      trim: 'Long Range',
      vin: '5YJ3E1EA7KF317000',
      interior_color: '',
      condition_of_vehicle: 'Good',
      viewcontent_type: 'vdp',
      search_type: 'inventory',
      registration_type: 'test_drive',
      unknown_key: 'dropped'
    }

    it('sends the travel parameters, normalised by type, when Additional Fields selects them', () => {
      expect(
        trackProperties({
          event: 'ViewContent',
          event_spec_type: 'travel_fields',
          travel_fields: travel,
          vehicle_fields: vehicle
        })
      ).toEqual({
        city: 'Lisbon',
        region: 'Lisboa',
        country: 'PT',
        checkin_date: '2025-06-01',
        checkout_date: '20250605',
        num_adults: 2,
        num_children: 0,
        suggested_hotels: ['h-1', 'h-2', '3'],
        departing_departure_date: '2025-06-01T08:00+01:00',
        returning_departure_date: '2025-06-05T18:30:00+01:00',
        origin_airport: 'LHR',
        destination_airport: 'LIS',
        destination_ids: ['d-1'],
        departing_arrival_date: '2025-06-01',
        returning_arrival_date: '2025-06-05',
        travel_class: 'eco',
        user_score: 4.5,
        preferred_num_stops: 0,
        travel_start: '2025-06-01',
        travel_end: '2025-06-05'
      })
    })

    it('sends the vehicle parameters with nested mileage and price range when Additional Fields selects them', () => {
      expect(
        trackProperties({
          event: 'ViewContent',
          event_spec_type: 'vehicle_fields',
          travel_fields: travel,
          vehicle_fields: vehicle
        })
      ).toEqual({
        postal_code: '94107',
        make: 'Tesla',
        model: 'Model 3',
        year: 2024,
        state_of_vehicle: 'Used',
        mileage: { value: 12000, unit: 'MI' },
        exterior_color: 'Red',
        transmission: 'Automatic',
        body_style: 'Sedan',
        fuel_type: 'Electric',
        drivetrain: 'AWD',
        preferred_price_range: [20000, 35000],
        trim: 'Long Range',
        vin: '5YJ3E1EA7KF317000',
        condition_of_vehicle: 'Good',
        viewcontent_type: 'vdp',
        search_type: 'inventory',
        registration_type: 'test_drive'
      })
    })

    it.each([[undefined], [''], ['other'], ['TRAVEL_FIELDS'], [['travel_fields']]])(
      'sends neither group when Additional Fields is %p',
      (eventSpecType) => {
        expect(
          calls({
            event: 'X',
            event_spec_type: eventSpecType,
            travel_fields: travel,
            vehicle_fields: vehicle,
            query: 'q'
          })
        ).toEqual([['track', 'X', { query: 'q' }]])
      }
    )

    it.each([
      ['mileage without a value', { mileage_unit: 'KM' }, undefined],
      ['mileage of 0 without a unit', { mileage_value: 0 }, { mileage: { value: 0 } }],
      ['mileage with an unusable value', { mileage_value: 'far', mileage_unit: 'KM' }, undefined],
      ['a price range without a maximum', { preferred_price_range_min: 1000 }, undefined],
      ['a price range without a minimum', { preferred_price_range_max: 1000 }, undefined],
      [
        'a price range from 0',
        { preferred_price_range_min: 0, preferred_price_range_max: '0' },
        { preferred_price_range: [0, 0] }
      ],
      ['a price range with junk', { preferred_price_range_min: 'cheap', preferred_price_range_max: 10 }, undefined]
    ])('vehicle: %s', (_, group, expected) => {
      expect(trackProperties({ event: 'X', event_spec_type: 'vehicle_fields', vehicle_fields: group })).toEqual(
        expected
      )
    })

    it.each([[null], ['cars'], [[{ make: 'Tesla' }]], [42]])('ignores a vehicle group that is %p', (group) => {
      expect(calls({ event: 'X', event_spec_type: 'vehicle_fields', vehicle_fields: group })).toEqual([['track', 'X']])
    })

    it('lets the event fields win over group keys of the same name', () => {
      expect(
        trackProperties({
          event: 'X',
          event_spec_type: 'travel_fields',
          travel_fields: { city: 'Rome' },
          description: 'd'
        })
      ).toEqual({ city: 'Rome', description: 'd' })
    })
  })

  describe('junk types are dropped, never sent', () => {
    const junk: [string, unknown][] = [
      ['an object', { a: 1 }],
      ['an empty object', {}],
      ['true', true],
      ['false', false],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['a nested list', [['x']]],
      ['a list of objects', [{ a: 1 }]],
      ['a function', () => 'x'],
      ['a symbol', Symbol('x')],
      ['a date', new Date(0)]
    ]

    it.each(junk)('every field given %s', (_, value) => {
      const keys = ['event_id', 'order_id', 'shop_id', 'contents', 'content_ids', 'num_items', 'content_type']
        .concat(['currency', 'value', 'description', 'query', 'search_string'])
        .concat(['email', 'phone_number', 'first_name', 'last_name', 'address', 'external_id'])
      const payload: Record<string, unknown> = { event: 'X' }
      for (const key of keys) payload[key] = value
      expect(calls(payload)).toEqual([['track', 'X']])
    })

    it.each(junk)('every content and address field given %s', (_, value) => {
      const item = Object.fromEntries(
        ['content_id', 'content_name', 'content_category', 'brand', 'price', 'quantity'].map((key) => [key, value])
      )
      const address = Object.fromEntries(['city', 'state', 'country', 'zip_code'].map((key) => [key, value]))
      expect(calls({ event: 'X', contents: [item], address })).toEqual([['track', 'X']])
    })

    it.each(junk)('every travel and vehicle field given %s', (_, value) => {
      const group = (keys: string[]) => Object.fromEntries(keys.map((key) => [key, value]))
      const travelKeys = ['city', 'num_adults', 'suggested_hotels', 'destination_ids', 'travel_class', 'user_score']
      const vehicleKeys = [
        'make',
        'year',
        'mileage_value',
        'mileage_unit',
        'preferred_price_range_min',
        'preferred_price_range_max'
      ]
      expect(calls({ event: 'X', event_spec_type: 'travel_fields', travel_fields: group(travelKeys) })).toEqual([
        ['track', 'X']
      ])
      expect(calls({ event: 'X', event_spec_type: 'vehicle_fields', vehicle_fields: group(vehicleKeys) })).toEqual([
        ['track', 'X']
      ])
    })
  })

  describe('prototype safety', () => {
    afterEach(() => {
      delete (Object.prototype as Record<string, unknown>).polluted
    })

    it('ignores __proto__ and constructor keys in content items and does not pollute Object.prototype', () => {
      const items = JSON.parse(
        '[{"__proto__": {"polluted": "yes", "content_id": "evil"}, "constructor": {"prototype": {"polluted": "yes"}}},' +
          ' {"content_id": "sku-1", "__proto__": {"price": 1}, "constructor": "x"}]'
      )
      const group = JSON.parse('{"__proto__": {"polluted": "yes", "city": "evil"}, "city": "Oslo"}')
      const address = JSON.parse('{"__proto__": {"polluted": "yes", "city": "evil"}}')
      const result = calls({
        event: 'X',
        contents: items,
        event_spec_type: 'travel_fields',
        travel_fields: group,
        address
      })
      expect(result).toEqual([['track', 'X', { contents: [{ content_id: 'sku-1' }], city: 'Oslo' }]])
      const properties = result[0][2] as Record<string, unknown>
      const [content] = properties.contents as Record<string, unknown>[]
      expect(Object.getPrototypeOf(content)).toBe(Object.prototype)
      expect(Object.getPrototypeOf(properties)).toBe(Object.prototype)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(Object.keys(Object.prototype)).toEqual([])
    })

    it('does not read a content field inherited through a prototype chain of the payload', () => {
      const inherited = Object.create({ content_id: 'inherited' }) as Record<string, unknown>
      inherited.quantity = 3
      expect(trackProperties({ event: 'X', contents: [inherited] })).toEqual({
        contents: [expect.objectContaining({ quantity: 3 })]
      })
    })
  })
})
