/**
 * @jest-environment node
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const BUNDLE = join(__dirname, '..', '..', 'dist', 'web', 'tiktok-pixel.js')
const BUDGET_BYTES = 15 * 1024

describe('browser bundle', () => {
  it(`is at most ${BUDGET_BYTES} bytes gzip (every shop visitor downloads it)`, () => {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build (npm test does)`)
    const bytes = gzipSync(readFileSync(BUNDLE), { level: 9 }).length
    console.log(`dist/web/tiktok-pixel.js: ${bytes} B gzip, budget ${BUDGET_BYTES} B`)
    expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES)
  })

  it('is self-contained: no module syntax, no code fetched later', () => {
    const source = readFileSync(BUNDLE, 'utf8')
    expect(source).not.toMatch(/\bimport\s*\(|\brequire\(|^export /m)
    expect(source).toContain('tiktok-pixelDestination')
  })
})
