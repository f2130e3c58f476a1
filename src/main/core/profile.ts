import { ApiError } from '../../shared/errors'
import type { CoreContext } from './context'
import { humanActor, type Actor } from '../../shared/domain'

/** The profile a call acts as; refused until the schema is ready. */
export function profile(ctx: CoreContext): string {
  if (!ctx.profileId) throw new ApiError({ code: 'unavailable', message: 'The database is not ready yet; finish the update on the start screen first.' })
  return ctx.profileId
}

/** Who pressed the button: the profile when there is one, else the person at this machine. */
export function actorOf(ctx: CoreContext): Actor {
  return ctx.profileId ? humanActor(ctx.profileId) : 'human:local'
}
