/** Where the per-event time goes: the pieces of one event, each timed alone (synchronous, µs per event). */
import type { Context } from '@segment/analytics-next'
import { transform } from '@segment/actions-core/mapping-kit'
import { parseFql, validate } from '@segment/destination-subscriptions'
import { destination, type PixelClient } from '../../src/index'
import type { Subscription } from '../../src/runtime'
import { compileMapping, compileSubscription } from '../../src/runtime/compile'
import { median } from '../../devkit/statistics'
import {
  CODES,
  collectGarbage,
  contexts,
  realAnalytics,
  queueOf,
  settingsFor,
  timeSync,
  yieldToEventLoop,
  type EventOptions
} from './common'

export async function breakdown(subscriptions: Subscription[], options: EventOptions): Promise<Record<string, number>> {
  const action = destination.actions.reportWebEvent
  const target = subscriptions.find((s) => s.subscribe === 'event = "Order Completed"')
  if (!target) throw new Error('no Order Completed preset')
  const mapping = target.mapping as Record<string, unknown>
  const fields = action.fields as Record<string, { depends_on?: unknown }>
  const eager = Object.fromEntries(Object.entries(mapping).filter(([key]) => !fields[key]?.depends_on))
  const compiledFql = subscriptions.map((s) => compileSubscription(s.subscribe))
  const compiledEager = compileMapping(eager)
  const compiledFull = compileMapping(mapping)
  const settings = settingsFor(CODES.parts, subscriptions)
  const analytics = await realAnalytics()
  const client = (await destination.initialize({ settings, analytics }, {} as never)) as PixelClient
  await yieldToEventLoop()
  const perform = action.perform as (client: PixelClient, input: unknown) => unknown

  const matched = contexts('matched', options.batch)
  const unmatchedBatch = contexts('unmatched', options.batch)
  const payloads = matched.map((ctx) => compiledEager(ctx.event as never))

  const pieces: Record<string, { batch: Context[]; work: (ctx: Context, index: number) => unknown }> = {
    'stock: FQL parseFql+validate x subscriptions (matched)': {
      batch: matched,
      work: (ctx) => subscriptions.map((s) => validate(parseFql(s.subscribe), ctx.event))
    },
    'stock: FQL parseFql+validate x subscriptions (unmatched)': {
      batch: unmatchedBatch,
      work: (ctx) => subscriptions.map((s) => validate(parseFql(s.subscribe), ctx.event))
    },
    'stock: transform(Complete Payment mapping)': {
      batch: matched,
      work: (ctx) => transform(mapping as never, ctx.event as never)
    },
    'this: compiled FQL x subscriptions (matched)': {
      batch: matched,
      work: (ctx) => compiledFql.map((match) => match(ctx.event as never))
    },
    'this: compiled FQL x subscriptions (unmatched)': {
      batch: unmatchedBatch,
      work: (ctx) => compiledFql.map((match) => match(ctx.event as never))
    },
    'this: compiled mapping, depends_on fields skipped': {
      batch: matched,
      work: (ctx) => compiledEager(ctx.event as never)
    },
    'this: compiled mapping, all fields': {
      batch: matched,
      work: (ctx) => compiledFull(ctx.event as never)
    },
    'both: perform (payload -> normalise -> hashed identify + track)': {
      batch: matched,
      work: (ctx, i) => perform(client, { payload: payloads[i], mapping, settings, analytics, context: ctx })
    }
  }

  const names = Object.keys(pieces)
  const results: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < options.breakdownSamples + 3; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length]
      queueOf(CODES.parts).length = 0
      collectGarbage()
      const value = timeSync(pieces[name].work, pieces[name].batch)
      if (round >= 3) results[name].push(value) // the first rounds are warm-up
    }
    await yieldToEventLoop()
  }
  return Object.fromEntries(names.map((name) => [name, median(results[name])]))
}
