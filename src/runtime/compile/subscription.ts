/**
 * Compiles a subscription's FQL once into a predicate that answers exactly what
 * `validate(parseFql(fql), event)` from @segment/destination-subscriptions answers, without shipping its lexer and
 * parser to the browser.
 *
 * Implemented: comparisons `field op value` with field `type`, `event`, `name`, `userId`, `properties.*`,
 * `traits.*`, `context.*`, op `= != < <= > >=`, value a double-quoted string, a number, `true`, `false` or `null`;
 * `contains(field, "text")` and `match(field, "glob*")` / `match(field, "*glob")`, optionally negated with `!`;
 * terms joined by `and` / `or` (as in the library, the last connective of a level applies to the whole level);
 * one level of parentheses. Anything else (including what the library itself reports as an error) throws
 * `Unsupported`. Differential and property tests hold this against the library, and `npm run check:upstream`
 * against its newest release.
 */
import { unsupported } from './unsupported'

type Event = Record<string, unknown>
type Test = (event: Event) => boolean
type Token = { kind: 'word' | 'string' | 'number' | 'op' | 'punct'; text: string }

const FIELDS = ['type', 'event', 'name', 'userId']
const NESTED = /^(properties|traits|context)\.(.+)$/
const WORD = /[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*/y
const NUMBER = /[-+]?\d+(\.\d+)?/y
const KEYWORDS = ['and', 'or', 'null']
/** Where the library's lexer accepts the end of a string, number, keyword or two-character operator. */
const isBoundary = (char: string | undefined): boolean => char === undefined || ' \t\n,)'.includes(char)

/** A strict subset of fql-ts's lexer: every input it accepts is lexed the same way by fql-ts. */
function tokenize(fql: string): Token[] {
  'compile lazily'
  const tokens: Token[] = []
  let at = 0
  const sticky = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at
    return pattern.exec(fql)?.[0]
  }
  const push = (kind: Token['kind'], text: string, boundary: (next: string | undefined) => boolean): void => {
    at += text.length
    if (!boundary(fql[at] as string | undefined)) unsupported('this condition syntax')
    tokens.push({ kind, text })
  }
  while (at < fql.length) {
    const char = fql[at]
    const next = fql[at + 1]
    if (' \t\n'.includes(char)) at++
    else if ('(),'.includes(char)) push('punct', char, () => true)
    else if (char == '"') {
      const end = fql.indexOf('"', at + 1)
      if (end < 0 || end - at > 100_000) unsupported('this condition syntax')
      push('string', fql.slice(at, end + 1), isBoundary)
    } else if (char == '!' && next != '=') push('punct', char, (after) => /[A-Za-z]/.test(after ?? ''))
    else if ('!<>'.includes(char) && next == '=') push('op', char + next, isBoundary)
    else if ('=<>'.includes(char)) push('op', char, () => true)
    else if (sticky(NUMBER)) push('number', sticky(NUMBER) as string, isBoundary)
    else if (sticky(WORD)) {
      const word = sticky(WORD) as string
      if (word.split('.').some((part) => KEYWORDS.includes(part)) && !KEYWORDS.includes(word)) {
        unsupported('this condition syntax')
      }
      push('word', word, (after) => isBoundary(after) || (!KEYWORDS.includes(word) && '(=!'.includes(after as string)))
    } else unsupported('this condition syntax')
  }
  return tokens
}

/** The library's token values: strings lose their quotes, numbers become numbers, true/false booleans. */
function literal(token: Token): string | number | boolean {
  'compile lazily'
  if (token.kind == 'string') return token.text.slice(1, -1)
  if (token.kind == 'number') return Number(token.text)
  if (token.text == 'true' || token.text == 'false') return token.text == 'true'
  return token.text
}

/** The field a condition reads, with the library's path walk for nested fields. */
function reader(field: string): (event: Event) => unknown {
  'compile lazily'
  if (FIELDS.includes(field)) return (event) => event[field]
  const nested = NESTED.exec(field)
  if (!nested) return unsupported(`the field ${field}`)
  const [, root, path] = nested
  const keys = path.split('.')
  return (event) => {
    let value = event[root]
    for (const key of keys) value = value && (value as Event)[key]
    return value
  }
}

