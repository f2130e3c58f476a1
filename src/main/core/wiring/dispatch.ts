import { isChannelName } from '../../../shared/channels'
import { contract } from '../../../shared/contract'
import type { HandlerTable } from '../platform/calls/handler-table'
import { errorMessage, type Envelope } from '../../../shared/errors'
import { structuredRefusal } from '../platform/calls/refusal'
import { z } from 'zod'
import { callProfile } from '../platform/calls/call-profile'
import { issuesInWords } from '../platform/calls/issues-in-words'

const callerProfile = z.uuid().optional()

/**
 * The single entry point every host uses for a call: the channel must be in the
 * contract, the input must parse, and any failure comes back as a structured
 * error instead of an exception crossing the process boundary.
 */
export async function dispatch(
  handlers: HandlerTable,
  channel: unknown,
  input: unknown,
  call: { profile?: unknown } = {},
): Promise<Envelope<unknown>> {
  if (!isChannelName(channel)) {
    return {
      ok: false,
      error: { code: 'unknown_channel', message: `Unknown channel: ${String(channel).slice(0, 100)}` },
    }
  }
  const profile = callerProfile.safeParse(call.profile)
  if (!profile.success)
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'The profile this window acts as must be a profile id; pick a profile in the sidebar.',
      },
    }
  const parsed = contract[channel].input.safeParse(input ?? {})
  if (!parsed.success) return { ok: false, error: { code: 'invalid_input', ...issuesInWords(parsed.error.issues) } }
  try {
    const handler = handlers[channel] as (value: unknown) => unknown
    const value =
      profile.data === undefined
        ? await handler(parsed.data)
        : await callProfile.run(profile.data, () => handler(parsed.data))
    return { ok: true, value }
  } catch (error) {
    // A service's refusal (a domain error) comes back in its words; anything else is a fault of the desk's.
    return { ok: false, error: structuredRefusal(error) ?? { code: 'internal', message: errorMessage(error) } }
  }
}
