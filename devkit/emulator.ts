/**
 * The events.js emulator (tiktok-pixel-emulator.js, a test double): the script as pages are served
 * it, and what it records on `window.__tiktokEmulator`, read by the browser tests and shown by the
 * playground.
 */
import fs from 'node:fs'
import { EMULATOR_SCRIPT } from './paths'

/**
 * The stub methods of TikTok's base code, as the tools know them: the base code the browser tests
 * paste (e2e/support/tiktok-base-code.ts) and the methods the emulator installs. Written down for
 * the tools independently of the product's own list (src/base-code.ts), which the tests check.
 */
export const TIKTOK_STUB_METHODS: readonly string[] = (
  'page track identify instances debug on off once ready alias group ' +
  'enableCookie disableCookie holdConsent revokeConsent grantConsent'
).split(' ')

const METHODS_PLACEHOLDER = '/* TIKTOK_STUB_METHODS */ []'

/**
 * The emulator as served in place of events.js. It is a plain browser script that cannot import,
 * so the one list above is written into it here, at its placeholder.
 */
export function emulatorScript(): string {
  const source = fs.readFileSync(EMULATOR_SCRIPT, 'utf8')
  if (!source.includes(METHODS_PLACEHOLDER)) throw new Error(`${EMULATOR_SCRIPT} lost ${METHODS_PLACEHOLDER}`)
  return source.replace(METHODS_PLACEHOLDER, JSON.stringify(TIKTOK_STUB_METHODS))
}

export interface EmulatorCall {
  method: string
  args: unknown[]
}

export interface EmulatorPixel {
  code: string
  options: Record<string, unknown>
  partner: unknown
  loads: number
  scriptLoads: number
  consent: 'held' | 'granted' | 'revoked' | null
  calls: EmulatorCall[]
  /** The page and track calls TikTok would send under its consent mode (held ones once granted, never once revoked). */
  sent: EmulatorCall[]
  /** The page and track calls held, waiting for a grant or a revocation. */
  held: EmulatorCall[]
}

export interface EmulatorLogEntry extends EmulatorCall {
  code: string | null
  via: 'global' | 'instance' | 'load'
}

export interface EmulatorState {
  pixels: Record<string, EmulatorPixel>
  scriptLoads: number
  scriptUrls: string[]
  log: EmulatorLogEntry[]
  orphanCalls: Array<EmulatorCall & { code: string }>
}

export interface EmulatorApi extends EmulatorState {
  codes(): string[]
  callsFor(code: string, method?: string): EmulatorCall[]
  eventsFor(code: string): unknown[]
  sentFor(code: string): EmulatorCall[]
  snapshot(): EmulatorState
  reset(): void
}

declare global {
  interface Window {
    __tiktokEmulator?: EmulatorApi
  }
}
