/** Filesystem locations the development tools share. Everything is resolved from the repository root. */
import path from 'node:path'

export const REPO_ROOT = path.resolve(__dirname, '..')
export const DEVKIT_DIR = __dirname
/** Generated, gitignored: the analytics-next browser bundle. */
export const BUILD_DIR = path.join(DEVKIT_DIR, '.build')
export const DIST_DIR = path.join(REPO_ROOT, 'dist')

/** The destination as built by `npm run build`. */
export const DESTINATION_SCRIPT = path.join(DIST_DIR, 'web', 'tiktok-pixel.js')
export const METADATA_JSON = path.join(REPO_ROOT, 'metadata.json')
/** The test double for TikTok's events.js. */
export const EMULATOR_SCRIPT = path.join(DEVKIT_DIR, 'tiktok-pixel-emulator.js')
