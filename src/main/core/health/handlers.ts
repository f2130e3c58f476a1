import { notWhileMigrating } from '../backups/handlers'
import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../dispatch'
import { runDoctor } from './doctor'

/** Database → Health (the same checks as tradedeck doctor) and Database → Tasks (the background jobs' runs). */
export function createHealthHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'health'> | ChannelsOf<'tasks'>> {
  return {
    'health:check': async ({ integrity }) => {
      notWhileMigrating(ctx)
      return runDoctor(ctx, { integrity })
    },
    'tasks:list': (filter) => ctx.store.taskRuns.list(filter),
  }
}
