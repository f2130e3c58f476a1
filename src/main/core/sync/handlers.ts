import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../handler-table'
import { actorOf } from '../profile'
import { restoreUserFromCentral } from './central-restore'

/** Replication to the central database, and rebuilding this desk from it. */
export function createSyncHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'sync'>> {
  return {
    'sync:status': () => ctx.sync.status(),
    'sync:start': () => ctx.sync.enable(actorOf(ctx)),
    'sync:pause': () => ctx.sync.pause(actorOf(ctx)),
    'sync:resume': () => ctx.sync.resume(actorOf(ctx)),
    'sync:verify': () => ctx.sync.verify(),
    'sync:restoreFromCentral': async ({ userId }) => {
      const { rows, restore } = await restoreUserFromCentral(ctx, userId, undefined, actorOf(ctx))
      return { userId, rows, restore }
    },
  }
}
