import { actorOf } from '../calls/profile'
import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../calls/handler-table'
import type { SystemStatus } from '../../../../shared/contract'
import type { BackupService } from './backup-service'
import { notWhileMigrating } from '../migrations/while-migrating'

/** `status` is the desk's status as the start screen shows it, after a restore from there. */
export function createBackupHandlers(
  ctx: CoreContext,
  backups: BackupService,
  status: () => SystemStatus,
): Pick<HandlerTable, ChannelsOf<'backups'> | 'startup:restore-backup'> {
  return {
    'backups:list': async () => backups.list(),
    'backups:create': async () => {
      notWhileMigrating(ctx)
      return backups.create('manual', actorOf(ctx))
    },
    'backups:verify': async ({ file }) => backups.verify(file),
    'backups:restore': async ({ file }) => {
      notWhileMigrating(ctx)
      return backups.restore(file, actorOf(ctx))
    },
    'backups:undoRestore': async () => {
      notWhileMigrating(ctx)
      return backups.undoRestore(actorOf(ctx))
    },
    'startup:restore-backup': async ({ file }) => {
      notWhileMigrating(ctx)
      const summary = await backups.restore(file, actorOf(ctx))
      return {
        restoredFrom: summary.restoredFrom.path,
        preRestoreBackup: summary.preRestore.path,
        status: status(),
      }
    },
  }
}
