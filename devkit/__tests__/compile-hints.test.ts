/**
 * @jest-environment node
 */
import { readFileSync } from 'node:fs'
import { runInNewContext } from 'node:vm'
import { join } from 'node:path'
import { build } from 'esbuild'
import { browserBundleOptions, builtBundle, finishWebBundle } from '../build'
import { REPO_ROOT } from '../paths'
import { LAZY_MARKER, withCompileHints, withoutCompileHints } from '../compile-hints'

/** What a script leaves in `result` when run in a fresh context. */
const run = (code: string): unknown => {
  const sandbox: { result?: unknown } = { result: undefined }
  runInNewContext(code, sandbox)
  return sandbox.result
}

describe('withCompileHints', () => {
  it('turns a declaration into a parenthesised expression at the top of its body, still usable before its place', () => {
    const code = '"use strict";(()=>{result=twice(3);function twice(n){return n*2}})();'
    const hinted = withCompileHints(code)
    expect(hinted).toBe('"use strict";((function(){var twice=(function(n){return n*2});result=twice(3);}))();')
    expect(run(hinted)).toBe(6)
  })

  it('keeps the directives of a body first', () => {
    const hinted = withCompileHints('function f(){"use strict";return g();function g(){return this}}result=f();')
    expect(hinted).toBe('function f(){"use strict";var g=(function(){return this});return g();}result=f();')
    expect(run(hinted)).toBeUndefined()
  })

  it('keeps recursion, async functions and nested declarations working', () => {
    const code = `(()=>{
      function fact(n){function one(){return 1}return n<=1?one():n*fact(n-1)}
      async function later(n){return n+1}
      result=[fact(5),later(1) instanceof Promise]})();`
    const hinted = withCompileHints(code)
    expect(hinted).toContain('var fact=(function(n){var one=(function(){return 1});')
    expect(hinted).toContain('var later=(async function(n)')
    expect(run(hinted)).toEqual([120, true])
  })

  it.each([
    {
      what: 'arrows become function expressions only where `this`, `arguments` and `new.target` mean nothing',
      code:
        'const o={k:2,m(){return [1,2].map(x=>x*this.k)}};' +
        'function f(){return (()=>arguments[0])()}' +
        'const g=(a,{b}={b:1})=>({s:a+b});' +
        'result=[o.m(),f(7),g(1),g(1,{b:5})];',
      kept: ['map(x=>x*this.k)', '(()=>arguments[0])', 'const g=(function(a,{b}={b:1}){return ({s:a+b})})'],
      result: [[2, 4], 7, { s: 2 }, { s: 6 }]
    },
    {
      what: 'function expressions and object methods are parenthesised, methods that use super are not',
      code:
        'const base={hi(){return "base"}};' +
        'const o={__proto__:base,hi(){return "o:"+super.hi()},add(a,b){return a+b}};' +
        'const h=function(x){return x};' +
        'result=[o.hi(),o.add(1,2),h(3)];',
      kept: ['hi(){return "o:"+super.hi()}', 'add:(function(a,b){return a+b})', 'const h=(function(x){return x})'],
      result: ['o:base', 3, 3]
    }
  ])('$what', ({ code, kept, result }) => {
    const hinted = withCompileHints(code)
    for (const fragment of kept) expect(hinted).toContain(fragment)
    expect(run(hinted)).toEqual(run(code))
    expect(run(hinted)).toEqual(result)
  })

  it('leaves functions marked to compile lazily as they are, without the marker', () => {
    const code = `(()=>{function rare(x){"${LAZY_MARKER}";return x+1}const f=()=>{"${LAZY_MARKER}";return 2};result=[rare(1),f()]})();`
    const hinted = withCompileHints(code)
    expect(hinted).not.toContain(LAZY_MARKER)
    expect(hinted).toContain('function rare(x){return x+1}')
    expect(hinted).toContain('const f=()=>{return 2}')
    expect(run(hinted)).toEqual([2, 2])
  })

  it('leaves the functions inside a function marked to compile lazily as they are', () => {
    const code = `(()=>{function rare(x){"${LAZY_MARKER}";const add=y=>y+x;function twice(y){return y*2}return twice(add(1))}result=rare(2)})();`
    const hinted = withCompileHints(code)
    expect(hinted).toContain('function rare(x){const add=y=>y+x;function twice(y){return y*2}return twice(add(1))}')
    expect(run(hinted)).toBe(6)
  })

  it('drops the blank before a bare arrow parameter', () => {
    expect(withCompileHints('const f=()=>{return x=>x+1};result=f()(1);')).toBe(
      'const f=(function(){return (function(x){return x+1})});result=f()(1);'
    )
  })

  it('leaves generators, classes, getters and setters alone', () => {
    const code =
      'class A{m(){return 1}}function*gen(){yield 1}const o={get v(){return 2},set v(x){}};result=[new A().m(),[...gen()],o.v];'
    expect(withCompileHints(code)).toBe(code)
  })
})

describe('withoutCompileHints', () => {
  it('only removes the markers', () => {
    const code = `function rare(x){"${LAZY_MARKER}";return x+1}const f=x=>x;`
    expect(withoutCompileHints(code)).toBe('function rare(x){return x+1}const f=x=>x;')
  })
})

describe('the browser bundle', () => {
  it("is exactly esbuild's output passed through terser and withCompileHints, and carries no marker", async () => {
    const bundle = readFileSync(builtBundle(), 'utf8')
    const plain = await build({
      ...browserBundleOptions,
      entryPoints: [join(REPO_ROOT, 'src', 'web.ts')],
      write: false
    })
    expect(bundle).toBe(finishWebBundle(plain.outputFiles[0].text))
    expect(bundle).not.toContain(LAZY_MARKER)
  })
})
