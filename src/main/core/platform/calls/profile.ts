import { Refusal } from './refusal'
import { humanActor, type Actor } from '../../../../shared/domain'
import { callProfile } from './call-profile'
import type { CoreContext } from '../context'

/** The profile a call acts as: the one its window named, else the desk's first; refused until the schema is ready. */
export function profile(ctx: CoreContext): string {
  if (!ctx.profileId)
    throw new Refusal('unavailable', 'The database is not ready yet; finish the update on the start screen first.')
  const named = callProfile.getStore()
  if (named === undefined) return ctx.profileId
  if (!ctx.profiles.has(named))
    throw new Refusal(
      'not_found',
      'This window acts as a profile this desk does not have; pick a profile in the sidebar.',
    )
  return named
}

/** Who pressed the button: the profile when there is one, else the person at this machine. */
export function actorOf(ctx: CoreContext): Actor {
  const named = callProfile.getStore()
  if (named !== undefined && ctx.profiles.has(named)) return humanActor(named)
  return ctx.profileId ? humanActor(ctx.profileId) : 'human:local'
}
