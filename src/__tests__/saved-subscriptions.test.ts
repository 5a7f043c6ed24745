/**
 * Saved subscriptions of Segment's own TikTok Pixel destination, from each release since 2023
 * that changed what a subscription saves (fixtures/segment-saved-subscriptions.json: its presets
 * and default mappings, extracted from segmentio/action-destinations at the commits named
 * there). Each must keep sending what it mapped: for every field the saved mapping resolves on
 * the event (resolved by mapping-kit itself), TikTok receives that field, normalised.
 */
import { transform } from '@segment/actions-core/mapping-kit'
import type { Subscription } from '@segment/browser-destination-runtime/types'
import { destination } from '..'
import { generatePlugins } from '../runtime'
import { PIXEL_CODE, deliver, loadPlugins, queued, resetPage, sha256, useWebCrypto } from './support/page'
import savedReleases from './fixtures/segment-saved-subscriptions.json'

type Json = Record<string, unknown>

interface Release {
  release: string
  commit: string
  settings: string[]
  subscriptions: Subscription[]
}
const releases = savedReleases as unknown as Release[]

const customer = {
  email: ' Jane.Doe@Example.com ',
  phone: '+1 (213) 373-4253',
  first_name: 'Jane',
  last_name: "O'Neil",
  address: { city: 'San Francisco', state: 'CA', country: 'US', postal_code: '94107' }
}

/** Properties of the event below that TikTok receives exactly as sent. */
const passedAsSent = {
  order_id: 'o-1',
  shop_id: 's-1',
  query: 'board games',
  search_string: 'board',
  description: 'A gift',
  content_ids: ['sku-1'],
  num_items: 2
}

/** One event carrying every property any release maps, for the trigger `subscribe`. */
function eventFor(subscribe: string, messageId: string): Json {
  const base = {
    messageId,
    userId: 'user-42',
    anonymousId: 'anon-7',
    context: { traits: customer, page: { url: 'https://shop.example/product/1' } }
  }
  if (subscribe.includes('identify')) return { ...base, type: 'identify', traits: customer }
  const properties = {
    product_id: 'sku-1',
    name: 'Monopoly',
    category: 'Games',
    brand: 'Hasbro',
    price: 18.99,
    quantity: 2,
    products: [{ product_id: 'sku-2', name: 'Uno', category: 'Cards', brand: 'Mattel', price: 0.1, quantity: 3 }],
    currency: 'eur',
    value: 40,
    ...passedAsSent
  }
  if (subscribe.includes('page')) return { ...base, type: 'page', properties }
  const name = /event\s*=\s*"([^"]+)"/.exec(subscribe)?.[1]
  return { ...base, type: 'track', event: name, properties }
}

/** What TikTok receives for each mapped field of the event above. */
const expectedProperties: Json = {
  value: 40,
  currency: 'EUR',
  ...passedAsSent,
  content_type: 'product'
}
const expectedItems: Record<string, Json> = {
  'sku-1': {
    content_id: 'sku-1',
    content_name: 'Monopoly',
    content_category: 'Games',
    brand: 'Hasbro',
    price: 18.99,
    quantity: 2
  },
  'sku-2': {
    content_id: 'sku-2',
    content_name: 'Uno',
    content_category: 'Cards',
    brand: 'Mattel',
    price: 0.1,
    quantity: 3
  }
}
const expectedUser: Json = {
  sha256_email: sha256('jane.doe@example.com'),
  sha256_phone_number: sha256('+12133734253'),
  external_id: sha256('user-42'),
  first_name: 'jane',
  last_name: 'oneil',
  city: 'sanfrancisco',
  state: 'ca',
  country: 'us',
  zip_code: '94107'
}
const userKeys: Record<string, string[]> = {
  email: ['sha256_email'],
  phone_number: ['sha256_phone_number'],
  external_id: ['external_id'],
  first_name: ['first_name'],
  last_name: ['last_name']
}

const pick = (source: Json, keys: string[]): Json => Object.fromEntries(keys.map((key) => [key, source[key]]))
const definedKeys = (value: unknown): string[] =>
  Object.entries((value ?? {}) as Json)
    .filter(([, item]) => item !== undefined && item !== null && item !== '')
    .map(([key]) => key)

/** The calls the saved mapping asks for, from mapping-kit's own reading of it. */
function expectedCalls(subscription: Subscription, event: Json): unknown[][] {
  const resolved = transform(subscription.mapping as never, event as never) as Json
  const address = resolved.address as Json | undefined
  const user = pick(
    expectedUser,
    definedKeys(resolved)
      .flatMap((key) => userKeys[key] ?? [])
      .concat(definedKeys(address).map((key) => (key === 'zip_code' ? 'zip_code' : key)))
  )
  const calls: unknown[][] = Object.keys(user).length > 0 ? [['identify', user]] : []
  if (subscription.partnerAction === 'identify') return calls

  const items = (Array.isArray(resolved.contents) ? resolved.contents : []) as Json[]
  // 2023 mappings saved the category under the item's content_type.
  const contents = items.map((item) =>
    pick(
      expectedItems[item.content_id as string],
      definedKeys(item).map((key) => (key === 'content_type' ? 'content_category' : key))
    )
  )
  const mappedProperties = definedKeys(resolved).filter((key) => key in expectedProperties)
  const properties = {
    ...(contents.length > 0 && { contents }),
    ...pick(expectedProperties, mappedProperties)
  }
  if (contents.length === 0 && !('content_ids' in properties)) delete (properties as Json).content_type
  // TikTok's argument order: trailing arguments without content are left off.
  // A mapping saved without an event ID gets the messageId, as TikTok Conversions uses.
  const args = [properties, { event_id: resolved.event_id ?? event.messageId }]
  calls.push(['track', resolved.event, ...args.map((arg) => (Object.keys(arg ?? {}).length > 0 ? arg : undefined))])
  return calls
}

