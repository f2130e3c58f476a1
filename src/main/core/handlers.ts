import type { CoreContext } from './context'
import type { SqliteDb } from './db/sqlite'
import type { HandlerTable } from './dispatch'
import { systemStatus } from './system-status'

/** The one handler table every host registers: channel → core function. */
export function createHandlers(ctx: CoreContext, db: SqliteDb): HandlerTable {
  return {
    'system:status': () => systemStatus(ctx, db),
  }
}
