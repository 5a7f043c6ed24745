/**
 * Compiles a subscription's FQL once. The library's `validate` over a parsed AST is a cheap walk; the cost is in
 * `parseFql` (lexing and parsing), which the stock runtime repeats for every event and subscription.
 */
import { parseFql, validate } from '@segment/destination-subscriptions'

export function compileSubscription(fql: string): (event: Record<string, unknown>) => boolean {
  // parseFql never throws: invalid or empty FQL yields `{ error }`, for which validate returns false.
  const ast = parseFql(fql)
  return (event) => validate(ast, event)
}
