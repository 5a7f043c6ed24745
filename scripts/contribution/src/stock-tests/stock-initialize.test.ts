/**
 * The stock entry's `initialize`: on Segment's stock runtime it alone sends what this package's
 * runtime sends on load (the known customer, then the page view, once analytics.js has run the
 * page's buffered calls), and it never throws or waits.
 */
import type { Analytics, Plugin } from '@segment/analytics-next'
import { Context } from '@segment/analytics-next'
import tiktokPixel, { destination } from '..'
import { presets } from '../../../../src/presets'
import {
  PIXEL_CODE,
  queued,
  resetPage,
  sha256,
  subscriptionsOf,
  useWebCrypto
} from '../../../../src/__tests__/support/page'

const customer = { id: () => 'user-42', anonymousId: () => 'anon-1', traits: () => ({ email: 'jane@example.com' }) }
const analytics = { user: () => customer } as unknown as Analytics

beforeEach(() => {
  useWebCrypto()
  resetPage()
})

/**
 * Resolves once the page view on load is queued: the client opens in the task after `initialize`
 * (there is no analytics.js loader to wait for), and the page view goes after the known
 * customer's calls, which wait for their digests.
 */
async function opened(): Promise<void> {
  while (!queued().some((call) => call[0] === 'page')) await new Promise((resolve) => setTimeout(resolve, 0))
}

async function initializeWith(subscriptions: unknown[]): Promise<void> {
  const settings = { pixelCode: PIXEL_CODE, subscriptions } as never
  await destination.initialize({ settings, analytics }, {} as never)
  await opened()
}

const identifyPresets = () => subscriptionsOf(presets.filter((preset) => preset.partnerAction === 'identify'))

it('sends the known customer through each matching Identify subscription, then the page view', async () => {
  const identify = identifyPresets()
  const onlyWithPhone = { ...identify[0], name: 'Phone only', subscribe: 'type = "identify" and traits.phone exists' }
  await initializeWith([...identify, onlyWithPhone, { ...identify[0], name: 'Off', enabled: false }])
  expect(queued()).toEqual([
    ['identify', { sha256_email: sha256('jane@example.com'), external_id: sha256('user-42') }],
    ['page']
  ])
})

it('reads the known customer when the client opens, so a reset() analytics.js runs first leaves none', async () => {
  let known = true
  const user = {
    id: () => (known ? 'user-42' : null),
    anonymousId: () => 'anon-1',
    traits: () => (known ? { email: 'jane@example.com' } : {})
  }
  const settings = { pixelCode: PIXEL_CODE, subscriptions: identifyPresets() } as never
  await destination.initialize({ settings, analytics: { user: () => user } as unknown as Analytics }, {} as never)
  known = false
  await opened()
  expect(queued()).toEqual([['page']])
})

it('sends the page view alone when a mapping fails, warning without event values', async () => {
  const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
  const broken = { ...identifyPresets()[0] }
  broken.mapping = { email: { '@template': 123 } } as never
  await initializeWith([broken])
  expect(queued()).toEqual([['page']])
  expect(warnings.mock.calls.flat().join(' ')).not.toContain('jane')
  warnings.mockRestore()
})

it('is exported as the stock factory, which analytics.js matches by name and which builds one plugin per mapped action', async () => {
  expect(tiktokPixel.pluginName).toBe('TikTok Pixel')
  const plugins: Plugin[] = ([] as Plugin[]).concat(
    await tiktokPixel({ pixelCode: PIXEL_CODE, subscriptions: subscriptionsOf(presets) as never })
  )
  expect(plugins.map((plugin) => plugin.name)).toEqual([
    'TikTok Pixel reportWebEvent',
    'TikTok Pixel identify',
    'TikTok Pixel eventsApiMatchKeys'
  ])
  await plugins[0].load(new Context({ type: 'page' }), analytics)
  await opened()
  expect(queued()).toEqual([
    ['identify', { sha256_email: sha256('jane@example.com'), external_id: sha256('user-42') }],
    ['page']
  ])
})
