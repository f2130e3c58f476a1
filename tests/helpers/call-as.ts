import type { Core } from '../../src/main/core/wiring/app'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import type { Envelope } from '../../src/shared/errors'

/** A call as one window makes it, naming the profile it shows; a refusal throws with its code and message. */
export async function callAs<T>(core: Core, profile: unknown, channel: string, input: unknown = {}): Promise<T> {
  const envelope = (await dispatch(core.handlers, channel, input, { profile })) as Envelope<T>
  if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), envelope.error)
  return envelope.value
}
