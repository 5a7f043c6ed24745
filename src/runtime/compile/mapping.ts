/**
 * Compiles a mapping-kit mapping once into closures that give exactly what `transform(mapping, event)` gives, so
 * the browser bundle ships neither mapping-kit nor its validator (most of the script's parse and compile time).
 * Closures only, no eval / new Function: shops' CSP forbids them.
 *
 * Implemented: JSON literals, plain objects and arrays, `@path` and `@template` (string argument), `@if`,
 * `@arrayPath`, `@literal`, `@case`, `@replace`, `@excludeWhenNull`, `@json`, `@merge`, `@flatten`, each only in
 * shapes mapping-kit accepts without throwing. Anything else (`@transform`, the server-only `@liquid`, other
 * directives, a directive as `@path`/`@template` argument, shapes the library rejects, the root-directive form)
 * throws `Unsupported` naming the construct. Differential and property tests hold this against mapping-kit, and
 * `npm run check:upstream` against its newest release.
 *
 * Bounds on purpose, so that a hostile event cannot make one mapping cost seconds or overflow the stack: arrays
 * are mapped and copied up to their first MAX_MAPPED_ITEMS items, where mapping-kit walks them all, and the final
 * copy stops at a depth and a count of values (see `clean`).
 */
import { unsupported } from './unsupported'

type Obj = Record<string, unknown>
type Resolve = (payload: unknown) => unknown

/** Far beyond any basket or list a mapping sends on; see the top of this file. */
export const MAX_MAPPED_ITEMS = 1000

/** A list's first MAX_MAPPED_ITEMS items; the list itself (holes kept) when it is no longer. */
const firstItems = (list: unknown[]): unknown[] =>
  list.length > MAX_MAPPED_ITEMS ? list.slice(0, MAX_MAPPED_ITEMS) : list

/**
 * mapping-kit's notion of a value's type: 'object' only for plain-ish objects, 'array', 'null', 'date'... Text,
 * numbers, booleans and undefined, most of what it is asked about, are answered without building a string.
 */
function typeOf(value: unknown): string {
  const type = typeof value
  if (type == 'string' || type == 'number' || type == 'boolean' || type == 'undefined') return type
  return Object.prototype.toString.call(value).slice(8, -1).toLowerCase()
}

