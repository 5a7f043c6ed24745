/**
 * Keeps the `'compile lazily'` markers honest (see devkit/compile-hints.ts): from the precise coverage of one visit
 * of the destination's named build, the marked functions that ran (they would be cheaper compiled with the script)
 * and the larger unmarked ones that did not (they are compiled for nothing). Advice for `--profile`, not a target.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LAZY_MARKER } from '../devkit/compile-hints'

/** The part of CDP's `Profiler.ScriptCoverage` read here. */
interface ScriptCoverage {
  functions: { functionName: string; ranges: { startOffset: number; endOffset: number; count: number }[] }[]
}

const SRC = join(__dirname, '..', 'src')
/** Unmarked functions shorter than this are not worth a marker. */
const WORTH_MARKING = 200

/** esbuild renames clashing names by appending a number: `compile2` is `compile`. */
const sourceName = (name: string): string => name.replace(/\d+$/, '')

/** Names of the functions src/ marks: the line before each marker declares one. */
function markedFunctions(): Set<string> {
  const names = new Set<string>()
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.ts') && !file.includes('__tests__')
  )
  for (const file of files) {
    const lines = readFileSync(join(SRC, file), 'utf8').split('\n')
    lines.forEach((line, i) => {
      if (line.trim() !== `'${LAZY_MARKER}'`) return
      const name = /(?:function\s+|const\s+)?([A-Za-z_$][\w$]*)\s*(?:=|\()/.exec(lines[i - 1] ?? '')?.[1]
      if (name) names.add(name)
    })
  }
  return names
}

export function markerAdvice(coverage: ScriptCoverage): string[] {
  const marked = markedFunctions()
  // Functions by name; when several share one, "ran" needs them all to run and "idle" none of them.
  const runs = new Map<string, { all: boolean; any: boolean; size: number }>()
  for (const { functionName, ranges } of coverage.functions) {
    const [{ count, startOffset, endOffset }] = ranges
    const name = sourceName(functionName)
    if (!name) continue
    const seen = runs.get(name)
    const size = endOffset - startOffset
    runs.set(name, {
      all: count > 0 && (seen?.all ?? true),
      any: count > 0 || (seen?.any ?? false),
      size: Math.max(size, seen?.size ?? 0)
    })
  }
  const ranMarked = [...runs].filter(([name, { all }]) => all && marked.has(name))
  const idle = [...runs].filter(([name, { any, size }]) => !any && !marked.has(name) && size >= WORTH_MARKING)
  const list = (entries: [string, unknown][]): string =>
    entries.length > 0
      ? entries
          .map(([name]) => name)
          .sort()
          .join(', ')
      : 'none'
  return [
    `compile hints: ${marked.size} functions marked '${LAZY_MARKER}'; marked but ran in the visit: ${list(ranMarked)}`,
    `compile hints: unmarked, ${WORTH_MARKING}+ characters and never run in the visit: ${list(idle)}`
  ]
}
