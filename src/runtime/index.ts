import type { Analytics, Context, Plugin, SegmentEvent } from '@segment/analytics-next'
import type { InputField, JSONObject } from '@segment/actions-core'
import { compileMapping, compileSubscription, Unsupported } from './compile'
import { FixedReasonError } from './errors'
import { warnOnce } from './log'
import { savedSubscriptions, type Subscription } from './subscriptions'

export { FixedReasonError } from './errors'
export { WARNED_LIMIT, warnOnce } from './log'
export { savedSubscriptions, type Subscription } from './subscriptions'

/**
 * A lean replacement for `@segment/browser-destination-runtime`'s plugin generator: one analytics.js plugin per
 * action, `initialize` once, `perform` per matching subscription. The per-event work is done up front: FQL and
 * mappings are compiled once per subscription, on first use, by this runtime's own compilers (./compile), and
 * fields whose `depends_on` is not met are not resolved.
 *
 * Where it differs from the stock runtime, on purpose:
 * - A failing subscription (its mapping or `perform` throws or rejects) does not reject the plugin call: the other
 *   subscriptions still run, the failure is reported once on the console (its error class only, never its message,
 *   which can hold event values), and analytics.js sees the event as delivered. A rejection would only land in the
 *   context's log, and for an enrichment plugin it would cancel the event for every destination.
 * - FQL and mappings outside what ./compile implements (see there) are refused when first used, with a console
 *   warning naming the construct, and that subscription sends nothing; the stock runtime would run them through
 *   mapping-kit, which this bundle does not ship.
 * - `initialize` gets no `loadScript`/`resolveWhen`: this runtime ships none, and the TikTok base code needs neither.
 */

type Payload = Record<string, unknown>

type DependsOnConditions = NonNullable<InputField['depends_on']>

/** The part of a browser action the runtime needs; a full `BrowserActionDefinition` fits. */
export interface RuntimeAction<Settings, Client> {
  perform: (
    client: Client,
    input: { payload: any; mapping: JSONObject; settings: Settings; analytics: Analytics; context: Context }
  ) => unknown
  /** Only fields with `depends_on` matter here; the web bundle ships just those. */
  fields?: Record<string, { depends_on?: DependsOnConditions }>
  lifecycleHook?: Plugin['type']
}

/** The part of a browser destination definition the runtime needs. */
export interface RuntimeDestination<Settings, Client> {
  name: string
  initialize: (options: { settings: Settings; analytics: Analytics }, dependencies: never) => Promise<Client>
  actions: Record<string, RuntimeAction<Settings, Client>>
  /**
   * Runs once, right after `initialize` and before any event of the page. `handle(action, event)`
   * runs an event of the destination's own through that one action's subscriptions (e.g. the
   * customer analytics.js already knows, through Identify only); only an action of the
   * 'destination' type can take it, never the Segment pipeline or the other actions.
   */
  onLoad?: (
    client: Client,
    load: { analytics: Analytics; handle: (action: string, event: SegmentEvent) => void }
  ) => void
  /**
   * Subscriptions run for an action the workspace has no enabled subscription for: the
   * destination's own presets for what a catalog entry cannot hold. The action's `perform` decides
   * whether they send anything.
   */
  fallbackSubscriptions?: Subscription[]
  /**
   * Sees every event analytics.js processes, whichever subscriptions it matches: first as a
   * 'before' plugin, ahead of the source middleware (which may drop the event for every plugin,
   * as Segment's consent wrapper does), then as an 'enrichment' plugin, once that middleware has
   * added to it; destination middleware never hides it. Keep it cheap and repeatable: it runs
   * twice per event.
   */
  observe?: (client: Client, event: SegmentEvent) => void
}

/** What analytics.js loads: `window[libraryName]` or `AnalyticsBrowser.load({ plugins })`. */
export type PluginFactory = ((settings: unknown) => Plugin[]) & { pluginName: string }

interface CompiledSubscription {
  name: string
  mapping: JSONObject
  matches: (event: Payload) => boolean
  payload: (event: Payload) => Payload
}

/** Names only what cannot hold event data: a fixed reason of our own, else just the error's class. */
function reportFailure(destination: string, subscription: string, error: unknown): void {
  'compile lazily'
  const warn = (message: string): void => warnOnce(destination, `subscription "${subscription}" ${message}`)
  if (error instanceof Unsupported) {
    warn(`is not run: it uses ${error.message}, which this build does not implement`)
  } else if (error instanceof FixedReasonError) {
    warn(`dropped an event: ${error.message}`)
  } else {
    warn(`dropped an event (${error instanceof Error ? error.name : typeof error})`)
  }
}

function conditionHolds(dependsOn: DependsOnConditions, payload: Payload): boolean {
  const results = dependsOn.conditions.map((condition) => {
    if (!('fieldKey' in condition)) return true
    const values = Array.isArray(condition.value) ? condition.value : [condition.value]
    const equal = values.includes(payload[condition.fieldKey] as never)
    return condition.operator === 'is' ? equal : !equal
  })
  return dependsOn.match === 'any' ? results.includes(true) : !results.includes(false)
}

/** Builds on first use, so page load pays nothing for subscriptions and mappings events never reach. A build that
 * throws (an unsupported construct) throws the same error on every use, without building again. */
function onFirstUse<T>(build: () => T): () => T {
  let built: { value: T } | { error: unknown } | undefined
  return () => {
    if (!built) {
      try {
        built = { value: build() }
      } catch (error) {
        built = { error }
      }
    }
    if ('error' in built) throw built.error
    return built.value
  }
}

