/**
 * Launches the system Chromium through playwright-core (which ships no browser of its own).
 *
 * The executable is `$CHROME_PATH`, else /usr/bin/chromium, else `chromium-browser` / `chromium`
 * on PATH. When none exists the launch throws: on CI (`CI=true`) that fails the run; locally the
 * error says how to get one. Tests are never skipped silently.
 */
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type LaunchOptions } from 'playwright-core'

/** Hosts that Chromium resolves to 127.0.0.1. Pages served on them are NOT secure contexts. */
export const INSECURE_HOST = 'shop.test'

/**
 * Host resolver rules:
 *  - `shop.test` goes to the local server: an origin that is not "potentially trustworthy", so
 *    pages there get `isSecureContext === false` (http://127.0.0.1 and http://localhost are secure
 *    contexts by spec);
 *  - every other name fails to resolve, so even a request that slipped past request interception
 *    could not reach the network (127.0.0.1 and localhost are excluded from that rule).
 */
export const HOST_RESOLVER_RULES = `MAP ${INSECURE_HOST} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1`

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
  `--host-resolver-rules=${HOST_RESOLVER_RULES}`
]

export const DEFAULT_LOCATIONS: readonly string[] = ['/usr/bin/chromium']

function onPath(name: string, searchPath = ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, name)
    if (executable(candidate)) return candidate
  }
  return undefined
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/** Finds the Chromium to use, or throws an error that explains how to provide one. */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  knownLocations: readonly string[] = DEFAULT_LOCATIONS
): string {
  const fromEnv = env.CHROME_PATH
  if (fromEnv) {
    if (executable(fromEnv)) return fromEnv
    throw new Error(`CHROME_PATH is set to "${fromEnv}", but that is not an executable file.`)
  }
  const found = knownLocations.find(executable) ?? onPath('chromium-browser', env.PATH) ?? onPath('chromium', env.PATH)
  if (found) return found

  if (env.CI === 'true') {
    throw new Error(
      'Browser tests cannot run: no Chromium found on this CI machine (looked at $CHROME_PATH, ' +
        '/usr/bin/chromium, chromium-browser and chromium on PATH). Install it in the CI image ' +
        '(`apt-get install -y chromium`) or set CHROME_PATH. The browser tests are required and are not skipped.'
    )
  }
  throw new Error(
    'Browser tests need Chromium, and none was found (looked at $CHROME_PATH, /usr/bin/chromium, ' +
      'chromium-browser and chromium on PATH). Install it with `sudo apt-get install -y chromium` ' +
      '(Debian/Ubuntu), or point CHROME_PATH at an existing Chrome/Chromium binary, e.g. ' +
      '`CHROME_PATH=/path/to/chrome npx jest --selectProjects browser`.'
  )
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = findChromium()
  return chromium.launch({
    executablePath,
    headless: true,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])]
  })
}

/** This machine's names in the tools' URLs, the insecure shop host included. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', INSECURE_HOST])

export function isLocalUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return (u.protocol === 'http:' || u.protocol === 'https:') && LOCAL_HOSTS.has(u.hostname)
  } catch {
    return false
  }
}
