/**
 * @jest-environment node
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}
const ANALYTICS = '@segment/analytics-next'
/** The first analytics-next that shows plugins the source's settings (`analytics.settings.cdnSettings`). */
const FIRST_WITH_CDN_SETTINGS = [1, 70, 0]

describe('the analytics-next peer dependency', () => {
  it("starts where plugins see the source's settings, which the Events API keys turn on from", () => {
    const range = manifest.peerDependencies?.[ANALYTICS]
    const minimum = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range ?? '')
    expect(minimum).not.toBeNull()
    const version = minimum!.slice(1).map(Number)
    expect(version[0]).toBe(FIRST_WITH_CDN_SETTINGS[0])
    expect(version[1] * 1000 + version[2]).toBeGreaterThanOrEqual(
      FIRST_WITH_CDN_SETTINGS[1] * 1000 + FIRST_WITH_CDN_SETTINGS[2]
    )
  })

  it('is optional: a site loading the script through the snippet installs no analytics-next', () => {
    expect(manifest.peerDependenciesMeta?.[ANALYTICS]).toEqual({ optional: true })
  })

  it('has its minimum named in the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const range = manifest.peerDependencies?.[ANALYTICS] ?? ''
    expect(readme).toContain(`\`${range}\``)
    expect(readme).toContain(`${ANALYTICS}\`** ${range.slice(1)} or later`)
  })
})
