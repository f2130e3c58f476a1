import { ApiError } from '../../shared/errors'
import type { CoreContext } from './context'

/** The profile a call acts as; refused until the schema is ready. */
export function profile(ctx: CoreContext): string {
  if (!ctx.profileId) throw new ApiError({ code: 'unavailable', message: 'The database is not ready yet; finish the update on the start screen first.' })
  return ctx.profileId
}
