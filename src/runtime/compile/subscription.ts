/**
 * Compiles a subscription's FQL once into a predicate that answers exactly what
 * `validate(parseFql(fql), event)` from @segment/destination-subscriptions answers, without shipping its lexer and
 * parser to the browser.
 *
 * The lexer and parser below follow @segment/fql-ts and the library's `parseFql` step by step, quirks included, so
 * every trigger Segment's UI writes (`generateFql`: backslash-escaped field names, parenthesised groups holding
 * `contains()` or `match()`) and everything people type read the same here. Two quirks matter in practice: the last
 * `and` / `or` of a level applies to the whole level, and a group ends at its first `)`, so a `contains()` or
 * `match()` ends the group it stands in (what follows it joins the outer level) and a group inside a group does not
 * parse unless such a call ended the outer one first.
 * What the library cannot parse throws `Unsupported` (it never matches there either); a condition the library would
 * throw on at validation (a field path with no name, an empty group beside others) throws `FixedReasonError` on the
 * events that reach it. Differential and property tests hold this against the library, on triggers `generateFql`
 * writes too, and `npm run check:upstream` against its newest release.
 */
import { FixedReasonError } from '../errors'
import { unsupported } from './unsupported'

type Event = Record<string, unknown>
type Test = (event: Event) => boolean
/** fql-ts's tokens; punctuation has its character as its type. */
type Token = { type: string; value: string }

/** What fql-ts's character tests see at the end of the input. */
const END = '-1'
const EOS: Token = { type: 'eos', value: 'eos' }
const LONGEST = 100_000
/** The fields a condition reads, by the first segment of its path, looked up as the library does: an inherited key
 * (`constructor`) is found too, and yields no condition. */
const FIELDS: Record<string, unknown> = {
  type: 'top',
  event: 'top',
  name: 'top',
  userId: 'top',
  properties: 'nested',
  traits: 'nested',
  context: 'nested'
}
const isDigit = (char: string): boolean => char.length == 1 && char >= '0' && char <= '9'
const isAlpha = (char: string): boolean => /^[a-z]$/i.test(char)
const isTerminator = (char: string): boolean => char == END || ' \t\n,])'.includes(char)
const isIdentChar = (char: string): boolean => isAlpha(char) || isDigit(char) || (char != END && '_-\\'.includes(char))
const fail = (): never => {
  throw new Error()
}

/** fql-ts's `lex`: throws where it reports an error. */
function lex(fql: string): Token[] {
  'compile lazily'
  let at = 0
  const peek = (): string => (at < fql.length ? fql[at] : END)
  const next = (): string => (at < fql.length ? fql[at++] : END)
  /** Takes `expected` when a terminator follows it; else steps back, except over what it read before the end. */
  const accept = (expected: string): boolean => {
    let taken = ''
    for (let i = 0; i < expected.length; i++) {
      if (at == fql.length) return false
      taken += fql[at++]
      if (isTerminator(taken[i])) break
    }
    if (taken == expected && isTerminator(peek())) return true
    at -= taken.length
    return false
  }
  const ident = (first: string): Token => {
    let text = ''
    for (let char = first; ; char = next()) {
      // A backslash takes the next character as it is, whatever it is.
      if (char == '\\') char = peek() == END ? fail() : next()
      text += char
      if (text.length >= LONGEST) fail()
      if (!isIdentChar(peek())) break
    }
    if (!isTerminator(peek()) && !'.(=!'.includes(peek())) fail()
    return { type: 'ident', value: text }
  }
  const number = (sign: string): Token => {
    let text = sign
    let decimal = false
    while (isDigit(peek()) || peek() == '.') {
      if (next() == '.') {
        if (decimal || isTerminator(peek())) fail()
        decimal = true
        text += '.'
      } else text += fql[at - 1]
      if (text.length > LONGEST) fail()
    }
    return { type: 'number', value: text }
  }
  const word = (char: string): Token => {
    if (char == '=') return { type: 'operator', value: '=' }
    if (char == '!') return accept('=') ? { type: 'operator', value: '!=' } : fail()
    if (char == '<' || char == '>') return { type: 'operator', value: accept('=') ? char + '=' : char }
    if (char == 'a' && accept('nd')) return { type: 'conditional', value: 'and' }
    if (char == 'o' && accept('r')) return { type: 'conditional', value: 'or' }
    if (char == 'n' && accept('ull')) return { type: 'null', value: 'null' }
    return ident(char)
  }
  const tokens: Token[] = []
  while (at < fql.length) {
    const char = fql[at++]
    if (' \t\n'.includes(char)) continue
    if (char == '!' && (isAlpha(peek()) || peek() == '(')) tokens.push({ type: 'operator', value: '!' })
    else if (isAlpha(char) || '!=<>\\_'.includes(char)) tokens.push(word(char))
    else if (isDigit(char) || char == '-' || char == '+') tokens.push(number(char))
    else if (char == '"' || char == "'") {
      const end = fql.indexOf(char, at)
      if (end < 0 || end - at >= LONGEST) fail()
      tokens.push({ type: 'string', value: char + fql.slice(at, end) + char })
      // The closing quote is taken only when a terminator follows it; otherwise it opens the next string.
      at = end
      accept(char)
    } else if ('.[],()'.includes(char)) tokens.push({ type: char, value: char })
    else fail()
  }
  tokens.push(EOS)
  // parseFql's `normalize`: `a . b` becomes the one identifier `a.b`.
  const merged: Token[] = []
  for (let i = 0; i < tokens.length; i++) {
    const last = merged[merged.length - 1]
    if (last?.type == 'ident' && tokens[i].type == '.' && tokens[i + 1]?.type == 'ident') {
      merged[merged.length - 1] = { type: 'ident', value: `${last.value}.${tokens[i + 1].value}` }
      i++
    } else merged.push(tokens[i])
  }
  return merged
}