/** mapping-kit's path splitting: dots, and brackets around quoted keys or indexes; quotes are then dropped. */
const PATH_SEPARATOR = /\[(?="|'|\d)|\.|(?<="|'|\d)]+/g

/** Brackets or quotes, looked for without a pattern: a visit's first paths would pay for compiling one. */
const BRACKETS_AND_QUOTES = ['[', ']', "'", '"']

const pathKeys = (path: string): string[] =>
  // Without brackets or quotes that is a split on dots, which spares compiling the separator pattern.
  BRACKETS_AND_QUOTES.some((mark) => path.includes(mark))
    ? path
        .split(PATH_SEPARATOR)
        .filter((key) => key)
        .map((key) => key.replace(/'|"/g, ''))
    : path.split('.').filter((key) => key)

/** Same walk as mapping-kit's `get`: `value && value[key]`, so a falsy step (0, '', null...) is itself the result. */
function walk(payload: unknown, keys: string[]): unknown {
  let value = payload
  for (let i = 0; i < keys.length && value; i++) value = (value as Obj)[keys[i]]
  return value
}

/** Presets repeat the same paths (every default field in every subscription): each is split once. */
const getters = new Map<string, Resolve>()

/** `@path` drops the first '$.' wherever it is, as mapping-kit does. */
function getter(path: string): Resolve {
  let get = getters.get(path)
  if (!get) {
    const keys = pathKeys(path.replace('$.', ''))
    getters.set(path, (get = (payload) => walk(payload, keys)))
  }
  return get
}

/** mapping-kit's `render`: triple then double braces, each holding a path; missing values render as ''. */
function template(text: string): Resolve {
  'compile lazily'
  const substitute = (braces: number, payload: unknown) => (match: string) =>
    (walk(payload, pathKeys(match.slice(braces, -braces).trim())) ?? '') as string
  // Like `render`, an undefined payload (an array item) renders against {}.
  return (payload = {}) =>
    text.replace(/\{\{\{([^}]+)\}\}\}/g, substitute(3, payload)).replace(/\{\{([^}]+)\}\}/g, substitute(2, payload))
}

/** Rejects keys outside `allowed`, so options mapping-kit would act on are never silently ignored. */
function options(name: string, arg: unknown, allowed: string[]): Obj {
  if (typeOf(arg) != 'object' || Object.keys(arg as Obj).some((key) => !allowed.includes(key))) {
    unsupported(`${name} with options other than ${allowed.join(', ')}`)
  }
  return arg as Obj
}

const isDirective = (value: unknown): boolean =>
  typeOf(value) == 'object' && Object.keys(value as Obj).some((key) => key[0] == '@')

function directive(name: string, arg: unknown): Resolve {
  if (name == '@path' && typeof arg == 'string') return getter(arg)
  if (name == '@template' && typeof arg == 'string') return template(arg)
  // mapping-kit's validation rejects an undefined literal.
  if (name == '@literal' && arg !== undefined) return compile(arg)

  if (name == '@if') {
    const opts = options(name, arg, ['exists', 'blank', 'then', 'else'])
    // The library throws when neither key is truthy; when `exists` is set at all it wins over `blank`.
    if (!opts.exists && !opts.blank) unsupported('@if without exists or blank')
    const blank = opts.exists === undefined
    const test = compile(blank ? opts.blank : opts.exists)
    const then = opts.then === undefined ? undefined : compile(opts.then)
    // `else` is used only when truthy, unlike `then`.
    const otherwise = opts.else ? compile(opts.else) : undefined
    return (payload) => {
      const value = test(payload)
      const pass = value !== undefined && value !== null && (!blank || value != '')
      const branch = pass ? then : otherwise
      return branch && branch(payload)
    }
  }

  if (name == '@arrayPath' && Array.isArray(arg) && arg.length <= 2) {
    const path: unknown = arg[0]
    const shape: unknown = arg[1]
    if (typeof path != 'string' && !isDirective(path)) unsupported('@arrayPath without a path')
    const root = typeof path == 'string' ? getter(path) : compile(path)
    // Items are reshaped only with a non-empty object shape; otherwise the root is returned as is.
    const reshape = typeOf(shape) == 'object' && Object.keys(shape as Obj).length > 0
    // An unused shape is still checked: the library validates it.
    const checked = shape === undefined ? undefined : compile(shape)
    const item = reshape ? checked : undefined
    return (payload) => {
      const value = root(payload)
      const type = typeOf(value)
      if (!item || (type != 'object' && type != 'array')) return value
      return (Array.isArray(value) ? firstItems(value) : [value]).map((entry) => item(entry))
    }
  }

  return rareDirective(name, arg)
}

/** The directives presets do not use: compiled only when a saved mapping has one. */
function rareDirective(name: string, arg: unknown): Resolve {
  'compile lazily'
  if (name == '@case') {
    const opts = options(name, arg, ['operator', 'value'])
    const upper = opts.operator == 'upper'
    if (!upper && opts.operator != 'lower') unsupported('@case with an operator other than lower or upper')
    if (opts.value !== undefined && typeof opts.value != 'string' && !isDirective(opts.value)) {
      unsupported('@case with a value that is neither a string nor a directive')
    }
    if (!opts.value) return () => undefined
    const value = compile(opts.value)
    return (payload) => {
      const resolved = value(payload)
      if (typeof resolved != 'string') return resolved
      return upper ? resolved.toUpperCase() : resolved.toLowerCase()
    }
  }

  if (name == '@replace') return replace(options(name, arg, REPLACE_OPTIONS))

  if (name == '@excludeWhenNull' && arg !== undefined) {
    const value = compile(arg)
    return (payload) => {
      const resolved = value(payload)
      return resolved === null ? undefined : withoutNulls(resolved)
    }
  }

  if (name == '@json') {
    const { mode, value } = options(name, arg, ['mode', 'value'])
    // The library throws on a falsy value; a mode it validates but does not know (e.g. 'ENCODE') gives undefined.
    if (!value || !oneOf(mode, ['encode', 'decode'])) unsupported('@json without a value or an encode/decode mode')
    const resolve = compile(value)
    if (mode == 'encode') return (payload) => JSON.stringify(resolve(payload))
    // An unknown mode still resolves its value first, as the library does, so what throws there throws here.
    if (mode != 'decode') return (payload) => void resolve(payload)
    return (payload) => {
      const resolved = resolve(payload)
      if (typeof resolved != 'string') return resolved
      try {
        return JSON.parse(resolved) as unknown
      } catch {
        return resolved
      }
    }
  }

  if (name == '@merge') {
    const { objects, direction } = options(name, arg, ['objects', 'direction'])
    const listed = Array.isArray(objects) && objects.every((item) => typeOf(item) == 'object')
    if (!listed || !oneOf(direction, ['left', 'right'])) {
      unsupported('@merge without a list of objects or a left/right direction')
    }
    const items = (objects as unknown[]).map((item) => compile(item))
    // Later objects win; 'left' (exactly) makes the first win.
    if (direction == 'left') items.reverse()
    return (payload) => Object.assign({}, ...items.map((item) => item(payload))) as unknown
  }

  if (name == '@flatten') {
    const opts = options(name, arg, ['separator', 'value', 'omitArrays'])
    const { separator } = opts
    if (typeof separator != 'string' || !separator || opts.value === undefined) {
      unsupported('@flatten without a separator or a value')
    }
    const value = compile(opts.value)
    return (payload) => flatten(value(payload), '', separator as string, !opts.omitArrays, {})
  }

  return unsupported(`${name} in this form`)
}

/** A string whose lower case is one of `allowed`: what mapping-kit's validation accepts. */
const oneOf = (value: unknown, allowed: string[]): boolean =>
  typeof value == 'string' && allowed.includes(value.toLowerCase())

/** @flatten's walk: nested keys joined by `separator`, leaves set as own keys (`__proto__` included). */
function flatten(value: unknown, prefix: string, separator: string, arrays: boolean, into: Obj): Obj {
  'compile lazily'
  if (typeOf(value) == 'object' || (arrays && Array.isArray(value))) {
    for (const [key, item] of Object.entries(value as Obj)) {
      flatten(item, prefix ? prefix + separator + key : key, separator, arrays, into)
    }
  } else {
    Object.defineProperty(into, prefix, { value, writable: true, enumerable: true, configurable: true })
  }
  return into
}

const REPLACE_OPTIONS = ['pattern', 'replacement', 'pattern2', 'replacement2', 'value', 'ignorecase', 'global']
/** mapping-kit's limit on patterns and replacements; longer ones throw there. */
const MAX_REPLACE_LENGTH = 10

/** One of @replace's patterns: literal text, at most 10 characters, applied with `flags`. */
function replacer(pattern: unknown, replacement: unknown, flags: string): (value: string) => string {
  'compile lazily'
  const valid = (text: unknown, min: number) =>
    typeof text == 'string' && text.length >= min && text.length <= MAX_REPLACE_LENGTH
  if (!valid(pattern, 1) || !valid(replacement, 0)) unsupported('@replace with a pattern or replacement it rejects')
  const literal = new RegExp((pattern as string).replace(/[-[\]{}()*+?.,\\^$|#\s]/g, '\\$&'), flags)
  return (value) => value.replace(literal, replacement as string)
}

/** mapping-kit's @replace: booleans and numbers as text, anything else that is not text becomes ''. */
function replace(opts: Obj): Resolve {
  'compile lazily'
  const { pattern, pattern2, value, ignorecase = false, global = true } = opts
  if (typeof value != 'string' && !isDirective(value)) unsupported('@replace without a value')
  if (typeof ignorecase != 'boolean' || typeof global != 'boolean') unsupported('@replace with non-boolean flags')
  const flags = (global ? 'g' : '') + (ignorecase ? 'i' : '')
  const first = replacer(pattern, opts.replacement === undefined ? '' : opts.replacement, flags)
  // The second pattern applies only when it and its replacement are text.
  const replacement2 = opts.replacement2 ?? ''
  const second = pattern2 && typeof pattern2 == 'string' && typeof replacement2 == 'string'
  const then = second ? replacer(pattern2, replacement2, flags) : (text: string) => text
  if (!value) return () => undefined
  const resolve = compile(value)
  return (payload) => {
    let resolved = resolve(payload)
    if (typeof resolved == 'boolean' || typeof resolved == 'number') resolved = String(resolved)
    return typeof resolved == 'string' ? then(first(resolved)) : ''
  }
}

/** @excludeWhenNull's pass over an object: null values dropped, nested objects too; arrays left as they are. */
function withoutNulls(value: unknown): unknown {
  'compile lazily'
  if (typeOf(value) != 'object') return value
  const copy: Obj = Object.assign({}, value)
  for (const key of Object.keys(value as Obj)) {
    const item = (value as Obj)[key]
    if (item === null) copy[key] = undefined
    else if (typeOf(item) == 'object') copy[key] = withoutNulls(item)
  }
  return copy
}

/** Mirrors the library's `resolve`, deciding once per node what it would decide on every event. */
function compile(node: unknown): Resolve {
  if (Array.isArray(node)) {
    const items = node.map((item) => compile(item))
    return (payload) => items.map((item) => item(payload))
  }
  const type = typeOf(node)
  if (type != 'object') {
    // Mappings are JSON; anything else (dates, functions...) is left to the library's own rules.
    if (!['string', 'number', 'boolean', 'null', 'undefined'].includes(type)) unsupported(`a ${type} value`)
    return () => node
  }

  const obj = node as Obj
  const keys = Object.keys(obj)
  const names = keys.filter((key) => key[0] == '@')
  if (names.length > 0) {
    // A directive: one @-key, plus at most the UI's '_metadata'.
    if (names.length > 1 || keys.length - names.length > (keys.includes('_metadata') ? 1 : 0)) {
      unsupported('a directive object with other keys')
    }
    return directive(names[0], obj[names[0]])
  }

  const fields = keys.map((key) => compile(obj[key]))
  return (payload) => {
    const out: Obj = {}
    for (let i = 0; i < keys.length; i++) out[keys[i]] = fields[i](payload)
    return out
  }
}

/** How deep and how much of a payload the final pass copies; past either, values pass on as they are. */
const MAX_COPY_DEPTH = 100
const MAX_COPIED_VALUES = 20_000

/**
 * The library's final pass: copies objects and arrays, dropping undefined object values (not array items). A
 * cyclic or absurdly deep event, on which the library overflows the stack, passes on uncopied past the bounds.
 */
function clean(value: unknown, depth = 0, budget = { left: MAX_COPIED_VALUES }): unknown {
  if (depth > MAX_COPY_DEPTH || --budget.left < 0) return value
  if (Array.isArray(value)) return firstItems(value).map((item) => clean(item, depth + 1, budget))
  if (typeOf(value) != 'object') return value
  const copy: Obj = Object.assign({}, value)
  const keys = Object.keys(copy)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
    if (copy[key] === undefined) delete copy[key]
    else copy[key] = clean(copy[key], depth + 1, budget)
  }
  return copy
}

/** Throws `Unsupported` for mappings outside the implemented subset (see the top of this file). */
export function compileMapping(mapping: Obj): (event: Obj) => Obj {
  if (typeOf(mapping) != 'object') unsupported('a mapping that is not an object')
  if ('__segment_internal_directive' in mapping) unsupported('the root-directive form')
  const run = compile(mapping)
  // Like `transform`: a missing event means {}, anything but an object is rejected.
  return (event = {}) => {
    const type = typeOf(event)
    if (type != 'object') throw new Error(`data must be an object, got ${type}`)
    return clean(run(event)) as Obj
  }
}
