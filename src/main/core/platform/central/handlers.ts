import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../calls/handler-table'
import { actorOf } from '../calls/profile'
import {
  centralMigrationStatus,
  migrateCentral,
  saveCentralConnection,
  testCentralConnection,
} from './central-database'
import { readConnection } from './connection'
import type { SyncService } from '../sync/sync-service'

/** Settings → PostgreSQL: where the central database is (the password sealed and never sent back), its schema, and migrating it. */
export function createCentralHandlers(ctx: CoreContext, sync: SyncService): Pick<HandlerTable, ChannelsOf<'central'>> {
  return {
    'central:get': () => readConnection(ctx.store, ctx.secrets),
    'central:save': ({ connection }) => saveCentralConnection(ctx, sync, connection, actorOf(ctx)),
    'central:test': ({ connection }) => testCentralConnection(ctx, connection),
    'central:migrationStatus': () => centralMigrationStatus(ctx),
    'central:migrate': () => migrateCentral(ctx, actorOf(ctx)),
  }
}
