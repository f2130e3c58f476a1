import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../calls/handler-table'
import { actorOf } from '../calls/profile'
import { restoreUserFromCentral } from './central-restore'
import type { SyncService } from './sync-service'
import type { BackupService } from '../backups/backup-service'

/** Replication to the central database, and rebuilding this desk from it. */
export function createSyncHandlers(
  ctx: CoreContext,
  sync: SyncService,
  backups: BackupService,
): Pick<HandlerTable, ChannelsOf<'sync'>> {
  return {
    'sync:status': () => sync.status(),
    'sync:start': () => sync.enable(actorOf(ctx)),
    'sync:pause': () => sync.pause(actorOf(ctx)),
    'sync:resume': () => sync.resume(actorOf(ctx)),
    'sync:verify': () => sync.verify(),
    'sync:restoreFromCentral': async ({ userId }) => {
      const { rows, restore } = await restoreUserFromCentral(ctx, { sync, backups }, userId, undefined, actorOf(ctx))
      return { userId, rows, restore }
    },
  }
}
