/**
 * What the events.js emulator (tiktok-pixel-emulator.js, a test double) records on
 * `window.__tiktokEmulator`: read by the browser tests and shown by the playground.
 */

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
  snapshot(): EmulatorState
  reset(): void
}

declare global {
  interface Window {
    __tiktokEmulator?: EmulatorApi
  }
}
