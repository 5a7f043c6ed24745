/**
 * npm run build (also run by `npm pack`, `npm publish` and git installs, through `prepare`):
 *  - dist/web/tiktok-pixel.js: the self-contained script analytics.js loads as a remote plugin;
 *  - dist/esm/index.mjs and dist/cjs/index.cjs: the package entry (src/plugin.ts) for bundlers and
 *    Node, each one self-contained file, so a consumer never resolves this package's dependencies;
 *  - dist/esm/index.d.mts and dist/cjs/index.d.cts: its type declarations, which reference nothing
 *    but the peer dependency @segment/analytics-next.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { build, type BuildOptions } from 'esbuild'
import { transpileDeclaration } from 'typescript'

const root = join(__dirname, '..')

export const WEB_BUNDLE = join(root, 'dist', 'web', 'tiktok-pixel.js')
const PACKAGE_ENTRY = join(root, 'src', 'plugin.ts')

/** What every bundle of the destination shares: current browsers, dependencies inlined. */
const bundleOptions: BuildOptions = {
  bundle: true,
  target: 'es2020',
  platform: 'browser',
  // mapping-kit imports liquidjs (which @segment/actions-core does not declare) for the server-only
  // @liquid directive; the browser never runs it.
  alias: { liquidjs: join(root, 'scripts', 'liquid-unavailable.ts') },
  logLevel: 'warning'
}

/** How every browser script of this repository is bundled: one minified IIFE for current browsers. */
export const browserBundleOptions: BuildOptions = {
  ...bundleOptions,
  minify: true,
  format: 'iife',
  legalComments: 'none'
}

/**
 * The entry's declarations in one file. A line `export type { … } from './module'` in the entry is
 * replaced by that module's declarations, so nothing points at files the package does not ship.
 */
function packageDeclarations(): string {
  const declarations = (file: string): string =>
    transpileDeclaration(readFileSync(file, 'utf8'), { fileName: file, compilerOptions: { strict: true } }).outputText
  const inlined = declarations(PACKAGE_ENTRY).replace(
    /^export type \{[^}]*\} from '(\.[^']*)';$/gm,
    (_line, module: string) => declarations(join(dirname(PACKAGE_ENTRY), `${module}.ts`)).trim()
  )
  const relative = /from '\./.exec(inlined)
  if (relative) throw new Error(`The package's type declarations still import a relative module: ${relative.input}`)
  return inlined
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

async function main(): Promise<void> {
  rmSync(join(root, 'dist'), { recursive: true, force: true })
  await Promise.all([
    build({ ...browserBundleOptions, entryPoints: [join(root, 'src', 'web.ts')], outfile: WEB_BUNDLE }),
    build({ ...bundleOptions, entryPoints: [PACKAGE_ENTRY], format: 'esm', outfile: join(root, 'dist/esm/index.mjs') }),
    build({ ...bundleOptions, entryPoints: [PACKAGE_ENTRY], format: 'cjs', outfile: join(root, 'dist/cjs/index.cjs') })
  ])
  const types = packageDeclarations()
  write(join(root, 'dist/esm/index.d.mts'), types)
  write(join(root, 'dist/cjs/index.d.cts'), types)
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
