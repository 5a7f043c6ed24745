/** Segment's API answered locally, so a test reads what analytics.js sent there. */
import type { Route } from 'playwright-core'
import type { Event } from './expectations'
import type { Shop } from './harness'

/** Segment's API, answered locally: every event analytics.js sends there, in order. */
export interface SegmentApi {
  sent: Event[]
  /** The first sent event named `name` (track) or of type `name`, waiting for it. */
  event(name: string): Promise<Event>
}

export async function segmentApi(shop: Shop): Promise<SegmentApi> {
  const sent: Event[] = []
  /** Who waits for which event, until a request for Segment's API brings it. */
  const waiting: Array<{ name: string; resolve: (event: Event) => void }> = []
  const matches = (event: Event, name: string): boolean => event.event === name || event.type === name
  // Registered after the harness's catch-all, so it wins for Segment's host.
  await shop.context.route('https://api.segment.io/**', async (route: Route) => {
    const body = route.request().postData()
    if (body) {
      const event = JSON.parse(body) as Event
      sent.push(event)
      for (const waiter of waiting.filter((w) => matches(event, w.name))) waiter.resolve(event)
    }
    await route.fulfill({ status: 200, contentType: 'application/json', body: '{"success":true}' })
  })
  return {
    sent,
    event(name) {
      const found = sent.find((event) => matches(event, name))
      return found ? Promise.resolve(found) : new Promise((resolve) => waiting.push({ name, resolve }))
    }
  }
}