beforeEach(() => {
  useWebCrypto()
  resetPage()
})

describe.each(releases)('saved subscriptions of Segment release $release ($commit)', ({ settings, subscriptions }) => {
  it('keeps the settings it saved valid', () => {
    expect(settings.filter((key) => !(key in (destination.settings ?? {})))).toEqual([])
  })

  it.each(subscriptions)('$name ($subscribe) sends what it mapped', async (subscription) => {
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
    const saved = subscription
    const plugins = await loadPlugins(
      generatePlugins(destination, {
        pixelCode: PIXEL_CODE,
        useExistingPixel: false,
        autoPageView: false,
        subscriptions: [saved]
      })
    )
    const event = eventFor(saved.subscribe, `msg-${saved.name}`)
    await deliver(plugins, event)
    expect(queued()).toEqual(expectedCalls(saved, event))
    expect(warnings).not.toHaveBeenCalled()
    warnings.mockRestore()
  })
})

describe('2023 subscriptions', () => {
  const [first] = releases
  const placeAnOrder = first.subscriptions.find((s) => s.name === 'Place an Order') as Subscription

  it('send the category saved under contents[].content_type as content_category, value and currency as given', async () => {
    const plugins = await loadPlugins(
      generatePlugins(destination, { pixelCode: PIXEL_CODE, useExistingPixel: true, subscriptions: [placeAnOrder] })
    )
    const before = queued().length
    await deliver(plugins, {
      type: 'track',
      event: 'Order Completed',
      messageId: 'm-1',
      properties: {
        revenue: 25,
        products: [
          { product_id: 'a', category: 'Games', price: 10, quantity: 2 },
          { product_id: 'b', category: 'product_group', price: 5 }
        ]
      }
    })
    // The first release had no event_id field: the messageId stands in; the event has no user.
    expect(queued().slice(before)).toEqual([
      [
        'track',
        'PlaceAnOrder',
        {
          contents: [
            { content_id: 'a', content_category: 'Games', price: 10, quantity: 2 },
            { content_id: 'b', price: 5 }
          ],
          value: 25,
          currency: 'USD'
        },
        { event_id: 'm-1' }
      ]
    ])
  })

  it('keep an item category over its content_type', async () => {
    const mapping = {
      event: 'ViewContent',
      contents: {
        '@arrayPath': [
          '$.properties',
          { content_type: { '@path': '$.type' }, content_category: { '@path': '$.category' } }
        ]
      }
    }
    const plugins = await loadPlugins(
      generatePlugins(destination, {
        pixelCode: PIXEL_CODE,
        autoPageView: false,
        subscriptions: [
          { name: 'Hand-made', partnerAction: 'reportWebEvent', subscribe: 'type = "track"', enabled: true, mapping }
        ]
      })
    )
    await deliver(plugins, { type: 'track', event: 'X', properties: { type: 'Board games', category: 'Games' } })
    expect(queued()).toEqual([['track', 'ViewContent', { contents: [{ content_category: 'Games' }] }]])
  })
})

describe('mapping keys that are no field', () => {
  // As in subscriptions saved from Segment's own tests and old UIs: anonymousId, groupId, event_id on Identify.
  const strays = {
    anonymousId: { '@path': '$.anonymousId' },
    groupId: { '@path': '$.groupId' },
    traits: { '@path': '$.traits' }
  }
  const mapping = {
    event: 'PlaceAnOrder',
    event_id: { '@path': '$.messageId' },
    value: { '@path': '$.properties.value' }
  }
  const subscription = (extra: Json): Subscription => ({
    name: 'Place an Order',
    partnerAction: 'reportWebEvent',
    subscribe: 'type = "track"',
    enabled: true,
    mapping: { ...mapping, ...extra } as Subscription['mapping']
  })

  it('are ignored: the same calls as without them, and no warning', async () => {
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
    const event = {
      type: 'track',
      event: 'Order Completed',
      messageId: 'm-2',
      anonymousId: 'a',
      groupId: 'g',
      properties: { value: 3 }
    }
    const send = async (extra: Json) => {
      resetPage()
      const plugins = await loadPlugins(
        generatePlugins(destination, {
          pixelCode: PIXEL_CODE,
          autoPageView: false,
          subscriptions: [subscription(extra)]
        })
      )
      await deliver(plugins, event)
      return queued()
    }
    const withStrays = await send(strays)
    expect(withStrays).toEqual(await send({}))
    expect(withStrays).toEqual([['track', 'PlaceAnOrder', { value: 3, currency: 'USD' }, { event_id: 'm-2' }]])
    expect(warnings).not.toHaveBeenCalled()
    warnings.mockRestore()
  })
})
