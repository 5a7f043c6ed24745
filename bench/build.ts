/**
 * Bundles the bench's page scripts and the stock-runtime comparison bundle into bench/.build, exactly as
 * devkit/build.ts bundles dist/web/tiktok-pixel.js (plus a liquidjs stand-in: mapping-kit, which the stock runtime
 * and the reference pieces import, loads liquidjs for the server-only @liquid directive).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Plugin } from 'esbuild'
import { browserBundleOptions, buildWith } from '../devkit/build'
import { withCompileHints, withoutCompileHints } from '../devkit/compile-hints'

export const BUILD_DIR = join(__dirname, '.build')

/**
 * Scripts by name: bench/.build/<name>.js, served as /<name>.js. The "-named" builds keep identifiers, for CPU
 * profiles a reader can attribute; timings use the minified ones.
 */
export const PAGE_SCRIPTS = {
  bench: 'page/index.ts',
  visit: 'page/visit.ts',
  hostile: 'page/hostile.ts',
  'stock-web': 'stock-web-entry.ts',
  'stock-web-named': 'stock-web-entry.ts',
  'stock-incumbent': 'stock-incumbent-entry.ts',
  'base-code-only': 'base-code-only-entry.ts',
  'tiktok-pixel-named': '../src/web.ts'
} as const
export type PageScript = keyof typeof PAGE_SCRIPTS

/**
 * analytics-next declares `sideEffects: false`, and esbuild then drops the call that initialises its
 * lazily wrapped modules, leaving `Context` undefined. Marking its entry as side-effectful keeps it.
 */
const keepAnalyticsNextInit: Plugin = {
  name: 'keep-analytics-next-init',
  setup(b) {
    b.onResolve({ filter: /^@segment\/analytics-next$/ }, async (args) => {
      if (args.pluginData?.again) return undefined
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { again: true }
      })
      if (resolved.errors.length > 0) return { errors: resolved.errors }
      return { path: resolved.path, sideEffects: true }
    })
  }
}

export const scriptPath = (name: PageScript): string => join(BUILD_DIR, `${name}.js`)

export async function buildPageScripts(): Promise<void> {
  mkdirSync(BUILD_DIR, { recursive: true })
  for (const [name, entry] of Object.entries(PAGE_SCRIPTS)) {
    await buildWith(
      {
        ...browserBundleOptions,
        entryPoints: [join(__dirname, entry)],
        outfile: scriptPath(name as PageScript),
        ...(name.endsWith('-named') && { minify: false, minifyWhitespace: true, minifySyntax: true }),
        alias: { liquidjs: join(__dirname, 'liquid-unavailable.ts') },
        // Minified output is not for linters.
        banner: { js: '/* eslint-disable */' },
        plugins: [keepAnalyticsNextInit]
      },
      // The destination's named build compiles like the real bundle, so that profiles show what it does.
      name === 'tiktok-pixel-named' ? withCompileHints : withoutCompileHints
    )
  }
}
