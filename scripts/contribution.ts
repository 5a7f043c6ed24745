/**
 * `npm run contribution -- <dir>` writes this destination as the folder it is in Segment's
 * segmentio/action-destinations (packages/browser-destinations/destinations/tiktok-pixel), for a
 * pull request there. Nothing in it is kept by hand twice: its sources are this repository's
 * `src/` modules the entry needs (found by following imports from scripts/contribution/src/),
 * copied with their imports re-pointed; its generated types and metadata.json are written from
 * the same definition as that monorepo's CLI writes them; its tests are the package's behaviour
 * tests, run there on the stock runtime, plus those of the stock entry.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, normalize, relative, resolve } from 'node:path'
import type { GlobalSetting, InputField } from '@segment/actions-core'
import { REPO_ROOT } from '../devkit/paths'
import { metadataJson, type BrowserDefinition } from './contribution/metadata'
import { typesFile } from './contribution/types'

const root = REPO_ROOT
const ENTRY_SOURCES = 'scripts/contribution/src'

/** The destination's folder in segmentio/action-destinations, and the package published from it. */
export const MONOREPO_FOLDER = 'packages/browser-destinations/destinations/tiktok-pixel'

/**
 * Upstream's package.json (segmentio/action-destinations at 970a17ee8d): its name, version and
 * dependency style are kept; Segment's release tooling bumps the version.
 */
export const PACKAGE_JSON = {
  name: '@segment/analytics-browser-actions-tiktok-pixel',
  version: '1.109.0',
  repository: {
    type: 'git',
    url: 'https://github.com/segmentio/action-destinations',
    directory: MONOREPO_FOLDER
  },
  license: 'MIT',
  publishConfig: { access: 'public', registry: 'https://registry.npmjs.org' },
  main: './dist/cjs',
  module: './dist/esm',
  scripts: {
    build: 'yarn build:esm && yarn build:cjs',
    'build:cjs': 'tsc --module commonjs --outDir ./dist/cjs',
    'build:esm': 'tsc --outDir ./dist/esm'
  },
  typings: './dist/esm',
  dependencies: { '@segment/actions-core': '^3.177.0', '@segment/browser-destination-runtime': '^1.106.0' },
  peerDependencies: { '@segment/analytics-next': '>=1.55.0' }
}

/** Upstream's tsconfig.json, with the tests' support modules kept out of the build as the tests are. */
const TSCONFIG = {
  extends: '../../tsconfig.build.json',
  compilerOptions: { rootDir: './src', baseUrl: '.' },
  include: ['src'],
  exclude: ['dist', '**/__tests__', 'src/test-support']
}

/**
 * The package's behaviour tests that run in the contribution too, on the stock runtime: hashing,
 * normalisation, consent, the page view on load, the computed value, the emptied queue of a
 * blocked script, the saved mappings since 2023. Left out: the package's runtime and bundle, the
 * tests that need fast-check or libphonenumber-js (not dependencies of the monorepo), and those
 * of what only this package's runtime does (fallback subscriptions, options read per site,
 * consent on events no mapping takes: src/__tests__/privacy-unmapped.test.ts).
 */
export const SHARED_TESTS = [
  'src/__tests__/base-code.test.ts',
  'src/__tests__/hash.test.ts',
  'src/__tests__/initialize.test.ts',
  'src/__tests__/presets.test.ts',
  'src/__tests__/privacy.test.ts',
  'src/__tests__/saved-subscriptions.test.ts',
  'src/__tests__/workspace.test.ts',
  'src/identify/__tests__/calls.test.ts',
  'src/eventsApiMatchKeys/__tests__/match-keys.test.ts',
  'src/eventsApiMatchKeys/__tests__/ttp.test.ts',
  'src/reportWebEvent/__tests__/calls.test.ts',
  'src/reportWebEvent/__tests__/value-currency.test.ts'
]

/** Where a file of this repository goes in the contribution (paths relative to each root). */
function targetOf(file: string): string {
  if (file.startsWith(`${ENTRY_SOURCES}/stock-tests/`))
    return `src/__tests__/${file.slice(`${ENTRY_SOURCES}/stock-tests/`.length)}`
  if (file.startsWith(`${ENTRY_SOURCES}/`)) return `src/${file.slice(`${ENTRY_SOURCES}/`.length)}`
  // The monorepo's jest takes every .ts under __tests__ for a test file.
  if (file.startsWith('src/__tests__/support/'))
    return `src/test-support/${file.slice('src/__tests__/support/'.length)}`
  if (file.startsWith('src/')) return file
  throw new Error(`${file} is not a source of the contribution`)
}