/** destination-subscriptions' `validateValue`, with the operator and expected value fixed. */
function comparison(operator: string, expected: unknown): (actual: unknown) => boolean {
  'compile lazily'
  const text = String(expected)
  const number = Number(expected)
  // not_contains, not_starts_with, not_ends_with: strings that fail the test; not_exists is its own case.
  const negate = operator.startsWith('not_') && operator != 'not_exists'
  const onText = (test: (actual: string) => boolean) => (actual: unknown) =>
    typeof actual == 'string' && test(actual) != negate
  const onNumber = (test: (actual: number) => boolean) => (actual: unknown) => typeof actual == 'number' && test(actual)
  switch (negate ? operator.slice(4) : operator) {
    case '=':
      return (actual: unknown) => actual === text
    case '!=':
      return (actual: unknown) => actual !== text
    case 'number_equals':
      return onNumber((actual) => actual === number)
    case 'number_not_equals':
      return onNumber((actual) => actual !== number)
    case '<':
      return onNumber((actual) => actual < number)
    case '<=':
      return onNumber((actual) => actual <= number)
    case '>':
      return onNumber((actual) => actual > number)
    case '>=':
      return onNumber((actual) => actual >= number)
    case 'contains':
      return onText((actual) => actual.includes(text))
    case 'starts_with':
      return onText((actual) => actual.startsWith(text))
    case 'ends_with':
      return onText((actual) => actual.endsWith(text))
    case 'exists':
      return (actual: unknown) => actual !== undefined && actual !== null
    case 'not_exists':
      return (actual: unknown) => actual === undefined || actual === null
    case 'is_true':
      return (actual: unknown) => actual === true
    default:
      return (actual: unknown) => actual === false
  }
}

/** The library's choice of operator for `field op value`, which depends on the field's kind and the value. */
function condition(field: string, op: Token, value: Token): Test {
  'compile lazily'
  const read = reader(field)
  const is = (operator: string, text: string) => op.text == operator && value.text == text
  const special =
    field == 'type' || field == 'event'
      ? undefined
      : is('!=', 'null')
        ? 'exists'
        : is('=', 'null')
          ? 'not_exists'
          : field == 'name'
            ? undefined
            : is('=', 'true')
              ? 'is_true'
              : is('=', 'false')
                ? 'is_false'
                : field == 'userId' || value.kind != 'number' || (op.text != '=' && op.text != '!=')
                  ? undefined
                  : op.text == '='
                    ? 'number_equals'
                    : 'number_not_equals'
  const test = comparison(special ?? op.text, FIELDS.includes(field) ? String(literal(value)) : literal(value))
  return (event) => test(read(event))
}

/** `contains(field, "text")` and `match(field, "glob")`, as the library reads them. */
function call(name: string, args: Token[], negate: boolean): Test {
  'compile lazily'
  const [field, comma, value] = args
  if (field?.kind != 'word' || comma?.text != ',' || value?.kind != 'string' || field.text == 'type') {
    unsupported(`this use of ${name}()`)
  }
  const text = literal(value) as string
  const prefix = negate ? 'not_' : ''
  const [operator, expected] =
    name == 'contains'
      ? ['contains', text]
      : value.text.endsWith('*"')
        ? ['starts_with', text.slice(0, -1)]
        : ['ends_with', text.slice(1)]
  const read = reader(field.text)
  const test = comparison(prefix + operator, expected)
  return (event) => test(read(event))
}

