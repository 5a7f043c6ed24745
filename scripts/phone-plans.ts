/**
 * Encodes the numbering plans of src/phone-plans.ts from libphonenumber-js's metadata (calling
 * code, national trunk prefix, national number lengths) and i18n-iso-countries (alpha-3 codes).
 * Both are devDependencies: only the encoded string reaches the browser.
 * `tsx scripts/phone-plans.ts` prints the string to paste into PHONE_PLANS.
 */
import countries from 'i18n-iso-countries'
import { getCountries, getCountryCallingCode, Metadata } from 'libphonenumber-js'
import type { CountryCode } from 'libphonenumber-js'

export interface SourcePlan {
  alpha2: string
  alpha3: string
  callingCode: string
  trunk: string
  minLength: number
  maxLength: number
}

/** Every country libphonenumber-js has a plan for and ISO 3166-1 an alpha-3 code for. */
export function sourcePlans(): SourcePlan[] {
  const metadata = new Metadata()
  return getCountries().flatMap((alpha2: CountryCode) => {
    const alpha3 = countries.alpha2ToAlpha3(alpha2)
    // Ascension Island and Tristan da Cunha have calling codes but no ISO 3166-1 entry of their own.
    if (alpha3 === undefined) return []
    metadata.selectNumberingPlan(alpha2)
    const plan = metadata.numberingPlan as unknown as {
      possibleLengths(): number[]
      nationalPrefix(): string | undefined
      nationalPrefixForParsing(): string | undefined
    }
    const lengths = plan.possibleLengths()
    return [
      {
        alpha2,
        alpha3,
        callingCode: getCountryCallingCode(alpha2),
        trunk: trunkPrefixes(plan.nationalPrefix() || '', plan.nationalPrefixForParsing() || ''),
        minLength: Math.min(...lengths),
        maxLength: Math.max(...lengths)
      }
    ]
  })
}

/**
 * The trunk prefixes a number may start with, longest first, joined by `|`: the national prefix,
 * or the alternatives of the parsing pattern when it is a plain choice of digits (Belarus
 * `0|80?`, Lithuania `[08]`). Patterns that rewrite the number (Argentina's mobile `15`) are not
 * followed: such numbers come out too long and are left out.
 */
export function trunkPrefixes(nationalPrefix: string, parsing: string): string {
  if (!/^[\d|?[\]]+$/.test(parsing)) return nationalPrefix
  const expand = (pattern: string): string[] => {
    const optional = /^(\d*)(\d)\?$/.exec(pattern)
    if (optional) return [optional[1] + optional[2], optional[1]]
    const choice = /^\[(\d+)\]$/.exec(pattern)
    return choice ? [...choice[1]] : [pattern]
  }
  const prefixes = parsing
    .split('|')
    .flatMap(expand)
    .filter((prefix) => prefix !== '')
  return [...new Set(prefixes)].sort((a, b) => b.length - a.length).join('|')
}

const lengthLetter = (length: number): string => String.fromCharCode(97 + length)

/** The format src/phone-plans.ts decodes; see the comment on PHONE_PLANS there. */
export function encodePlans(plans: SourcePlan[]): string {
  const byCode = new Map<number, SourcePlan[]>()
  for (const plan of [...plans].sort((a, b) => Number(a.callingCode) - Number(b.callingCode)))
    byCode.set(Number(plan.callingCode), [...(byCode.get(Number(plan.callingCode)) ?? []), plan])
  let previous = 0
  const groups: string[] = []
  for (const [code, group] of byCode) {
    const entries = group.map(({ alpha2, alpha3, trunk, minLength, maxLength }) => {
      const wrapsAlpha2 = alpha3[0] === alpha2[0] && alpha3[2] === alpha2[1]
      const third = alpha3.startsWith(alpha2) ? alpha3[2] : wrapsAlpha2 ? `,${alpha3[1]}` : `.${alpha3}`
      return `${alpha2}${third}`.toLowerCase() + `${lengthLetter(minLength)}${lengthLetter(maxLength)}${trunk}`
    })
    groups.push(`${code - previous}${entries.join('')}`)
    previous = code
  }
  return groups.join(' ')
}

if (require.main === module) console.log(encodePlans(sourcePlans()))
