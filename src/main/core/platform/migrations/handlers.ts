import { notWhileMigrating } from './while-migrating'
import { databaseSizeBytes } from '../backups/sqlite-backup'
import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../calls/handler-table'
import { bundledMigrations } from './manifest'
import { sqliteMigrator } from './open'
import { migrationStatusView, planView } from './views'
import { actorOf } from '../calls/profile'
import type { BackupService } from '../backups/backup-service'

/** The desk's own schema: what is applied and pending, and rolling back the newest migration (with a backup first). */
export function createMigrationHandlers(
  ctx: CoreContext,
  backups: Pick<BackupService, 'rollbackLast'>,
): Pick<HandlerTable, ChannelsOf<'migrations'>> {
  const migrator = () => sqliteMigrator(ctx.db, ctx.dataDir, { appVersion: ctx.appVersion, defs: bundledMigrations.sqlite, dbPath: ctx.dbPath })
  return {
    'migrations:status': async () => migrationStatusView(migrator(), { engine: 'sqlite', path: ctx.dbPath, sizeBytes: databaseSizeBytes(ctx.dbPath), defs: bundledMigrations.sqlite }),
    'migrations:plan': async () => planView(await migrator().plan()),
    'migrations:rollback': async ({ force }) => {
      notWhileMigrating(ctx)
      return backups.rollbackLast(force, actorOf(ctx))
    },
  }
}
