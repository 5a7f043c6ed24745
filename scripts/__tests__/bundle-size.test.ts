/**
 * @jest-environment node
 */
import { readFileSync } from 'node:fs'
import { runInNewContext } from 'node:vm'
import { gzipSync } from 'node:zlib'
import { builtBundle } from '../../devkit/build'
import { BUNDLE_BUDGET_BYTES as BUDGET_BYTES, LIBRARY_NAME, PLUGIN_NAME } from '../../devkit/constants'

const BUNDLE = builtBundle()

describe('browser bundle', () => {
  it(`is at most ${BUDGET_BYTES} bytes gzip (every shop visitor downloads it)`, () => {
    const bytes = gzipSync(readFileSync(BUNDLE), { level: 9 }).length
    console.log(`dist/web/tiktok-pixel.js: ${bytes} B gzip, budget ${BUDGET_BYTES} B`)
    expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES)
  })

  it('is self-contained: no module syntax, no code fetched later', () => {
    const source = readFileSync(BUNDLE, 'utf8')
    expect(source).not.toMatch(/\bimport\s*\(|\brequire\(|^export /m)
  })

  it(`run alone, sets window['${LIBRARY_NAME}'] to the factory and touches nothing else`, () => {
    // A bare global: the script needs no other global to load, and leaves nothing else behind.
    const window: Record<string, unknown> = {}
    runInNewContext(readFileSync(BUNDLE, 'utf8'), { window })
    expect(Object.keys(window)).toEqual([LIBRARY_NAME])
    const factory = window[LIBRARY_NAME] as { pluginName?: unknown }
    expect(typeof factory).toBe('function')
    expect(factory.pluginName).toBe(PLUGIN_NAME)
  })
})