function parse(tokens: Token[], nested: boolean): Test {
  'compile lazily'
  const terms: Test[] = []
  let every = true
  while (tokens.length > 0 && tokens[0].text != ')') {
    if (terms.length > 0) {
      const connective = tokens.shift() as Token
      if (connective.text != 'and' && connective.text != 'or') unsupported('terms without and / or between them')
      every = connective.text == 'and'
    }
    const token = tokens.shift()
    const negate = token?.text == '!'
    const head = negate ? tokens.shift() : token
    if (head?.text == '(' && !nested) {
      terms.push(parse(tokens, true))
      if (tokens.shift()?.text != ')') unsupported('unbalanced parentheses')
    } else if ((head?.text == 'contains' || head?.text == 'match') && !nested && tokens[0]?.text == '(') {
      tokens.shift()
      const close = tokens.findIndex((t) => t.text == ')')
      if (close < 0) unsupported(`an unclosed ${head.text}(`)
      terms.push(call(head.text, tokens.splice(0, close + 1).slice(0, -1), negate))
    } else if (head?.kind == 'word' && !negate && tokens.length >= 2) {
      const [op, value] = tokens.splice(0, 2)
      const isValue = ['string', 'number'].includes(value.kind) || ['true', 'false', 'null'].includes(value.text)
      if (op.kind != 'op' || !isValue) unsupported('this comparison')
      terms.push(condition(head.text, op, value))
    } else unsupported(nested ? 'this term inside parentheses' : 'this term')
  }
  if (terms.length == 0) unsupported(nested ? 'empty parentheses' : 'an empty condition')
  if (terms.length == 1) return terms[0]
  return every ? (event) => terms.every((term) => term(event)) : (event) => terms.some((term) => term(event))
}

/** The first index from `at` that is not a space, tab or newline: the blanks FQL allows between tokens. */
function skipBlanks(fql: string, at: number): number {
  while (at < fql.length && (fql[at] == ' ' || fql[at] == '\t' || fql[at] == '\n')) at++
  return at
}

/** `word` at `at` in `fql`, if one of `words` is there. */
const wordAt = (fql: string, at: number, words: string[]): string | undefined =>
  words.find((word) => fql.startsWith(word, at))

/**
 * `event = "..."` and `type = "..."`, alone or joined by and / or: what almost every subscription says, read without
 * tokenising and without a pattern (compiling the patterns this took was a measurable share of the first event; see
 * docs/maintainers.md). As in the library, the last connective applies to all terms. Undefined for anything else, which the parser then reads.
 */
function equalsChain(fql: string): ((event: Event) => boolean) | undefined {
  const fields: string[] = []
  const values: string[] = []
  let every = true
  let at = skipBlanks(fql, 0)
  for (;;) {
    const field = wordAt(fql, at, ['event', 'type'])
    if (field === undefined) return undefined
    at = skipBlanks(fql, at + field.length)
    if (fql[at] != '=') return undefined
    at = skipBlanks(fql, at + 1)
    const close = fql[at] == '"' ? fql.indexOf('"', at + 1) : -1
    if (close < 0) return undefined
    fields.push(field)
    values.push(fql.slice(at + 1, close))
    at = skipBlanks(fql, close + 1)
    if (at == fql.length) break
    // A connective, with blanks on both sides.
    const connective = at > close + 1 ? wordAt(fql, at, ['and', 'or']) : undefined
    const next = connective === undefined ? at : skipBlanks(fql, at + connective.length)
    if (next == at + (connective?.length ?? 0)) return undefined
    every = connective == 'and'
    at = next
  }
  return (event) => {
    if (event === undefined) return false
    // The first term that fails an and-chain, or holds in an or-chain, decides.
    for (let i = 0; i < fields.length; i++) if ((event[fields[i]] === values[i]) !== every) return !every
    return every
  }
}

/** Throws `Unsupported` for FQL outside the implemented subset (see the top of this file). */
export function compileSubscription(fql: string): (event: Event) => boolean {
  const chain = equalsChain(fql)
  if (chain) return chain
  const tokens = tokenize(fql)
  const test = parse(tokens, false)
  if (tokens.length > 0) unsupported('unbalanced parentheses')
  // Like the library: no event matches nothing; a null one fails reading its fields.
  return (event) => event !== undefined && test(event)
}
