/**
 * npm run build (also run by `npm pack` and `npm publish`, through `prepack`):
 *  - dist/web/tiktok-pixel.js: the self-contained script analytics.js loads as a remote plugin;
 *  - dist/esm/index.mjs and dist/cjs/index.cjs: the package entry (src/plugin.ts) for bundlers and
 *    Node, each one self-contained file, so a consumer never resolves this package's dependencies;
 *  - dist/esm/index.d.mts and dist/cjs/index.d.cts: its type declarations, which reference nothing
 *    but the peer dependency @segment/analytics-next;
 *  - dist/THIRD-PARTY-NOTICES.md: the licences of the packages these bundles include.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Metafile } from 'esbuild'
import { transpileDeclaration } from 'typescript'
import { bundleOptions, buildWebBundle, buildWith, write } from '../devkit/build'
import { withoutCompileHints } from '../devkit/compile-hints'
import { REPO_ROOT } from '../devkit/paths'

const root = REPO_ROOT
const PACKAGE_ENTRY = join(root, 'src', 'plugin.ts')

/**
 * The entry's declarations in one file. They are made file by file (so every export of the entry
 * carries an explicit type), and a line `export type { … } from './module'` in the entry is
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

/** Name, version, licence and licence text of every package in the bundles, for the MIT-style notices they ask for. */
function thirdPartyNotices(metafiles: Metafile[]): string {
  // esbuild names inputs relative to the working directory; the last node_modules/<name> is the package.
  const packageDirs = new Set<string>()
  for (const metafile of metafiles) {
    for (const input of Object.keys(metafile.inputs)) {
      const dir = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1]
      if (dir) packageDirs.add(resolve(dir))
    }
  }
  const packages = [...packageDirs].map((dir) => ({
    dir,
    ...(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string
      version: string
      license?: string
    })
  }))
  const sections = packages
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ dir, name, version, license }) => {
      const licenceFile = readdirSync(dir).find((file) => /^licen[cs]e/i.test(file))
      const licence = `Licence: ${license ?? 'none declared'}.`
      const text = licenceFile
        ? `\`\`\`text\n${readFileSync(join(dir, licenceFile), 'utf8').trim()}\n\`\`\``
        : 'The package ships no licence text.'
      return `## ${name} ${version}\n\n${licence}\n\n${text}\n`
    })
  if (sections.length === 0) return '# Third-party notices\n\nThe files in dist/ include no third-party code.\n'
  return `# Third-party notices\n\nThe files in dist/ include code from these packages.\n\n${sections.join('\n')}`
}

async function main(): Promise<void> {
  rmSync(join(root, 'dist'), { recursive: true, force: true })
  const results = await Promise.all([
    buildWebBundle(),
    buildWith(
      { ...bundleOptions, entryPoints: [PACKAGE_ENTRY], format: 'esm', outfile: join(root, 'dist/esm/index.mjs') },
      withoutCompileHints
    ),
    buildWith(
      { ...bundleOptions, entryPoints: [PACKAGE_ENTRY], format: 'cjs', outfile: join(root, 'dist/cjs/index.cjs') },
      withoutCompileHints
    )
  ])
  const types = packageDeclarations()
  write(join(root, 'dist/esm/index.d.mts'), types)
  write(join(root, 'dist/cjs/index.d.cts'), types)
  write(join(root, 'dist/THIRD-PARTY-NOTICES.md'), thirdPartyNotices(results.map((result) => result.metafile!)))
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
