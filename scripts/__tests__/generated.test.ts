/**
 * @jest-environment node
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')

describe('generated files', () => {
  it('match the destination definition (run npm run generate after changing it)', () => {
    // Prettier needs native ESM, which jest's module system lacks: run the generator as npm does.
    const run = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/generate.ts', '--check'], {
      cwd: root,
      encoding: 'utf8'
    })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
  }, 30_000)

  it('describe the catalog: settings, the three actions and the seventeen presets', () => {
    const metadata = JSON.parse(readFileSync(join(root, 'metadata.json'), 'utf8'))
    expect(Object.keys(metadata.settings)).toEqual([
      'pixelCode',
      'ldu',
      'autoPageView',
      'consentCategory',
      'useExistingPixel'
    ])
    // Declared again so saved settings validate; it has no effect and says so.
    expect(metadata.settings.useExistingPixel.label).toMatch(/^\[Deprecated\]/)
    expect(metadata.settings.pixelCode.required).toBe(true)
    expect(metadata.settings.autoPageView.default).toBe(true)
    expect(metadata.settings.ldu.default).toBe(false)
    expect(metadata.actions.reportWebEvent.defaultSubscription).toBe('type = "track"')
    expect(metadata.actions.identify.defaultSubscription).toBe('type = "identify"')
    expect(metadata.actions.reportWebEvent.fields.event_id.default).toEqual({ '@path': '$.messageId' })
    expect(Object.keys(metadata.actions.identify.fields)).toEqual([
      'phone_number',
      'email',
      'first_name',
      'last_name',
      'address',
      'external_id'
    ])
    expect(metadata.actions.eventsApiMatchKeys).toMatchObject({ lifecycleHook: 'enrichment', fields: {} })
    expect(metadata.presets).toHaveLength(17)
    const [identify, enrichment] = metadata.presets.slice(15)
    expect(identify).toMatchObject({ partnerAction: 'identify', subscribe: 'type = "identify"', type: 'automatic' })
    expect(identify.mapping.email).toEqual(metadata.actions.identify.fields.email.default)
    expect(enrichment).toMatchObject({ partnerAction: 'eventsApiMatchKeys', mapping: {}, type: 'automatic' })
    for (const type of ['track', 'page', 'identify', 'group', 'alias']) {
      expect(enrichment.subscribe).toContain(`type = "${type}"`)
    }
    for (const preset of metadata.presets.slice(0, 15)) {
      expect(preset).toMatchObject({ partnerAction: 'reportWebEvent', type: 'automatic' })
      expect(typeof preset.mapping.event).toBe('string')
    }
  })
})