/** parseFql's `getTokenValue`: strings lose their double quotes, numbers become numbers, true/false booleans. */
function tokenValue(token: Token): string | number | boolean {
  'compile lazily'
  if (token.type == 'string') return token.value.replace(/^"/, '').replace(/"$/, '')
  if (token.type == 'number') return Number(token.value)
  if (token.type == 'ident' && (token.value == 'true' || token.value == 'false')) return token.value == 'true'
  return token.value
}

/** What the library's validation reads: a top-level field, or its `get` of a path below one (split at . [ ]). */
function reader(root: string, path?: string): (event: Event) => unknown {
  'compile lazily'
  if (path === undefined) return (event) => event[root]
  const keys = path.match(/[^[.\]]+/g)
  return (event) => {
    let value = event[root]
    if (!path) return undefined
    if (!keys) throw new FixedReasonError('its condition names a field path without a name')
    for (let i = 0; i < keys.length; i++) value = value && (value as Event)[keys[i]]
    return value
  }
}

const test =
  (read: (event: Event) => unknown, check: (actual: unknown) => boolean): Test =>
  (event) =>
    check(read(event))

/** destination-subscriptions' `validateValue`, with the operator and expected value fixed. */
function comparison(operator: string, expected: unknown): (actual: unknown) => boolean {
  'compile lazily'
  const text = String(expected)
  const number = Number(expected)
  const onText = (check: (actual: string) => boolean) => (actual: unknown) => typeof actual == 'string' && check(actual)
  const onNumber = (check: (actual: number) => boolean) => (actual: unknown) =>
    typeof actual == 'number' && check(actual)
  switch (operator) {
    case '=':
      return (actual) => actual === text
    case '!=':
      return (actual) => actual !== text
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
    case 'not_contains':
      return onText((actual) => !actual.includes(text))
    case 'starts_with':
      return onText((actual) => actual.startsWith(text))
    case 'not_starts_with':
      return onText((actual) => !actual.startsWith(text))
    case 'ends_with':
      return onText((actual) => actual.endsWith(text))
    case 'not_ends_with':
      return onText((actual) => !actual.endsWith(text))
    case 'exists':
      return (actual) => actual !== undefined && actual !== null
    case 'not_exists':
      return (actual) => actual === undefined || actual === null
    case 'is_true':
      return (actual) => actual === true
    case 'is_false':
      return (actual) => actual === false
    default:
      // Whatever token stands where the operator goes.
      return () => false
  }
}

const isCall = (token: Token): boolean => token.type == 'ident' && (token.value == 'contains' || token.value == 'match')

