/**
 * Consent on Segment's stock runtime, which hands an action only the events its mappings take and
 * has no hook for the others: the pixel sees an event's answer only when some mapping takes it,
 * as docs/contribution.md states. The Events API keys' preset takes every event type.
 */
import { presets } from '../../../../src/presets'
import { consent, destinationWith, methods, reportAll } from '../../../../src/__tests__/support/destination'
import { resetPage, subscriptionsOf, useWebCrypto } from '../../../../src/__tests__/support/page'

beforeEach(() => {
  useWebCrypto()
  resetPage()
})

const onlyMapped = { ...reportAll, subscribe: 'event = "Mapped"' }
const eventsApiKeys = subscriptionsOf(presets.filter((preset) => preset.partnerAction === 'eventsApiMatchKeys'))

it.each(['track', 'page', 'identify', 'group', 'alias'])(
  "sees the answer of a %s event no other mapping takes through the Events API keys' preset",
  async (type) => {
    const send = await destinationWith({ consentCategory: 'Advertising' }, [onlyMapped, ...eventsApiKeys])
    await send({ type, event: 'Unmapped', ...consent(true) })
    await send({ event: 'Mapped' })
    await send({ type, event: 'Unmapped', ...consent(false) })
    await send({ event: 'Mapped' })
    expect(methods()).toEqual(['holdConsent', 'grantConsent', 'track Mapped', 'revokeConsent'])
  }
)

it('without a mapping that takes an event, moves by the next mapped event’s own answer', async () => {
  const send = await destinationWith({ consentCategory: 'Advertising' }, [onlyMapped])
  await send({ event: 'Unmapped', ...consent(true) })
  await send({ event: 'Mapped' })
  await send({ event: 'Mapped', ...consent(true) })
  expect(methods()).toEqual(['holdConsent', 'track Mapped', 'grantConsent', 'track Mapped'])
})
