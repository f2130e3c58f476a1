import type { IntegrityCheck, SystemStatus } from '../../../shared/contract'
import { databaseSizeBytes } from '../platform/backups/sqlite-backup'
import type { CoreContext } from '../platform/context'
import { quickCheck, sqliteVersion, userVersion, type SqliteDb } from '../platform/db/sqlite'

/**
 * quick_check reads the whole file, so it runs at start and when asked, not on
 * every status call. Keyed by the connection: a restore opens a new one, and
 * the restored file is checked afresh.
 */
const lastChecks = new WeakMap<SqliteDb, IntegrityCheck>()

export function checkIntegrity(ctx: CoreContext): IntegrityCheck {
  const check = { ...quickCheck(ctx.db), checkedAt: new Date().toISOString() }
  lastChecks.set(ctx.db, check)
  return check
}

export function systemStatus(ctx: CoreContext): SystemStatus {
  return {
    appVersion: ctx.appVersion,
    host: ctx.host,
    dataDir: ctx.dataDir,
    dbPath: ctx.dbPath,
    sqliteVersion: sqliteVersion(ctx.db),
    sizeBytes: databaseSizeBytes(ctx.dbPath),
    schemaVersion: userVersion(ctx.db),
    quickCheck: lastChecks.get(ctx.db) ?? checkIntegrity(ctx),
    startupMigration: ctx.startupMigration,
  }
}
