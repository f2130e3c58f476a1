import { z } from 'zod'
import type { Envelope } from './errors'

/** Browser mode's bridge: one WebSocket carrying contract calls and events. */
export const WS_API_PATH = '/api'
/** The largest message either side sends; the server closes a socket that sends more (1009). */
export const MAX_MESSAGE_BYTES = 1024 * 1024

export const clientMessage = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  input: z.unknown().optional(),
  /** The profile this tab acts as; checked by dispatch like any input. */
  profile: z.unknown().optional(),
})

export type ClientMessage = z.infer<typeof clientMessage>

export type ServerMessage =
  ({ kind: 'reply'; id: number } & Envelope<unknown>) | { kind: 'event'; event: string; payload: unknown }
