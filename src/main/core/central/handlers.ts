import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../handler-table'
import { actorOf } from '../profile'
import {
  centralMigrationStatus,
  migrateCentral,
  saveCentralConnection,
  testCentralConnection,
} from './central-database'
import { readConnection } from './connection'

/** Settings → PostgreSQL: where the central database is (the password sealed and never sent back), its schema, and migrating it. */
export function createCentralHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'central'>> {
  return {
    'central:get': () => readConnection(ctx.store, ctx.secrets),
    'central:save': ({ connection }) => saveCentralConnection(ctx, connection, actorOf(ctx)),
    'central:test': ({ connection }) => testCentralConnection(ctx, connection),
    'central:migrationStatus': () => centralMigrationStatus(ctx),
    'central:migrate': () => migrateCentral(ctx, actorOf(ctx)),
  }
}