/** The tests and their support modules: in the contribution they run on the stock runtime. */
const isTestCode = (file: string): boolean => file.includes('/__tests__/')
const isGeneratedTypes = (file: string): boolean => /(^|\/)generated-types\.ts$/.test(file)
const PACKAGE_RUNTIME = 'src/runtime/index.ts'

function resolveImport(from: string, specifier: string): string {
  const base = normalize(join(dirname(from), specifier))
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(join(root, candidate)) && !candidate.endsWith('/') && /\.(ts|json)$/.test(candidate))
      return candidate
  }
  throw new Error(`${from}: cannot resolve ${specifier}`)
}

/** The module of src/runtime/index.ts that re-exports all of `names`, if one does. */
function reexportingModule(names: string[]): string | undefined {
  const index = readFileSync(join(root, PACKAGE_RUNTIME), 'utf8')
  const modules = names.map((name) => {
    const line = index
      .split('\n')
      .find((text) => new RegExp(`^export (type )?\\{[^}]*\\b${name}\\b[^}]*\\} from '\\./`).test(text))
    return line && /from '(\.[^']+)'/.exec(line)?.[1]
  })
  const first = modules[0]
  return first && modules.every((module) => module === first) ? resolveImport(PACKAGE_RUNTIME, first) : undefined
}

/**
 * The repository file an import stands for in the contribution. The package's entry becomes the
 * stock entry; its runtime, in a test or a test's support, the stock runtime; elsewhere the runtime module that
 * defines what is imported (its errors and its warnings are plain modules the destination uses).
 */
function importedFile(from: string, specifier: string, names: string[]): string {
  const file = resolveImport(from, specifier)
  if (file === 'src/index.ts') return `${ENTRY_SOURCES}/index.ts`
  if (file !== PACKAGE_RUNTIME) return file
  if (isTestCode(from)) return `${ENTRY_SOURCES}/test-support/stock-runtime.ts`
  const defining = reexportingModule(names)
  if (!defining) throw new Error(`${from} imports ${names.join(', ')} from the package's runtime`)
  return defining
}

const IMPORT = /(\bfrom\s+|\bimport\s+)'(\.[^']*)'/g

/** The names an import statement ending at `offset` brings in. */
function importedNames(text: string, offset: number): string[] {
  const statement = text.slice(text.lastIndexOf('import', offset), offset)
  const braces = /\{([^}]*)\}/.exec(statement)?.[1] ?? ''
  return braces
    .split(',')
    .map((part) =>
      part
        .replace(/^\s*type\s+/, '')
        .split(/\s+as\s+/)[0]
        .trim()
    )
    .filter((name) => name !== '')
}

/**
 * Type-only names moved out of value imports (`import { a, type B }` becomes two statements):
 * the monorepo's Prettier (2.4) cannot parse the inline form.
 */
function withoutInlineTypeImports(text: string): string {
  return text.replace(/^import \{([^}]*)\} from ('[^']+')$/gm, (statement, list: string, from: string) => {
    const names = list
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '')
    const types = names.filter((name) => name.startsWith('type ')).map((name) => name.slice('type '.length))
    if (types.length === 0) return statement
    const values = names.filter((name) => !name.startsWith('type '))
    const typeImport = `import type { ${types.join(', ')} } from ${from}`
    return values.length === 0 ? typeImport : `${typeImport}\nimport { ${values.join(', ')} } from ${from}`
  })
}

/**
 * A `satisfies` check after a closing bracket left out: the monorepo's Prettier (2.4) cannot parse
 * it. The check is a type check only, and this repository's typecheck keeps it on the source.
 */
function withoutSatisfiesChecks(text: string): string {
  return text.replace(/^([}\])]) satisfies [^\n]+$/gm, '$1')
}

/** The Prettier 2 json-schema-to-typescript formats with: the monorepo's major version, with its options. */
const prettier2 = createRequire(require.resolve('json-schema-to-typescript'))('prettier') as {
  format(text: string, options: Record<string, unknown>): string
}
const MONOREPO_PRETTIER = { semi: false, singleQuote: true, trailingComma: 'none', printWidth: 120 }

