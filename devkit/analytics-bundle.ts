/**
 * Builds a browser bundle of @segment/analytics-next (the version installed in node_modules) that
 * exposes `window.AnalyticsNext.AnalyticsBrowser`, with Segment's consent wrapper beside it
 * (`window.AnalyticsNext.createWrapper`, from @segment/analytics-consent-tools). The bundle is
 * cached in devkit/.build and rebuilt when it is missing or was built from other versions.
 *
 * The npm package ships no self-contained IIFE (its dist/umd build lazily fetches chunks from
 * cdn.segment.com), so we bundle the ESM build with esbuild instead; esbuild inlines the
 * package's dynamic `import()`s, so the page never asks any CDN for code.
 */
import fs from 'node:fs'
import path from 'node:path'
import { BUILD_DIR, REPO_ROOT } from './paths'

export const ANALYTICS_BUNDLE = path.join(BUILD_DIR, 'analytics-next.js')
export const ANALYTICS_GLOBAL = 'AnalyticsNext'

const BUNDLED_PACKAGES = ['@segment/analytics-next', '@segment/analytics-consent-tools']

function installedVersion(name: string): string {
  const pkgPath = require.resolve(`${name}/package.json`, { paths: [REPO_ROOT] })
  return (JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { version: string }).version
}

function stamp(): string {
  return `/* dev kit bundle of ${BUNDLED_PACKAGES.map((name) => `${name}@${installedVersion(name)}`).join(', ')} */`
}

function isFresh(stamp: string): boolean {
  try {
    const fd = fs.openSync(ANALYTICS_BUNDLE, 'r')
    try {
      const buf = Buffer.alloc(stamp.length)
      fs.readSync(fd, buf, 0, stamp.length, 0)
      return buf.toString('utf8') === stamp
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return false
  }
}

let pending: Promise<string> | undefined

/** Returns the path of the bundle, building it first if needed. Safe to call from parallel jest workers. */
export function ensureAnalyticsBundle(): Promise<string> {
  pending ??= build().catch((err: unknown) => {
    pending = undefined
    throw err
  })
  return pending
}

async function build(): Promise<string> {
  const header = stamp()
  if (isFresh(header)) return ANALYTICS_BUNDLE

  // Loaded lazily so that tests which never need the bundle do not pay for esbuild.
  const esbuild = await import('esbuild')
  fs.mkdirSync(BUILD_DIR, { recursive: true })
  const result = await esbuild.build({
    stdin: {
      contents:
        "export { AnalyticsBrowser } from '@segment/analytics-next'\n" +
        "export { createWrapper } from '@segment/analytics-consent-tools'\n",
      resolveDir: REPO_ROOT,
      sourcefile: 'analytics-next-entry.js',
      loader: 'js'
    },
    bundle: true,
    format: 'iife',
    globalName: ANALYTICS_GLOBAL,
    platform: 'browser',
    target: 'es2020',
    banner: { js: header },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    write: false
  })
  const output = result.outputFiles[0]
  if (!output) throw new Error('esbuild produced no output for the analytics-next bundle')
  // Write to a unique temp file and rename, so a concurrent jest worker never reads half a file.
  const tmp = `${ANALYTICS_BUNDLE}.${process.pid}.${Date.now()}.tmp`
  fs.writeFileSync(tmp, output.contents)
  fs.renameSync(tmp, ANALYTICS_BUNDLE)
  return ANALYTICS_BUNDLE
}
