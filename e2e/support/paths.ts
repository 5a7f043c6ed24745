/** Filesystem locations the browser tests use. Everything is resolved from the repository root. */
import path from 'node:path'

export const REPO_ROOT = path.resolve(__dirname, '..', '..')
export const E2E_DIR = path.join(REPO_ROOT, 'e2e')
export const SUPPORT_DIR = path.join(E2E_DIR, 'support')
/** Generated, gitignored: the analytics-next browser bundle and other build output of the harness. */
export const BUILD_DIR = path.join(E2E_DIR, '.build')
/** Gitignored: screenshots, traces and logs a failing test may leave behind. */
export const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts')
export const DIST_DIR = path.join(REPO_ROOT, 'dist')

/** The destination under test, as built by `npm run build`. */
export const DESTINATION_SCRIPT = path.join(DIST_DIR, 'web', 'tiktok-pixel.js')
export const METADATA_JSON = path.join(REPO_ROOT, 'metadata.json')
/** The test double for TikTok's events.js. */
export const EMULATOR_SCRIPT = path.join(SUPPORT_DIR, 'tiktok-pixel-emulator.js')

/** The global the destination's IIFE assigns its PluginFactory to. */
export const LIBRARY_NAME = 'tiktok-pixelDestination'
/** `PluginFactory.pluginName`; analytics-next matches bundled factories to remote plugins by this. */
export const PLUGIN_NAME = 'TikTok Pixel'
