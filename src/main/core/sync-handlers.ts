import { ApiError } from '../../shared/errors'
import type { CoreContext } from './context'
import type { HandlerTable } from './dispatch'
import { actorOf } from './profile'
import { SchemaMismatchError } from './sync/central-schema'
import { CentralRestoreError, stageFromCentral } from './sync/central-restore'
import { localSchemaVersion, openCentralSession, savedCentralTarget, type CentralSession } from './sync/central-session'
import { explainConnectionError } from './central/connection'

type SyncChannels = 'sync:status' | 'sync:start' | 'sync:pause' | 'sync:resume' | 'sync:verify' | 'sync:restoreFromCentral'

/** Replication to the central database, and rebuilding this desk from it. */
export function createSyncHandlers(ctx: CoreContext): Pick<HandlerTable, SyncChannels> {
  async function openSession(): Promise<CentralSession> {
    const central = await savedCentralTarget(ctx.store, ctx.secrets)
    if (!central) throw new ApiError({ code: 'not_found', message: 'No PostgreSQL connection is saved yet; set one up in Settings.' })
    try {
      return await openCentralSession(central, localSchemaVersion(ctx.db), 'tradedeck-restore')
    } catch (error) {
      if (error instanceof SchemaMismatchError) throw new ApiError({ code: 'conflict', message: error.message })
      throw new ApiError({ code: 'unavailable', message: explainConnectionError(error).message })
    }
  }

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
      const session = await openSession()
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
