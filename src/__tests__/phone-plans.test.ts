/**
 * The shipped numbering plans against the authorities they were encoded from: libphonenumber-js's
 * metadata (calling code, trunk prefix, national number lengths, example numbers) and
 * i18n-iso-countries (ISO 3166-1 alpha-3). Both are devDependencies; neither reaches the bundle.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { getExampleNumber, parsePhoneNumber } from 'libphonenumber-js/max'
import type { CountryCode } from 'libphonenumber-js'
import examples from 'libphonenumber-js/examples.mobile.json'
import { encodePlans, sourcePlans } from '../../scripts/phone-plans'
import { phone } from '../normalize'
import { phonePlan } from '../phone-plans'

const source = sourcePlans()

it('covers every country libphonenumber-js has a plan for, but the two without an ISO 3166-1 code', () => {
  expect(source.length).toBeGreaterThanOrEqual(240)
})

it('is the encoding of the current metadata (run `tsx scripts/phone-plans.ts` after updating it)', () => {
  const shipped = readFileSync(join(__dirname, '..', 'phone-plans.ts'), 'utf8')
  const literal = /const PHONE_PLANS =([\s\S]*?)\n\n/.exec(shipped)?.[1] ?? ''
  const joined = [...literal.matchAll(/'([^']*)'/g)].map((match) => match[1]).join('')
  expect(joined).toBe(encodePlans(source))
})

describe.each(source)('$alpha2 / $alpha3', (country) => {
  const expected = {
    callingCode: country.callingCode,
    trunks: country.trunk ? country.trunk.split('|') : [],
    minLength: country.minLength,
    maxLength: country.maxLength
  }

  it('decodes to its calling code, trunk prefix and lengths, by alpha-2 or alpha-3 in any case', () => {
    expect(phonePlan(country.alpha2)).toEqual(expected)
    expect(phonePlan(country.alpha3)).toEqual(expected)
    expect(phonePlan(country.alpha3.toLowerCase())).toEqual(expected)
  })

  it("turns its example mobile number, as dialled there, into libphonenumber's E.164", () => {
    const example = getExampleNumber(country.alpha2 as CountryCode, examples)
    if (example === undefined) return
    const national = parsePhoneNumber(example.number, country.alpha2 as CountryCode).formatNational()
    // Argentina's mobile numbers are dialled with 15 after the area code and written with 9 after
    // +54: a rewrite the table does not carry. Too long without it, they are left out, never wrong.
    expect(phone(national, country.alpha2)).toBe(country.alpha2 === 'AR' ? undefined : example.number)
  })
})

describe('national numbers with a country', () => {
  it.each([
    ['020 7946 0958', 'GB', '+442079460958'],
    ['020 7946 0958', 'gbr', '+442079460958'],
    ['(415) 555-0101', 'US', '+14155550101'],
    ['1 415 555 0101', 'usa', '+14155550101'],
    ['06 1234 5678', 'IT', '+390612345678'],
    ['8 (912) 345-67-89', 'RU', '+79123456789'],
    ['06 30 123 4567', 'HU', '+36301234567'],
    ['030 1234567', 'de', '+49301234567'],
    ['91 123 45 67', 'ES', '+34911234567'],
    ['8 029 491-19-11', 'BY', '+375294911911'],
    ['8 612 34567', 'LTU', '+37061234567']
  ])('%s with %s is %s', (national, country, e164) => {
    expect(phone(national, country)).toBe(e164)
  })

  it.each([
    ['no country', '020 7946 0958', undefined],
    ['an unknown country', '020 7946 0958', 'XX'],
    ['a country name', '020 7946 0958', 'United Kingdom'],
    ['too few digits for the country', '555-0101', 'US'],
    ['too many digits for the country', '(415) 555-01012', 'US'],
    ['letters', '0800 FLOWERS', 'GB']
  ])('is left out with %s', (_, national, country) => {
    expect(phone(national, country)).toBeUndefined()
  })

  it('leaves an international number as it is, whatever the country', () => {
    expect(phone('+33 1 23 45 67 89', 'US')).toBe('+33123456789')
    expect(phone('0044 20 7946 0958', 'FR')).toBe('+442079460958')
  })
})
