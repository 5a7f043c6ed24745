/**
 * Compiles a mapping-kit mapping once into closures that give exactly what `transform(mapping, event)` gives,
 * without re-validating the mapping, re-dispatching directives and re-splitting paths on every event.
 * Closures only, no eval / new Function: shops' CSP forbids them.
 *
 * Natively compiled: literals, plain objects and arrays, `@path` (string), `@if`, `@arrayPath`, `@literal`, and
 * `@template` (string; rendered by mapping-kit's own `render`, whose re-scan of substituted text is not worth
 * replicating). Anything else (other directives, a directive as `@path`/`@template` argument, shapes the library
 * rejects at run time, the root-directive form, mappings that fail validation) sends the whole mapping through
 * `transform` itself, so behaviour and errors stay the library's.
 */
import { transform } from '@segment/actions-core/mapping-kit'
import validate from '@segment/actions-core/mapping-kit/validate'
import { render } from '@segment/actions-core/mapping-kit/placeholders'

type Obj = Record<string, unknown>
type Resolve = (payload: unknown) => unknown

/** mapping-kit's notion of a value's type: 'object' only for plain-ish objects, 'array', 'null', 'date'... */
const typeOf = (value: unknown): string => Object.prototype.toString.call(value).slice(8, -1).toLowerCase()

/** Thrown while compiling anything not replicated here; compileMapping then defers to `transform`. */
const bail = (): never => {
  throw bail
}

/**
 * The keys mapping-kit's `get` walks for a `@path` string. Rather than re-implement its tokeniser (which strips
 * the first '$.', handles brackets and quotes, and picks a regex by browser support), let the library walk a
 * proxy once and record each property it reads.
 */
const knownPaths = new Map<string, string[]>()

function pathKeys(path: string): string[] {
  let keys = knownPaths.get(path)
  if (keys) return keys
  keys = []
  const recorded = keys
  const spy: Obj = new Proxy({}, { get: (_, key) => (typeof key == 'string' && recorded.push(key), spy) })
  transform({ '@path': path }, spy)
  knownPaths.set(path, keys)
  return keys
}

/** Same walk as `get`: `value && value[key]`, so a falsy step (0, '', null...) is itself the result. */
function getter(path: string): Resolve {
  const keys = pathKeys(path)
  return (payload) => {
    let value = payload
    for (const key of keys) value = value && (value as Obj)[key]
    return value
  }
}

function directive(name: string, arg: unknown): Resolve {
  if (name == '@path' && typeof arg == 'string') return getter(arg)
  if (name == '@template' && typeof arg == 'string') return (payload) => render(arg, payload)
  if (name == '@literal') return compile(arg)

  if (name == '@if' && typeOf(arg) == 'object') {
    const opts = arg as Obj
    // The library throws when neither key is truthy; when `exists` is set at all it wins over `blank`.
    if (opts.exists || opts.blank) {
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
  }

  if (name == '@arrayPath' && Array.isArray(arg)) {
    const path = arg[0]
    const shape = arg[1]
    const root = typeof path == 'string' ? getter(path) : compile(path)
    // Items are reshaped only with a non-empty object shape; otherwise the root is returned as is.
    const item = typeOf(shape) == 'object' && Object.keys(shape).length > 0 ? compile(shape) : undefined
    return (payload) => {
      const value = root(payload)
      const type = typeOf(value)
      if (!item || (type != 'object' && type != 'array')) return value
      return (Array.isArray(value) ? value : [value]).map((entry) => item(entry))
    }
  }

  return bail()
}

/** Mirrors the library's `resolve`, deciding once per node what it would decide on every event. */
function compile(node: unknown): Resolve {
  if (Array.isArray(node)) {
    const items = node.map((item) => compile(item))
    return (payload) => items.map((item) => item(payload))
  }
  if (typeOf(node) != 'object') return () => node

  const obj = node as Obj
  const keys = Object.keys(obj)
  const name = keys.find((key) => key[0] == '@')
  // A directive is an object whose keys are all @-prefixed or '_metadata'; the first @-key is run.
  if (name && keys.every((key) => key[0] == '@' || key == '_metadata')) return directive(name, obj[name])

  const fields = keys.map((key) => [key, compile(obj[key])] as const)
  return (payload) => {
    const out: Obj = {}
    for (const [key, field] of fields) out[key] = field(payload)
    return out
  }
}

/** The library's final pass: copies objects and arrays, dropping undefined object values (not array items). */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => clean(item))
  if (typeOf(value) != 'object') return value
  const copy: Obj = Object.assign({}, value)
  for (const key of Object.keys(copy)) {
    if (copy[key] === undefined) delete copy[key]
    else copy[key] = clean(copy[key])
  }
  return copy
}

export function compileMapping(mapping: Obj): (event: Obj) => Obj {
  const viaLibrary = (event: Obj): Obj => transform(mapping as Parameters<typeof transform>[0], event)
  // The root-directive form rewrites the mapping on each call; leave it, and non-object mappings, to the library.
  if (typeOf(mapping) != 'object' || '__segment_internal_directive' in mapping) return viaLibrary

  let run: Resolve
  try {
    // Validation depends on the mapping only: once is enough. Invalid mappings keep the library's errors.
    validate({ ...mapping })
    run = compile(mapping)
  } catch {
    return viaLibrary
  }
  // Like `transform`: a missing event means {}, anything but an object is rejected.
  return (event = {}) => {
    const type = typeOf(event)
    if (type != 'object') throw new Error(`data must be an object, got ${type}`)
    return clean(run(event)) as Obj
  }
}