/** parseFql's `field op value`; its operator depends on the field's kind and the value. */
function condition(field: string, op: Token, value: Token): Test {
  'compile lazily'
  const root = field.split('.')[0]
  const is = (operator: string, text: string): boolean => op.value == operator && value.value == text
  const existence = is('!=', 'null') ? 'exists' : is('=', 'null') ? 'not_exists' : undefined
  const truth = is('=', 'true') ? 'is_true' : is('=', 'false') ? 'is_false' : undefined
  if (FIELDS[root] == 'top') {
    const operator = root == 'name' ? existence : root == 'userId' ? (existence ?? truth) : undefined
    return test(reader(root), comparison(operator ?? op.value, String(tokenValue(value))))
  }
  const numeric =
    value.type != 'number'
      ? undefined
      : op.value == '='
        ? 'number_equals'
        : op.value == '!='
          ? 'number_not_equals'
          : undefined
  const path = field == root ? field : field.slice(root.length + 1)
  return test(reader(root, path), comparison(existence ?? truth ?? numeric ?? op.value, tokenValue(value)))
}

/** parseFql's `contains(field, "text")` / `match(field, "glob")`, its tokens read by position; undefined for a field
 * the library leaves out (`type`, anything else). */
function call(name: string, tokens: Token[], negate: boolean): Test | undefined {
  'compile lazily'
  tokens.shift()
  const field = (tokens.shift() ?? fail()).value
  tokens.shift()
  const value = tokens.shift() ?? fail()
  tokens.shift()
  const text = String(tokenValue(value))
  // match(): a trailing `*` (just before the closing quote) means starts with; anything else ends with.
  const operator = name == 'contains' ? 'contains' : value.value.endsWith('*"') ? 'starts_with' : 'ends_with'
  const expected = operator == 'contains' ? text : operator == 'starts_with' ? text.slice(0, -1) : text.slice(1)
  const check = comparison((negate ? 'not_' : '') + operator, expected)
  if (field == 'event' || field == 'name' || field == 'userId') return test(reader(field), check)
  const root = /^(properties|traits|context)/.exec(field)?.[1]
  if (root === undefined) return undefined
  return test(reader(root, field.startsWith(`${root}.`) ? field.slice(root.length + 1) : field), check)
}

const emptyGroup: Test = () => {
  throw new FixedReasonError('its condition has a group that holds no condition')
}

/** parseFql's `parse`: undefined where it yields no node. Throws where it reports an error. */
function parse(tokens: Token[]): Test | undefined {
  'compile lazily'
  const nodes: (Test | undefined)[] = []
  const add = (node: Test | undefined): void => {
    if (node) nodes.push(node)
  }
  let every = true
  for (let token = tokens.shift(); token && token.type != 'eos'; token = tokens.shift()) {
    const kind = token.type == 'ident' ? FIELDS[token.value.split('.')[0]] : undefined
    if (kind) {
      const op = tokens.shift() ?? fail()
      const value = tokens.shift() ?? fail()
      if (typeof kind == 'string') add(condition(token.value, op, value))
    } else if (isCall(token)) add(call(token.value, tokens, false))
    else if (token.type == 'operator' && token.value == '!' && isCall(tokens[0])) {
      add(call((tokens.shift() as Token).value, tokens, true))
    } else if (token.type == '(') {
      // The group ends at the first `)`, whatever opened it.
      const group: Token[] = []
      for (let inner = tokens.shift(); (inner ?? fail()).type != ')'; inner = tokens.shift()) group.push(inner as Token)
      group.push(EOS)
      nodes.push(parse(group))
    } else if (token.type == 'conditional') every = token.value == 'and'
  }
  if (nodes.length < 2) return nodes[0]
  const children = nodes.map((node) => node ?? emptyGroup)
  // The first child that fails an `and`, or holds in an `or`, decides.
  return (event) => {
    for (let i = 0; i < children.length; i++) if (children[i](event) !== every) return !every
    return every
  }
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

/** Throws `Unsupported` for FQL the library cannot parse (see the top of this file). */
export function compileSubscription(fql: string): (event: Event) => boolean {
  // Settings come from JSON: a trigger that is not text never matches in the library either.
  if (typeof fql != 'string') unsupported('a trigger that is not text')
  const chain = equalsChain(fql)
  if (chain) return chain
  let parsed: Test | undefined
  try {
    parsed = parse(lex(fql))
  } catch {
    // The library reports an error and never matches.
  }
  const matches = parsed ?? unsupported('this condition syntax')
  // Like the library: no event matches nothing; a null one fails reading its fields.
  return (event) => event !== undefined && matches(event)
}