/** As the monorepo's lint-staged hook leaves a committed file (metadata.json is in its .prettierignore). */
function formatted(path: string, text: string): string {
  if (path.endsWith('metadata.json')) return text
  const parser = path.endsWith('.json') ? 'json' : 'typescript'
  return prettier2.format(path.endsWith('.ts') ? withoutSatisfiesChecks(withoutInlineTypeImports(text)) : text, {
    ...MONOREPO_PRETTIER,
    parser
  })
}

interface Copied {
  target: string
  text: string
  imports: string[]
}

function copy(file: string): Copied {
  const target = targetOf(file)
  const source = readFileSync(join(root, file), 'utf8')
  const imports: string[] = []
  if (file.endsWith('.json')) return { target, text: source, imports }
  const text = source.replace(IMPORT, (_match, keyword: string, specifier: string, offset: number) => {
    const imported = importedFile(file, specifier, importedNames(source, offset))
    imports.push(imported)
    let pointer = relative(dirname(target), targetOf(imported))
      .replace(/\.ts$/, '')
      .replace(/\/index$/, '')
    if (pointer === 'index') pointer = '.'
    if (!pointer.startsWith('.')) pointer = `./${pointer}`
    return `${keyword}'${pointer}'`
  })
  return { target, text, imports }
}

/** The contribution's sources: everything the entry and the tests import, followed from file to file. */
function sources(): Copied[] {
  const stockTests = ['stock-consent.test.ts', 'stock-initialize.test.ts'].map(
    (name) => `${ENTRY_SOURCES}/stock-tests/${name}`
  )
  const pending = [`${ENTRY_SOURCES}/index.ts`, ...SHARED_TESTS, ...stockTests]
  const seen = new Set<string>()
  const copied: Copied[] = []
  while (pending.length > 0) {
    const file = pending.shift() as string
    if (seen.has(file)) continue
    seen.add(file)
    // Written below in the monorepo's own format, from the definition.
    if (isGeneratedTypes(file)) continue
    const result = copy(file)
    copied.push(result)
    pending.push(...result.imports)
  }
  return copied
}

/** The definition the contribution declares: the stock entry's, loaded from this repository's sources. */
async function contributionDefinition(): Promise<BrowserDefinition> {
  const entry = (await import('./contribution/src/index')) as unknown as { destination: BrowserDefinition }
  return entry.destination
}

type Fields = Record<string, InputField | GlobalSetting>

/** Every file of the contribution, path relative to the destination's folder, with its content. */
export async function contributionFiles(): Promise<Record<string, string>> {
  const definition = await contributionDefinition()
  const files: Record<string, string> = {
    'package.json': JSON.stringify(PACKAGE_JSON, null, 2) + '\n',
    'tsconfig.json': JSON.stringify(TSCONFIG, null, 2) + '\n',
    'metadata.json': metadataJson(definition)
  }
  const copied = sources()
  for (const { target, text } of copied) files[target] = text
  files['src/generated-types.ts'] = await typesFile((definition.settings ?? {}) as Fields, 'Settings')
  for (const [key, action] of Object.entries(definition.actions)) {
    // As the monorepo's generator: beside the action's folder when it has one.
    const hasFolder = copied.some(({ target }) => target.startsWith(`src/${key}/`))
    const path = hasFolder ? `src/${key}/generated-types.ts` : `src/${key}.types.ts`
    files[path] = await typesFile((action.fields ?? {}) as Fields, 'Payload')
  }
  for (const path of Object.keys(files)) files[path] = formatted(path, files[path])
  return files
}

/** Writes the contribution into `dir`, replacing what an earlier run wrote there. */
export async function writeContribution(dir: string): Promise<string[]> {
  const files = await contributionFiles()
  for (const owned of ['src', 'package.json', 'tsconfig.json', 'metadata.json'])
    rmSync(join(dir, owned), { recursive: true, force: true })
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return Object.keys(files).sort()
}

async function main(): Promise<void> {
  const dir = process.argv[2]
  if (!dir) {
    console.error(
      'usage: npm run contribution -- <dir>   (writes the tiktok-pixel folder of segmentio/action-destinations)'
    )
    process.exit(2)
  }
  const written = await writeContribution(resolve(dir))
  console.log(`Wrote ${written.length} files to ${resolve(dir)}; check them with ../shared/catalog-kit/check.`)
}

if (require.main === module) void main()
