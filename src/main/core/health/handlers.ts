import { notWhileMigrating } from '../migrations/while-migrating'
import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../handler-table'
import { runDoctor } from './doctor'

/** Database → Health: the same checks as tradedeck doctor; the integrity check reports its progress as health:progress. */
export function createHealthHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'health'>> {
  return {
    'health:check': async ({ integrity }) => {
      notWhileMigrating(ctx)
      return runDoctor(ctx, {
        integrity,
        onIntegrityProgress: (progress) => ctx.events.emit('health:progress', progress),
      })
    },
  }
}
