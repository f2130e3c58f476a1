import type {
  CentralConnectionInput,
  CentralTestResult,
  ChannelResult,
  MigrationStatusView,
} from '../../../../shared/contract'
import { Refusal } from '../calls/refusal'
import type { CoreContext } from '../context'
import { connectPostgres } from '../db/postgres'
import { MigrationError } from '../migrations/errors'
import { bundledMigrations } from '../migrations/manifest'
import { openPostgresMigrator, type OpenedMigrator } from '../migrations/open'
import { migrationStatusView } from '../migrations/views'
import {
  clientConfig,
  describeTarget,
  explainConnectionError,
  readConnection,
  savedPassword,
  saveConnection,
  separatePassword,
  testConnection,
} from './connection'

/** Runs `fn` on the saved central database with the migration runner; connection failures come back in plain words. */
async function withSavedCentral<T>(
  ctx: CoreContext,
  fn: (opened: OpenedMigrator, config: ReturnType<typeof clientConfig>, where: string) => Promise<T>,
): Promise<T> {
  const saved = await readConnection(ctx.store, ctx.secrets)
  if (!saved.connection)
    throw new Refusal('not_found', 'No PostgreSQL connection is saved yet; set one up in Settings.')
  const config = clientConfig(saved.connection, await savedPassword(ctx.store, ctx.secrets))
  let opened: OpenedMigrator
  try {
    opened = await openPostgresMigrator(config, { appVersion: ctx.appVersion, defs: bundledMigrations.postgres })
  } catch (error) {
    throw new Refusal('unavailable', explainConnectionError(error).message)
  }
  try {
    return await fn(opened, config, describeTarget(saved.connection))
  } catch (error) {
    if (error instanceof MigrationError) throw new Refusal('conflict', error.message)
    throw error
  } finally {
    await opened.close()
  }
}

/** The central database's schema as Settings shows it: every migration's state, and the database's size. */
export function centralMigrationStatus(ctx: CoreContext): Promise<MigrationStatusView> {
  return withSavedCentral(ctx, async ({ migrator }, config, where) => {
    const client = await connectPostgres(config, 'tradedeck-status')
    try {
      const size = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes')
      return migrationStatusView(migrator, {
        engine: 'postgresql',
        path: where,
        sizeBytes: Number(size.rows[0]?.bytes ?? 0),
        defs: bundledMigrations.postgres,
      })
    } finally {
      await client.end()
    }
  })
}

export function migrateCentral(ctx: CoreContext, actor: string): Promise<ChannelResult<'central:migrate'>> {
  return withSavedCentral(ctx, async ({ migrator }, _config, where) => {
    const result = await migrator.migrate()
    const applied = result.applied.map(({ version, name }) => ({ version, name }))
    await ctx.store.auditLog.record({
      userId: null,
      actor,
      subject: 'migration',
      action: 'migrate_central',
      details: { target: where, from: result.from, to: result.to, applied },
    })
    return { from: result.from, to: result.to, applied }
  })
}

/** Saves the connection (audited with it) and has sync reconnect with it. */
export async function saveCentralConnection(
  ctx: CoreContext,
  sync: { reconnect(): void },
  input: CentralConnectionInput,
  actor: string,
) {
  await saveConnection(ctx.store, ctx.secrets, input, actor)
  sync.reconnect()
  return readConnection(ctx.store, ctx.secrets)
}

/** Tests what the form holds, falling back to the saved connection and password for what it leaves out. */
export async function testCentralConnection(
  ctx: CoreContext,
  typedInput: CentralConnectionInput | undefined,
): Promise<CentralTestResult> {
  const saved = await readConnection(ctx.store, ctx.secrets)
  const typed = typedInput ? separatePassword(typedInput) : null
  const target = typed?.connection ?? saved.connection
  if (!target) throw new Refusal('not_found', 'No PostgreSQL connection is saved yet; fill in the form first.')
  const password = typed?.password !== undefined ? typed.password : await savedPassword(ctx.store, ctx.secrets)
  return testConnection(target, password ?? null)
}
