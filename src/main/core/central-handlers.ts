import { ApiError } from '../../shared/errors'
import { clientConfig, describeTarget, explainConnectionError, readConnection, saveConnection, savedPassword, separatePassword, testConnection } from './central/connection'
import { connectPostgres } from './db/postgres'
import { MigrationError } from './migrations/errors'
import { bundledMigrations } from './migrations/manifest'
import { openPostgresMigrator, type OpenedMigrator } from './migrations/open'
import { migrationStatusView } from './migration-views'
import type { CoreContext } from './context'
import { actorOf } from './profile'
import type { ChannelsOf, HandlerTable } from './dispatch'

/** Settings → PostgreSQL: where the central database is (the password sealed and never sent back), its schema, and migrating it. */
export function createCentralHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'central'>> {
  /** Runs `fn` on the saved central database with the migration runner; connection failures come back in plain words. */
  async function withCentral<T>(fn: (opened: OpenedMigrator, config: ReturnType<typeof clientConfig>, where: string) => Promise<T>): Promise<T> {
    const saved = await readConnection(ctx.store, ctx.secrets)
    if (!saved.connection) throw new ApiError({ code: 'not_found', message: 'No PostgreSQL connection is saved yet; set one up in Settings.' })
    const config = clientConfig(saved.connection, await savedPassword(ctx.store, ctx.secrets))
    let opened: OpenedMigrator
    try {
      opened = await openPostgresMigrator(config, { appVersion: ctx.appVersion, defs: bundledMigrations.postgres })
    } catch (error) {
      throw new ApiError({ code: 'unavailable', message: explainConnectionError(error).message })
    }
    try {
      return await fn(opened, config, describeTarget(saved.connection))
    } catch (error) {
      if (error instanceof MigrationError) throw new ApiError({ code: 'conflict', message: error.message })
      throw error
    } finally {
      await opened.close()
    }
  }

  return {
    'central:migrationStatus': () =>
      withCentral(async ({ migrator }, config, where) => {
        const client = await connectPostgres(config, 'tradedeck-status')
        try {
          const size = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes')
          return migrationStatusView(migrator, { engine: 'postgresql', path: where, sizeBytes: Number(size.rows[0]?.bytes ?? 0), defs: bundledMigrations.postgres })
        } finally {
          await client.end()
        }
      }),
    'central:migrate': () =>
      withCentral(async ({ migrator }, _config, where) => {
        const result = await migrator.migrate()
        const applied = result.applied.map(({ version, name }) => ({ version, name }))
        await ctx.store.auditLog.record({ userId: null, actor: actorOf(ctx), subject: 'migration', action: 'migrate_central', details: { target: where, from: result.from, to: result.to, applied } })
        return { from: result.from, to: result.to, applied }
      }),
    'central:get': () => readConnection(ctx.store, ctx.secrets),
    'central:save': async ({ connection }) => {
      await saveConnection(ctx.store, ctx.secrets, connection)
      ctx.sync.reconnect()
      const { connection: shown, password } = separatePassword(connection)
      await ctx.store.auditLog.record({
        userId: null,
        actor: actorOf(ctx),
        subject: 'settings',
        action: 'central_connection',
        details: { ...shown, password: password === undefined ? 'kept' : password === null ? 'forgotten' : 'changed' },
      })
      return readConnection(ctx.store, ctx.secrets)
    },
    'central:test': async ({ connection }) => {
      const saved = await readConnection(ctx.store, ctx.secrets)
      const typed = connection ? separatePassword(connection) : null
      const target = typed?.connection ?? saved.connection
      if (!target) throw new ApiError({ code: 'not_found', message: 'No PostgreSQL connection is saved yet; fill in the form first.' })
      const password = typed?.password !== undefined ? typed.password : await savedPassword(ctx.store, ctx.secrets)
      return testConnection(target, password ?? null)
    },
  }
}
