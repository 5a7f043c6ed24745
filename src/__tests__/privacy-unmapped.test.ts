/**
 * Consent answers on events no mapping takes, the held page view on load included: this
 * package's runtime hands every event to the destination's `observe` hook, which Segment's stock
 * runtime does not have (there, only the events some subscription takes move the pixel's
 * consent: scripts/contribution/src/stock-tests/stock-consent.test.ts). Not part of the
 * contribution.
 */
import { presets } from '../presets'
import { consent, destinationWith, methods, reportAll } from './support/destination'
import { resetPage, subscriptionsOf, useWebCrypto } from './support/page'

describe('consent on events no mapping takes', () => {
  beforeEach(() => {
    useWebCrypto()
    resetPage()
  })

  it.each(['track', 'page', 'identify', 'group', 'alias'])(
    'counts an answer carried by a %s event no mapping takes',
    async (type) => {
      const send = await destinationWith({ consentCategory: 'Advertising' }, [
        { ...reportAll, subscribe: 'event = "Mapped"' }
      ])
      await send({ type, event: 'Unmapped', ...consent(true) })
      await send({ event: 'Mapped' })
      await send({ type, event: 'Unmapped', ...consent(false) })
      await send({ event: 'Mapped' })
      expect(methods()).toEqual(['holdConsent', 'grantConsent', 'track Mapped', 'revokeConsent'])
    }
  )

  describe('the page view on load, held', () => {
    const pageView = subscriptionsOf(presets.filter((preset) => preset.name === 'Page View'))
    const page = { type: 'page', context: { page: { url: window.location.href } } }

    it('and revoked before any grant, is not counted: the next page() once granted is sent', async () => {
      const send = await destinationWith({ consentCategory: 'Advertising', autoPageView: true }, pageView)
      await send({ ...page, ...consent(false) })
      await send({ event: 'Grant', ...consent(true) })
      await send(page)
      expect(methods()).toEqual(['holdConsent', 'page', 'revokeConsent', 'grantConsent', 'track Pageview'])
    })

    it('and released by a grant, is counted: page() for the same address is not sent again', async () => {
      const send = await destinationWith({ consentCategory: 'Advertising', autoPageView: true }, pageView)
      await send({ event: 'Grant', ...consent(true) })
      await send({ event: 'Refuse', ...consent(false) })
      await send({ event: 'Grant', ...consent(true) })
      await send(page)
      expect(methods()).toEqual(['holdConsent', 'page', 'grantConsent', 'revokeConsent', 'grantConsent'])
    })
  })
})
