/**
 * npm run check:upstream: installs the newest @segment/actions-core and @segment/destination-subscriptions into a
 * temporary directory and runs the differential tests of src/runtime/compile against them instead of the versions
 * in package-lock.json. The browser bundle re-implements the part of mapping-kit and FQL it needs; this says, loudly,
 * when a newer release behaves differently. Needs the npm registry; meant for a scheduled CI job.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(__dirname, '..')
const PACKAGES = ['@segment/actions-core', '@segment/destination-subscriptions']

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'upstream-'))
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }))
    // mapping-kit loads liquidjs, which actions-core lists as an optional peer.
    const specs = [...PACKAGES.map((name) => `${name}@latest`), 'liquidjs']
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], {
      cwd: dir,
      stdio: 'inherit'
    })
    const modules = join(dir, 'node_modules')
    const versionOf = (name: string): string =>
      (JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')) as { version: string }).version
    const versions = PACKAGES.map((name) => `${name}@${versionOf(name)}`).join(', ')
    console.log(`differential tests of src/runtime/compile against ${versions}`)

    const config = {
      rootDir: root,
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/src/runtime/compile'],
      testMatch: ['**/__tests__/**/*.test.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: join(root, 'tsconfig.json') }] },
      // The tests' reference implementations, taken from the fresh install instead of node_modules.
      moduleNameMapper: {
        '^@segment/actions-core/mapping-kit$': join(modules, '@segment/actions-core/dist/cjs/mapping-kit/index.js'),
        '^@segment/destination-subscriptions$': join(modules, '@segment/destination-subscriptions')
      }
    }
    const configFile = join(dir, 'jest.config.json')
    writeFileSync(configFile, JSON.stringify(config))
    try {
      execFileSync(join(root, 'node_modules', '.bin', 'jest'), ['--config', configFile], {
        cwd: root,
        stdio: 'inherit'
      })
    } catch {
      console.error(
        `\nUPSTREAM DIVERGES: ${versions} no longer behave as src/runtime/compile implements them (see the failures` +
          ' above). Update the compilers and their tests before upgrading.'
      )
      process.exitCode = 1
      return
    }
    console.log(`OK: src/runtime/compile matches ${versions}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main()
