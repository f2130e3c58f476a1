import type { StartupMigrationState } from '../../shared/contract'
import type { CoreContext } from './context'
import type { SqliteDb } from './db/sqlite'

export function runStartupMigrations(_ctx: CoreContext, _db: SqliteDb): StartupMigrationState {
  return { state: 'ok', applied: [], backupPath: null }
}