/** The payload builder of one subscription: fields whose `depends_on` is not met are not resolved. */
function payloadBuilder<Settings, Client>(
  mapping: JSONObject,
  action: RuntimeAction<Settings, Client>
): (event: Payload) => Payload {
  // Not a mapping at all: compileMapping refuses it.
  if (typeof mapping !== 'object' || Array.isArray(mapping)) return compileMapping(mapping)
  const eager: Payload = {}
  const conditional: { dependsOn: DependsOnConditions; resolver: () => (event: Payload) => Payload }[] = []
  const keys = Object.keys(mapping)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
    const value = mapping[key]
    const dependsOn = action.fields?.[key]?.depends_on
    if (dependsOn) conditional.push({ dependsOn, resolver: onFirstUse(() => compileMapping({ [key]: value })) })
    else eager[key] = value
  }
  const resolver = compileMapping(eager)
  return (event) => {
    const payload = resolver(event)
    for (let i = 0; i < conditional.length; i++) {
      const field = conditional[i]
      if (conditionHolds(field.dependsOn, payload)) Object.assign(payload, field.resolver()(event))
    }
    return payload
  }
}

function compile<Settings, Client>(
  subscription: Subscription,
  action: RuntimeAction<Settings, Client>
): CompiledSubscription {
  const mapping = (subscription.mapping ?? {}) as JSONObject
  const matcher = onFirstUse(() => compileSubscription(subscription.subscribe))
  const builder = onFirstUse(() => payloadBuilder(mapping, action))
  return {
    name: subscription.name,
    mapping,
    matches: (event) => matcher()(event),
    payload: (event) => builder()(event)
  }
}

/** Builds the PluginFactory analytics.js loads: `window[libraryName]` or `AnalyticsBrowser.load({ plugins })`. */
export function actionDestination<Settings, Client>(definition: RuntimeDestination<Settings, Client>): PluginFactory {
  const factory = ((settings: Settings & { subscriptions?: unknown }) =>
    generatePlugins(definition, settings)) as unknown as PluginFactory
  factory.pluginName = definition.name
  return factory
}

export function generatePlugins<Settings, Client>(
  definition: RuntimeDestination<Settings, Client>,
  settings: Settings & { subscriptions?: unknown }
): Plugin[] {
  const enabled = savedSubscriptions(definition.name, settings.subscriptions).filter(
    (subscription) => subscription.enabled
  )
  const fallbacks = (definition.fallbackSubscriptions ?? []).filter(
    (fallback) => !enabled.some((subscription) => subscription.partnerAction === fallback.partnerAction)
  )
  const subscriptions = enabled.concat(fallbacks)
  let client: Client | undefined
  let initializing: Promise<Client> | undefined
  let analytics: Analytics
  const destinationRuns: Record<string, (context: Context) => Promise<Context>> = {}

  /** Hands an event of the destination's own to one of its destination actions. */
  const handle = (actionKey: string, event: SegmentEvent): void => {
    // A bare context: the event is this destination's alone, it never enters analytics.js.
    if (Object.prototype.hasOwnProperty.call(destinationRuns, actionKey))
      void destinationRuns[actionKey]({ event } as Context)
  }

  const load = async (_ctx: Context, instance: Analytics): Promise<void> => {
    analytics = instance
    initializing ??= definition.initialize({ settings, analytics: instance }, undefined as never).then((ready) => {
      client = ready
      try {
        definition.onLoad?.(ready, { analytics: instance, handle })
      } catch (error) {
        reportFailure(definition.name, 'on load', error)
      }
      return ready
    })
    client = await initializing
  }

  /** A plugin of this destination handing every event type it takes to `handle`. */
  const pluginOf = (
    name: string,
    type: Plugin['type'],
    handle: (context: Context) => Context | Promise<Context>,
    handlesScreen: boolean
  ): Plugin => ({
    name: `${definition.name} ${name}`,
    type,
    version: '0.1.0',
    ready: () => Promise.resolve(),
    isLoaded: () => client !== undefined,
    load,
    track: handle,
    page: handle,
    identify: handle,
    alias: handle,
    group: handle,
    ...(handlesScreen ? { screen: handle } : {})
  })

  const plugins: Plugin[] = []
  const keys = Object.keys(definition.actions)
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]
    const action = definition.actions[key]
    const compiled = subscriptions
      .filter((subscription) => subscription.partnerAction === key)
      .map((subscription) => compile(subscription, action))
    if (compiled.length === 0) continue

    const run = async (context: Context): Promise<Context> => {
      const event = context.event as unknown as Payload
      const pending: Promise<unknown>[] = []
      // Each subscription on its own: one failing mapping must not stop the others.
      for (let i = 0; i < compiled.length; i++) {
        const subscription = compiled[i]
        try {
          if (!subscription.matches(event)) continue
          const input = {
            payload: subscription.payload(event),
            mapping: subscription.mapping,
            settings,
            analytics,
            context
          }
          const result = action.perform(client as Client, input)
          if (result instanceof Promise)
            pending.push(result.catch((error) => reportFailure(definition.name, subscription.name, error)))
        } catch (error) {
          reportFailure(definition.name, subscription.name, error)
        }
      }
      if (pending.length > 0) await Promise.all(pending)
      return context
    }

    const type = action.lifecycleHook ?? 'destination'
    if (type === 'destination') destinationRuns[key] = run
    plugins.push(pluginOf(key, type, run, false))
  }
  const observe = definition.observe
  if (observe && plugins.length > 0) {
    const see = (context: Context): Context => {
      try {
        if (client !== undefined) observe(client, context.event)
      } catch (error) {
        reportFailure(definition.name, 'observe', error)
      }
      // A 'before' plugin that returns nothing cancels the event.
      return context
    }
    const observers: Plugin['type'][] = ['before', 'enrichment']
    for (let i = 0; i < observers.length; i++)
      plugins.push(pluginOf(`${observers[i]} observer`, observers[i], see, true))
  }
  return plugins
}
