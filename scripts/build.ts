/**
 * npm run build: dist/esm and dist/cjs (with type declarations) for bundlers and Node, and
 * dist/web/tiktok-pixel.js, the self-contained script analytics.js loads as a remote plugin.
 */
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { build, type BuildOptions } from 'esbuild'

const root = join(__dirname, '..')
const tsc = join(root, 'node_modules', '.bin', 'tsc')

export const WEB_BUNDLE = join(root, 'dist', 'web', 'tiktok-pixel.js')

/** How every browser script of this repository is bundled: one minified IIFE for current browsers. */
export const browserBundleOptions: BuildOptions = {
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  platform: 'browser',
  legalComments: 'none',
  // mapping-kit imports liquidjs for the server-only @liquid directive; the browser never runs it.
  alias: { liquidjs: join(root, 'scripts', 'liquid-unavailable.ts') },
  logLevel: 'warning'
}

async function main(): Promise<void> {
  rmSync(join(root, 'dist'), { recursive: true, force: true })
  execFileSync(tsc, ['-p', 'tsconfig.build.json', '--outDir', 'dist/esm'], { cwd: root, stdio: 'inherit' })
  execFileSync(
    tsc,
    ['-p', 'tsconfig.build.json', '--outDir', 'dist/cjs', '--module', 'commonjs', '--moduleResolution', 'node'],
    {
      cwd: root,
      stdio: 'inherit'
    }
  )
  await build({ ...browserBundleOptions, entryPoints: [join(root, 'src', 'web.ts')], outfile: WEB_BUNDLE })
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
