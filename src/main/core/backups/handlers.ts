import { actorOf } from '../profile'
import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../handler-table'
import { systemStatus } from '../system-status'
import { notWhileMigrating } from '../migrations/while-migrating'

export function createBackupHandlers(
  ctx: CoreContext,
): Pick<HandlerTable, ChannelsOf<'backups'> | 'startup:restore-backup'> {
  return {
    'backups:list': async () => ctx.backups.list(),
    'backups:create': async () => {
      notWhileMigrating(ctx)
      return ctx.backups.create('manual', actorOf(ctx))
    },
    'backups:verify': async ({ file }) => ctx.backups.verify(file),
    'backups:restore': async ({ file }) => {
      notWhileMigrating(ctx)
      return ctx.backups.restore(file, actorOf(ctx))
    },
    'backups:undoRestore': async () => {
      notWhileMigrating(ctx)
      return ctx.backups.undoRestore(actorOf(ctx))
    },
    'startup:restore-backup': async ({ file }) => {
      notWhileMigrating(ctx)
      const summary = await ctx.backups.restore(file, actorOf(ctx))
      return {
        restoredFrom: summary.restoredFrom.path,
        preRestoreBackup: summary.preRestore.path,
        status: systemStatus(ctx),
      }
    },
  }
}
