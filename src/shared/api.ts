import { channelNames, isEventName, type ChannelName, type EventName } from './channels'
import type { ChannelInput, ChannelResult, EventPayload } from './contract'
import { ApiError, type ApiErrorShape, type Envelope } from './errors'

type CamelTail<S extends string> = S extends `${infer Head}-${infer Rest}`
  ? `${Capitalize<Head>}${CamelTail<Rest>}`
  : Capitalize<S>
/** `system:status` → `systemStatus`. */
export type MethodName<C extends string> = C extends `${infer Area}:${infer Action}`
  ? `${Area}${CamelTail<Action>}`
  : never

type Call<C extends ChannelName, Output> =
  Record<string, never> extends ChannelInput<C>
    ? (input?: ChannelInput<C>) => Promise<Output>
    : (input: ChannelInput<C>) => Promise<Output>

export type Listener<E extends EventName> = (payload: EventPayload<E>) => void
type Subscribe = {
  on<E extends EventName>(event: E, listener: Listener<E>): () => void
  /** The profile every later call of this window acts as; null for the desk's first profile. */
  useProfile(profileId: string | null): void
}

/**
 * `window.api`, identical in Electron (preload) and browser mode (WebSocket).
 * Calls resolve to envelopes: structured errors survive contextBridge, which
 * would strip an Error's fields.
 */
export type TradedeckApi = { [C in ChannelName as MethodName<C>]: Call<C, Envelope<ChannelResult<C>>> } & Subscribe

/** What renderer code uses: the same methods, resolving to values and rejecting with ApiError. */
export type TradedeckClient = { [C in ChannelName as MethodName<C>]: Call<C, ChannelResult<C>> } & Subscribe

export function methodName<C extends ChannelName>(channel: C): MethodName<C> {
  const [area, action = ''] = channel.split(':') as [string, string]
  const tail = action
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
  return `${area}${tail}` as MethodName<C>
}

export interface ApiTransport {
  /** `profile`: the profile this window acts as, sent with every call; undefined for the desk's first. */
  call(channel: ChannelName, input: unknown, profile: string | undefined): Promise<Envelope<unknown>>
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void
}

/** Builds the narrow `window.api`: one method per contract channel, no generic invoke. */
export function buildApi(transport: ApiTransport): TradedeckApi {
  const api: Record<string, unknown> = {}
  let profile: string | undefined
  for (const channel of channelNames) {
    api[methodName(channel)] = (input: unknown = {}) => transport.call(channel, input, profile)
  }
  api.useProfile = (profileId: string | null) => {
    profile = typeof profileId === 'string' ? profileId : undefined
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`)
    return transport.subscribe(event, listener)
  }
  return Object.freeze(api) as TradedeckApi
}

/** `describe`: how a refusal is said where the client runs (a page says it without the app's wiring). */
export function createClient(
  api: TradedeckApi,
  describe: (error: ApiErrorShape) => ApiErrorShape = (error) => error,
): TradedeckClient {
  const client: Record<string, unknown> = { on: api.on, useProfile: api.useProfile }
  const calls = api as unknown as Record<string, (input?: unknown) => Promise<Envelope<unknown>>>
  for (const channel of channelNames) {
    const name = methodName(channel)
    client[name] = async (input?: unknown) => {
      const envelope = await calls[name]!(input)
      if (!envelope.ok) throw new ApiError(describe(envelope.error))
      return envelope.value
    }
  }
  return client as TradedeckClient
}
