/**
 * @jest-environment node
 */
/**
 * The contribution to segmentio/action-destinations, written by `npm run contribution`, runs its
 * own tests here as its jest config there runs them (jsdom fetching the scripts a page inserts,
 * Segment's test setup), on the stock runtime and actions-core installed here, with no network
 * and no monorepo. The kit in ../shared/catalog-kit/ runs them in the monorepo itself.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { catalog } from '../../src/catalog'
import { breakingChangeReview, breaksNothing, type CatalogShape } from '../contribution/review'

const root = join(__dirname, '..', '..')
const bin = (name: string): string => join(root, 'node_modules', '.bin', name)

describe('the contribution', () => {
  // Inside the repository, so that its imports resolve to this repository's node_modules.
  // .tmp/ is git-ignored: a fresh clone has none until something makes it.
  mkdirSync(join(root, '.tmp'), { recursive: true })
  const dir = mkdtempSync(join(root, '.tmp', 'contribution-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  let written: ReturnType<typeof spawnSync>
  beforeAll(() => {
    written = spawnSync(bin('tsx'), ['scripts/contribution.ts', dir], { cwd: root, encoding: 'utf8' })
  }, 60_000)

  it('is written from the sources by npm run contribution', () => {
    expect(written.stderr).toBe('')
    expect(written.status).toBe(0)
    expect(readdirSync(dir).sort()).toEqual(['metadata.json', 'package.json', 'src', 'tsconfig.json'])
  })

  it("declares the package's catalog entry, in the shape of Segment's metadata.json", () => {
    const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'))
    const contribution = read(join(dir, 'metadata.json'))
    const own = read(join(root, 'metadata.json'))
    expect(Object.keys(contribution)).toEqual([
      'slug',
      'name',
      'mode',
      'description',
      'authentication',
      'audienceConfig',
      'actions',
      'presets'
    ])
    expect([contribution.slug, contribution.name, contribution.description]).toEqual([
      own.slug,
      own.name,
      own.description
    ])
    expect(Object.keys(contribution.authentication.fields)).toEqual(Object.keys(own.settings))
    for (const [key, setting] of Object.entries<{ default?: unknown }>(own.settings))
      expect(contribution.authentication.fields[key].default).toEqual(setting.default ?? null)
    expect(Object.keys(contribution.actions)).toEqual(Object.keys(own.actions))
    for (const [key, action] of Object.entries<{ fields: Record<string, { default?: unknown }> }>(own.actions)) {
      expect(Object.keys(contribution.actions[key].fields)).toEqual(Object.keys(action.fields))
      for (const [field, value] of Object.entries(action.fields))
        expect(contribution.actions[key].fields[field].default).toEqual(value.default ?? null)
    }
    const presetOf = ({ name, subscribe, partnerAction, mapping }: Record<string, unknown>) => ({
      name,
      subscribe,
      partnerAction,
      mapping
    })
    expect(contribution.presets.map(presetOf)).toEqual(own.presets.map(presetOf))
  })

  it("imports only packages the monorepo's browser destinations have (its jest finds no fast-check, for one)", () => {
    const imported = new Set<string>()
    const walk = (folder: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (entry.name.endsWith('.ts'))
          for (const match of readFileSync(path, 'utf8').matchAll(/\bfrom '([^.'][^']*)'/g)) imported.add(match[1])
      }
    }
    walk(join(dir, 'src'))
    const provided = /^(node:|@segment\/(actions-core|analytics-next|browser-destination-runtime)(\/|$))/
    expect([...imported].filter((specifier) => !provided.test(specifier))).toEqual([])
    expect(imported).toContain('@segment/browser-destination-runtime/shim')
  })

  it("passes its own tests on the stock runtime, under the monorepo's jest settings", () => {
    const config = {
      rootDir: dir,
      testEnvironment: 'jsdom',
      testEnvironmentOptions: { runScripts: 'dangerously', resources: 'usable', url: 'https://segment.com' },
      transform: {
        '^.+\\.ts$': ['ts-jest', { tsconfig: join(dir, 'jest.tsconfig.json') }]
      },
      setupFilesAfterEnv: [join(root, 'scripts', 'contribution', 'jest-setup-after-env.ts')]
    }
    writeFileSync(join(dir, 'jest.config.json'), JSON.stringify(config))
    // The monorepo's ts-jest transpiles file by file (isolatedModules), as this does.
    const compilerOptions = { esModuleInterop: true, resolveJsonModule: true, isolatedModules: true, target: 'ES2020' }
    writeFileSync(join(dir, 'jest.tsconfig.json'), JSON.stringify({ compilerOptions }))
    const results = join(dir, 'results.json')
    const run = spawnSync(
      bin('jest'),
      ['--config', join(dir, 'jest.config.json'), '--ci', '--json', '--outputFile', results],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }
    )
    const summary = JSON.parse(readFileSync(results, 'utf8'))
    const failures = summary.testResults
      .filter((suite: { status: string }) => suite.status !== 'passed')
      .map((suite: { name: string; message: string }) => `${suite.name}\n${suite.message}`)
    expect(failures).toEqual([])
    expect(summary.numPendingTests + summary.numTodoTests).toBe(0)
    expect(summary.numTotalTestSuites).toBeGreaterThanOrEqual(13)
    expect(run.status).toBe(0)
  }, 600_000)
})

describe('the breaking-change review', () => {
  it("finds nothing removed, retyped or newly required in Segment's catalog entry", () => {
    const review = breakingChangeReview(catalog as unknown as CatalogShape)
    expect(review.removed).toEqual([])
    expect(review.retyped).toEqual([])
    expect(review.newlyRequired).toEqual([])
    expect(breaksNothing(review)).toBe(true)
  })

  it('catches a removed action, setting or nested property, a retyped field and a new required one', () => {
    const shape = JSON.parse(JSON.stringify(catalog)) as CatalogShape & { settings: Record<string, unknown> }
    delete shape.actions.identify
    delete shape.settings.ldu
    delete shape.actions.reportWebEvent.fields.contents.properties?.price
    shape.actions.reportWebEvent.fields.email.multiple = false
    shape.actions.reportWebEvent.fields.order_id.required = true
    shape.actions.reportWebEvent.fields.store_id = { type: 'string', required: true }
    const review = breakingChangeReview(shape)
    expect(review.removed).toEqual(['settings.ldu', 'reportWebEvent.contents.price', 'identify'])
    expect(review.retyped).toEqual(['reportWebEvent.email (string[] → string)'])
    expect(review.newlyRequired).toEqual(['reportWebEvent.order_id', 'reportWebEvent.store_id'])
    expect(breaksNothing(review)).toBe(false)
  })
})
