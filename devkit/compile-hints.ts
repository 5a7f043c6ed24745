/**
 * V8 compiles a function in full only when it is first called, after pre-parsing it with the script; a function
 * written inside parentheses, `(function () {…})`, it compiles in full with the script instead (its "possibly
 * invoked function expression" heuristic). Nearly every function of the destination runs on a shop's first page
 * view, so compiling it with the script spares parsing it twice. The rest (the general FQL parser, rare mapping
 * directives, failure paths) is marked in the source with the directive `'compile lazily'` as the first statement
 * of its body, and is only pre-parsed.
 *
 * `withCompileHints` rewrites the minified bundle accordingly, keeping what each function does:
 * - a function declaration at the top of a function body becomes `var name=(function(…){…});`, moved to the
 *   start of that body, where the declaration's value was already in place;
 * - an arrow function that uses neither `this`, `arguments`, `super` nor `new.target` becomes a parenthesised
 *   function expression (V8 compiles parenthesised arrows lazily);
 * - a function expression and an object literal's method become parenthesised function expressions;
 * - class members, generators, getters and setters are left as they are.
 * Functions marked lazily are left as they are, the functions inside them too (they run only after the marked one
 * has, if at all), and the marker is removed. `withoutCompileHints` only removes the
 * markers (the npm package: the consumer's bundler decides).
 */
import ts from 'typescript'

export const LAZY_MARKER = 'compile lazily'

interface Edit {
  start: number
  end: number
  /** Insertions (start === end) go before edits that start at the same place. */
  render: () => string
}

type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration

function lazyMarker(node: FunctionNode): ts.Statement | undefined {
  const first = node.body && ts.isBlock(node.body) ? node.body.statements[0] : undefined
  const marked =
    first !== undefined &&
    ts.isExpressionStatement(first) &&
    ts.isStringLiteral(first.expression) &&
    first.expression.text === LAZY_MARKER
  return marked ? first : undefined
}

/**
 * Whether the function's own code (not that of nested functions with their own bindings) reads `super`, or, with
 * `arrowBindings`, also `this`, `arguments` or `new.target`: what would change meaning in a function expression.
 */
function readsBindings(node: ts.Node, arrowBindings: boolean): boolean {
  let found = false
  const visit = (child: ts.Node): void => {
    if (found) return
    const arrowBinding =
      child.kind === ts.SyntaxKind.ThisKeyword ||
      ts.isMetaProperty(child) ||
      (ts.isIdentifier(child) && child.text === 'arguments')
    if (child.kind === ts.SyntaxKind.SuperKeyword || (arrowBindings && arrowBinding)) {
      found = true
      return
    }
    const ownBindings =
      ts.isFunctionDeclaration(child) ||
      ts.isFunctionExpression(child) ||
      ts.isClassLike(child) ||
      ts.isMethodDeclaration(child) ||
      ts.isAccessor(child)
    if (!ownBindings) ts.forEachChild(child, visit)
  }
  ts.forEachChild(node, visit)
  return found
}

/** Where a body's statements start after its directives ("use strict" must stay first to count). */
function afterPrologue(body: ts.Block): number {
  let at = body.getStart() + 1
  for (const statement of body.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break
    at = statement.end
  }
  return at
}

function rewrite(code: string, eager: boolean): string {
  const file = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
  const edits: Edit[] = []
  const start = (node: ts.Node): number => node.getStart(file)

  /** The text of [from, to) with the edits inside it applied, except the edit spanning exactly `skip`. */
  const text = (from: number, to: number, skip?: ts.Node): string => {
    let out = ''
    let at = from
    const inside = edits
      .filter(
        (edit) => edit.start >= from && edit.end <= to && !(skip && edit.start === start(skip) && edit.end === skip.end)
      )
      .sort((a, b) => a.start - b.start || (a.start === a.end ? -1 : 0) - (b.start === b.end ? -1 : 0))
    for (const edit of inside) {
      if (edit.start < at) continue // nested in an edit already rendered, which renders it
      out += code.slice(at, edit.start) + edit.render()
      at = edit.end
    }
    return out + code.slice(at, to)
  }
  const bodyOf = (node: FunctionNode): string => text(start(node.body!), node.body!.end)
  // An arrow's bare parameter list starts where the token before it ends (`return x=>…`): its blanks are dropped.
  const paramsOf = (node: FunctionNode): string => text(node.parameters.pos, node.parameters.end).trim()
  const isAsync = (node: FunctionNode): boolean =>
    node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) ?? false

  const visit = (node: ts.Node, eager: boolean): void => {
    const fn = node as FunctionNode
    const isFunction =
      ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node)
    const marker = isFunction ? lazyMarker(fn) : undefined
    if (marker) edits.push({ start: start(marker), end: marker.end, render: () => '' })
    if (eager && isFunction && !marker && !fn.asteriskToken) {
      const async = isAsync(fn) ? 'async ' : ''
      if (
        ts.isFunctionDeclaration(node) &&
        node.name &&
        ts.isBlock(node.parent) &&
        ts.isFunctionLike(node.parent.parent)
      ) {
        const name = node.name.text
        const at = afterPrologue(node.parent)
        edits.push({ start: start(node), end: node.end, render: () => '' })
        edits.push({
          start: at,
          end: at,
          render: () => `var ${name}=(${async}function(${paramsOf(node)})${bodyOf(node)});`
        })
      } else if (ts.isFunctionExpression(node) && !ts.isParenthesizedExpression(node.parent)) {
        edits.push({ start: start(node), end: node.end, render: () => `(${text(start(node), node.end, node)})` })
      } else if (ts.isArrowFunction(node) && !readsBindings(node, true)) {
        edits.push({
          start: start(node),
          end: node.end,
          render: () =>
            `(${async}function(${paramsOf(node)})${ts.isBlock(node.body) ? bodyOf(node) : `{return ${bodyOf(node)}}`})`
        })
      } else if (
        ts.isMethodDeclaration(node) &&
        ts.isObjectLiteralExpression(node.parent) &&
        !readsBindings(node, false)
      ) {
        edits.push({
          start: start(node),
          end: node.end,
          render: () => `${text(start(node.name), node.name.end)}:(${async}function(${paramsOf(node)})${bodyOf(node)})`
        })
      }
    }
    ts.forEachChild(node, (child) => visit(child, eager && !marker))
  }
  visit(file, eager)
  return text(0, code.length)
}

/** The bundle with every function compiled with the script, except those marked to compile lazily. */
export function withCompileHints(code: string): string {
  return rewrite(code, true)
}

/** The bundle without the lazy-compile markers. */
export function withoutCompileHints(code: string): string {
  return rewrite(code, false)
}
