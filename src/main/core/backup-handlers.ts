import { actorOf } from './profile'
import { ApiError } from '../../shared/errors'
import { databaseSizeBytes } from './backups/sqlite-backup'
import type { CoreContext } from './context'
import type { HandlerTable } from './dispatch'
import { bundledMigrations } from './migrations/manifest'
import { sqliteMigrator } from './migrations/open'
import { migrationStatusView, planView } from './migration-views'
import { systemStatus } from './system-status'

type BackupChannels =
  | 'backups:list'
  | 'backups:create'
  | 'backups:verify'
  | 'backups:restore'
  | 'backups:undoRestore'
  | 'migrations:status'
  | 'migrations:plan'
  | 'migrations:rollback'
  | 'startup:restore-backup'

function notWhileMigrating(ctx: CoreContext) {
  if (ctx.startupMigration.state === 'running') throw new ApiError({ code: 'conflict', message: 'Wait for the running migration to finish first.' })
}

export function createBackupHandlers(ctx: CoreContext): Pick<HandlerTable, BackupChannels> {
  const migrator = () => sqliteMigrator(ctx.db, ctx.dataDir, { appVersion: ctx.appVersion, defs: bundledMigrations.sqlite, dbPath: ctx.dbPath })
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
      return { restoredFrom: summary.restoredFrom.path, preRestoreBackup: summary.preRestore.path, status: systemStatus(ctx) }
    },
    'migrations:status': async () => migrationStatusView(migrator(), { engine: 'sqlite', path: ctx.dbPath, sizeBytes: databaseSizeBytes(ctx.dbPath), defs: bundledMigrations.sqlite }),
    'migrations:plan': async () => planView(await migrator().plan()),
    'migrations:rollback': async ({ force }) => {
      notWhileMigrating(ctx)
      return ctx.backups.rollbackLast(force, actorOf(ctx))
    },
  }
}
