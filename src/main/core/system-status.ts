import { statSync } from 'node:fs'
import type { SystemStatus } from '../../shared/contract'
import { quickCheck, sqliteVersion, userVersion, type SqliteDb } from './db/sqlite'
import type { CoreContext } from './context'

function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

export function systemStatus(ctx: CoreContext, db: SqliteDb): SystemStatus {
  return {
    appVersion: ctx.appVersion,
    host: ctx.host,
    dataDir: ctx.dataDir,
    dbPath: ctx.dbPath,
    sqliteVersion: sqliteVersion(db),
    sizeBytes: fileSize(ctx.dbPath) + fileSize(`${ctx.dbPath}-wal`),
    schemaVersion: userVersion(db),
    quickCheck: quickCheck(db),
    startupMigration: ctx.startupMigration,
  }
}
