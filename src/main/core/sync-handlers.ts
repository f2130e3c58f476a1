import { ApiError } from '../../shared/errors'
import type { CoreContext } from './context'
import type { ChannelsOf, HandlerTable } from './dispatch'
import { actorOf } from './profile'
import { CentralRestoreError, stageFromCentral } from './sync/central-restore'


/** Replication to the central database, and rebuilding this desk from it. */
export function createSyncHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'sync'>> {
  return {
    'sync:status': () => ctx.sync.status(),
    'sync:start': async () => {
      const status = await ctx.sync.enable()
      await ctx.store.auditLog.record({ userId: null, actor: actorOf(ctx), subject: 'settings', action: 'sync_start', details: { target: status.target } })
      return status
    },
    'sync:pause': async () => {
      const status = await ctx.sync.pause()
      await ctx.store.auditLog.record({ userId: null, actor: actorOf(ctx), subject: 'settings', action: 'sync_pause', details: { target: status.target, waiting: status.lagRows } })
      return status
    },
    'sync:resume': async () => {
      const status = ctx.sync.resume()
      await ctx.store.auditLog.record({ userId: null, actor: actorOf(ctx), subject: 'settings', action: 'sync_resume', details: { target: status.target, waiting: status.lagRows } })
      return status
    },
    'sync:verify': () => ctx.sync.verify(),
    'sync:restoreFromCentral': async ({ userId }) => {
      const session = await ctx.sync.openSession(undefined, 'tradedeck-restore')
      let staged
      try {
        staged = await stageFromCentral(session, userId, { dataDir: ctx.dataDir, appVersion: ctx.appVersion, settingsFrom: ctx.db })
      } catch (error) {
        if (error instanceof CentralRestoreError) throw new ApiError({ code: 'conflict', message: error.message })
        throw error
      } finally {
        await session.close()
      }
      const restore = await ctx.backups.restore(staged.backup.file, actorOf(ctx))
      await ctx.store.auditLog.record({ userId: null, actor: actorOf(ctx), subject: 'restore', action: 'restore_from_central', details: { userId, file: staged.backup.file, rows: staged.rows, preRestore: restore.preRestore.file } })
      return { userId, rows: staged.rows, restore }
    },
  }
}
