/**
 * How this repository bundles the destination: the options every bundle shares, and the browser
 * bundle analytics.js loads (dist/web/tiktok-pixel.js). `npm run build` (scripts/build.ts), the
 * bench and the playground all build it this way; tests read it through `builtBundle()`.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, sep } from 'node:path'
import { build, type BuildOptions, type BuildResult } from 'esbuild'
import { minify_sync as terserMinify } from 'terser'
import { withCompileHints } from './compile-hints'
import { DESTINATION_SCRIPT, REPO_ROOT } from './paths'

/** What every bundle of the destination shares: current browsers, dependencies inlined. */
export const bundleOptions: BuildOptions = {
  bundle: true,
  target: 'es2020',
  platform: 'browser',
  logLevel: 'warning',
  metafile: true
}

/** How every browser script of this repository is bundled: one minified IIFE for current browsers. */
export const browserBundleOptions: BuildOptions = {
  ...bundleOptions,
  minify: true,
  format: 'iife',
  legalComments: 'none'
}

/** The newest modification time of the files under `dir` that can go into a bundle (not tests), in ms. */
function newestUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.split(sep).includes('__tests__'))
    .reduce((newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0)
}

/** The built browser bundle's path; throws when it is missing or older than a file of src/, so no test reads a stale one. */
export function builtBundle(): string {
  if (!existsSync(DESTINATION_SCRIPT))
    throw new Error(`${DESTINATION_SCRIPT} is missing: run npm run build (npm test does)`)
  if (statSync(DESTINATION_SCRIPT).mtimeMs < newestUnder(join(REPO_ROOT, 'src')))
    throw new Error(`${DESTINATION_SCRIPT} is older than src/: run npm run build (npm test does)`)
  return DESTINATION_SCRIPT
}

export function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

/**
 * Builds like esbuild, then passes the output through `finish` before writing it (one output file per build).
 */
export async function buildWith(options: BuildOptions, finish: (code: string) => string): Promise<BuildResult> {
  const result = await build({ ...options, write: false })
  for (const file of result.outputFiles ?? []) write(file.path, finish(file.text))
  return result
}

/**
 * What becomes of esbuild's minified browser bundle. Terser compresses it further (it inlines, merges and reorders
 * where esbuild does not: about 680 B less gzip), keeping directives, so that the `'compile lazily'` markers reach
 * the compile hints. A visit runs nearly all of the script, so its functions are then compiled with it, not
 * pre-parsed and parsed again on first call (./compile-hints.ts; npm run bench measures it).
 */
export function finishWebBundle(code: string): string {
  const compressed = terserMinify(code, {
    ecma: 2020,
    compress: { passes: 3, directives: false },
    format: { comments: false }
  }).code
  if (compressed === undefined) throw new Error('terser returned no code for the browser bundle')
  return withCompileHints(compressed)
}

/** Only the browser bundle: all the playground needs. */
export function buildWebBundle(): Promise<BuildResult> {
  return buildWith(
    { ...browserBundleOptions, entryPoints: [join(REPO_ROOT, 'src', 'web.ts')], outfile: DESTINATION_SCRIPT },
    finishWebBundle
  )
}
