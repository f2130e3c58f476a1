import type { SystemStatus } from '../../shared/contract'
import { databaseSizeBytes } from './backups/sqlite-backup'
import type { CoreContext } from './context'
import { quickCheck, sqliteVersion, userVersion } from './db/sqlite'

export function systemStatus(ctx: CoreContext): SystemStatus {
  return {
    appVersion: ctx.appVersion,
    host: ctx.host,
    dataDir: ctx.dataDir,
    dbPath: ctx.dbPath,
    sqliteVersion: sqliteVersion(ctx.db),
    sizeBytes: databaseSizeBytes(ctx.dbPath),
    schemaVersion: userVersion(ctx.db),
    quickCheck: quickCheck(ctx.db),
    startupMigration: ctx.startupMigration,
  }
}
