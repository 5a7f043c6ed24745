/**
 * Length caps (src/normalize.ts MAX_LENGTH, MAX_ITEMS): applied before trimming, matching or hashing, so a
 * hostile page's megabyte strings and endless lists cost little; free text is cut, what cannot be valid is dropped.
 */
import { reportWebEventCalls } from '../reportWebEvent/calls'
import type { Payload } from '../reportWebEvent/generated-types'
import fc from 'fast-check'
import {
  addressPart,
  bounded,
  email,
  identifier,
  MAX_ITEMS,
  MAX_LENGTH,
  name,
  numeric,
  phone,
  text,
  listOf
} from '../normalize'
import type { TikTokProperties } from '../types'

const MB = 1024 * 1024
const long = (length: number, unit = 'a') => unit.repeat(Math.ceil(length / unit.length)).slice(0, length)

describe('MAX_LENGTH', () => {
  it('caps e-mail at 254 characters (RFC 5321): longer is no address and is dropped', () => {
    const local = long(64)
    const at254 = `${local}@${long(254 - 65 - 4, 'b')}.com`
    expect(at254).toHaveLength(254)
    expect(email(at254)).toBe(at254)
    expect(email(`a${at254}`)).toBeUndefined()
    expect(email(`${long(MB)}@example.com`)).toBeUndefined()
  })

  it('drops a phone longer than any formatted E.164 number', () => {
    expect(phone('+44 (0)20 7946 0958')).toBe('+442079460958')
    expect(phone(`+1${long(MAX_LENGTH.phone, '5')}`)).toBeUndefined()
    expect(phone(long(MB, '5'))).toBeUndefined()
  })

  it('drops IDs, names and address parts that are too long to be real, and cuts free text', () => {
    expect(identifier(long(MAX_LENGTH.id))).toHaveLength(MAX_LENGTH.id)
    expect(identifier(long(MAX_LENGTH.id + 1))).toBeUndefined()
    expect(name(long(MAX_LENGTH.name))).toHaveLength(MAX_LENGTH.name)
    expect(name(long(MB))).toBeUndefined()
    expect(text(long(MB))).toBe(long(MAX_LENGTH.text))
    expect(text(`  ${long(MAX_LENGTH.text)}  `)).toBe(long(MAX_LENGTH.text))
  })

  it('counts the length after trimming: spaces around a value do not drop it', () => {
    expect(bounded(`   ${long(MAX_LENGTH.name)}   `, MAX_LENGTH.name)).toBe(long(MAX_LENGTH.name))
    expect(bounded(` ${long(MAX_LENGTH.name + 1)} `, MAX_LENGTH.name)).toBeUndefined()
  })

  it('reads no number out of a megabyte of digits', () => {
    expect(numeric(long(MB, '9'))).toBeUndefined()
    expect(numeric(' 12.5 ')).toBe(12.5)
  })
})

describe('an event with megabyte strings', () => {
  it('sends what can be valid, cut to size, and drops the rest', () => {
    const huge = long(MB, 'x ')
    const calls = reportWebEventCalls({
      event: 'CompletePayment',
      order_id: huge,
      query: huge,
      contents: [{ content_id: 'sku-1', content_name: huge, price: 5 }],
      email: `${huge}@example.com`,
      first_name: huge,
      address: { city: huge, country: 'US' },
      phone_number: huge,
      external_id: 'user-1'
    } as unknown as Payload)
    expect(calls).toEqual([
      ['identify', { external_id: 'user-1', country: 'us' }],
      [
        'track',
        'CompletePayment',
        {
          contents: [{ content_id: 'sku-1', content_name: text(huge), price: 5 }],
          value: 5,
          currency: 'USD',
          query: text(huge)
        }
      ]
    ])
    expect(text(huge)?.length).toBeLessThanOrEqual(MAX_LENGTH.text)
  })
})

describe('an event with very long lists', () => {
  it('handles the first MAX_ITEMS contents and content IDs, and computes the value from them', () => {
    const count = MAX_ITEMS * 5
    const calls = reportWebEventCalls({
      event: 'CompletePayment',
      contents: Array.from({ length: count }, (_, i) => ({ content_id: `sku-${i}`, price: 1, quantity: 2 })),
      content_ids: Array.from({ length: count }, (_, i) => `sku-${i}`)
    } as unknown as Payload)
    const properties = calls[0][2] as TikTokProperties
    expect(properties.contents).toHaveLength(MAX_ITEMS)
    expect(properties.contents?.[MAX_ITEMS - 1]).toEqual({ content_id: `sku-${MAX_ITEMS - 1}`, price: 1, quantity: 2 })
    expect(properties.content_ids).toHaveLength(MAX_ITEMS)
    expect(properties.value).toBe(MAX_ITEMS * 2)
    expect(listOf(Array.from({ length: count }, () => 'x'))).toHaveLength(MAX_ITEMS)
  })
})

describe('names and address parts', () => {
  // The rule as written for any text; the functions take a shortcut for ASCII text that must give the same result.
  const byRule = (value: string, dropped: RegExp): string | undefined =>
    bounded(value, MAX_LENGTH.name)?.normalize('NFC').toLowerCase().replace(dropped, '') || undefined
  const texts = fc.oneof(
    fc.string({ unit: 'binary-ascii' }),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('Jane', " O'Brien-Smith ", 'José', 'Zoë 2', 'Łódź', 'São Paulo 01310', 'ＡＢＣ', '')
  )

  it('keep letters only for names, ASCII or not, as the Unicode rule says', () => {
    fc.assert(fc.property(texts, (value) => name(value) === byRule(value, /[^\p{L}\p{M}]/gu)))
    expect(name(" O'Brien-Smith ")).toBe('obriensmith')
    expect(name('José')).toBe('josé')
  })

  it('keep letters and digits for address parts, ASCII or not, as the Unicode rule says', () => {
    fc.assert(fc.property(texts, (value) => addressPart(value) === byRule(value, /[^\p{L}\p{M}\p{N}]/gu)))
    expect(addressPart('São Paulo 01310')).toBe('sãopaulo01310')
  })
})
