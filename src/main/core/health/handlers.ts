import { notWhileMigrating } from '../backups/handlers'
import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../dispatch'
import { resolveError, withoutOwner } from '../operations/error-resolution'
import { actorOf, profile } from '../profile'
import { runDoctor } from './doctor'

/** Database → Health (the same checks as tradedeck doctor), Tasks (the background jobs' runs) and Errors (resolved with a note). */
export function createHealthHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'health'> | ChannelsOf<'tasks'> | ChannelsOf<'errors'>> {
  return {
    'health:check': async ({ integrity }) => {
      notWhileMigrating(ctx)
      return runDoctor(ctx, { integrity })
    },
    'tasks:list': (filter) => ctx.store.taskRuns.list(filter),
    'errors:list': async (filter) => {
      const userId = profile(ctx)
      return { items: (await ctx.store.errorLogs.list(userId, filter)).map(withoutOwner), unresolved: await ctx.store.errorLogs.unresolvedCount(userId) }
    },
    'errors:resolve': ({ id, note }) => resolveError(ctx.store, profile(ctx), id, note, actorOf(ctx)),
  }
}
