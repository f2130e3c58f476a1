import { notWhileMigrating } from '../migrations/while-migrating'
import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../calls/handler-table'
import { runDoctor, type DoctorSources } from './doctor'

/** Database → Health: the same checks as tradedeck doctor; the integrity check reports its progress as health:progress. */
export function createHealthHandlers(
  ctx: CoreContext,
  sources: DoctorSources,
): Pick<HandlerTable, ChannelsOf<'health'>> {
  return {
    'health:check': async ({ integrity }) => {
      notWhileMigrating(ctx)
      return runDoctor(ctx, sources, {
        integrity,
        onIntegrityProgress: (progress) => ctx.events.emit('health:progress', progress),
      })
    },
  }
}
