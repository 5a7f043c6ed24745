/**
 * @jest-environment node
 */
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { builtBundle } from '../../devkit/build'
import { BUNDLE_BUDGET_BYTES as BUDGET_BYTES, LIBRARY_NAME } from '../../devkit/constants'

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
    expect(source).toContain(LIBRARY_NAME)
  })
})
