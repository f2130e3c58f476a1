import { z } from 'zod'
import { testConnection } from '../core/central/connection'
import { resolveDataDir } from '../core/data-dir'
import { connectPostgres } from '../core/db/postgres'
import { CentralRestoreError, stageFromCentral } from '../core/sync/central-restore'
import { localSchemaVersion, openCentralSession, savedCentralTarget } from '../core/sync/central-session'
import { addDesk } from '../core/sync/desks'
import { APP_VERSION } from '../core/app-version'
import { runBackupCommand } from './backup-commands'
import { runMigrationCommand, type CommandOutput } from './migration-commands'
import { defaultSslMode, pgUrl, targetFromUrl, withSyncHost } from './sync-commands'
import { UsageError } from './usage'

const PG_SUBCOMMANDS = ['test', 'migrate', 'status', 'restore', 'add-desk'] as const
type PgSubcommand = (typeof PG_SUBCOMMANDS)[number]

const requiredPg = z.string({ error: 'give the server with --pg postgres://user:password@host:port/database' }).regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
const userId = z.uuid('must be a user id')

const schemas = {
  test: z.object({ pg: requiredPg }).strict(),
  migrate: z.object({ pg: requiredPg }).strict(),
  status: z.object({ pg: requiredPg }).strict(),
  restore: z.object({ pg: pgUrl.optional(), 'data-dir': z.string().min(1).optional(), user: userId }).strict(),
  'add-desk': z.object({ pg: requiredPg, role: z.string().min(1, 'name the desk role'), user: userId }).strict(),
}

/** `tradedeck pg …`: the central database from the command line. */
export async function runPgCommand(subcommand: string | undefined, raw: Record<string, unknown>): Promise<CommandOutput> {
  if (!PG_SUBCOMMANDS.includes(subcommand as PgSubcommand)) throw new UsageError(`pg needs one of: ${PG_SUBCOMMANDS.join(', ')}`)
  switch (subcommand as PgSubcommand) {
    case 'test': {
      const pg = schemas.test.parse(raw).pg
      const result = await testConnection({ url: pg, sslMode: defaultSslMode(pg) }, null)
      if (!result.ok) throw Object.assign(new Error(result.message), { code: result.failure ?? 'failed' })
      return { json: result, text: result.message }
    }
    case 'migrate':
    case 'status':
      return runMigrationCommand(subcommand as 'migrate' | 'status', { pg: schemas.status.parse(raw).pg })
    case 'add-desk': {
      const options = schemas['add-desk'].parse(raw)
      // The new role's password comes from the environment, never from the command line (other users can read argv).
      const password = process.env.TRADEDECK_DESK_PASSWORD ?? null
      const client = await connectPostgres(options.pg, 'tradedeck-admin')
      try {
        const result = await addDesk(client, options.role, [options.user], password)
        return { json: { role: options.role, ...result }, text: `${result.created ? 'Created' : 'Updated'} desk role ${options.role}; it may replicate users ${result.users.join(', ')}.` }
      } finally {
        await client.end()
      }
    }
    case 'restore': {
      const options = schemas.restore.parse(raw)
      const dataDir = resolveDataDir(options['data-dir'])
      const staged = await withSyncHost(dataDir, async (host) => {
        const central = options.pg ? targetFromUrl(options.pg) : await savedCentralTarget(host.store, host.secrets)
        if (!central) throw new UsageError('No PostgreSQL connection is saved for this desk; give --pg URL')
        const session = await openCentralSession(central, localSchemaVersion(host.db), 'tradedeck-restore')
        try {
          return await stageFromCentral(session, options.user, { dataDir, appVersion: APP_VERSION, settingsFrom: host.db })
        } catch (error) {
          if (error instanceof CentralRestoreError) throw Object.assign(error, { code: 'conflict' })
          throw error
        } finally {
          await session.close()
        }
      })
      const restored = await runBackupCommand('restore', { 'data-dir': dataDir, file: staged.backup.file })
      const counts = Object.entries(staged.rows).filter(([, rows]) => rows > 0).map(([table, rows]) => `${table} ${rows}`)
      return {
        json: { userId: options.user, rows: staged.rows, verified: staged.verification.ok, backup: staged.backup.file, restore: restored.json },
        text: `Rebuilt user ${options.user} from the central database (${counts.join(', ')}); row counts and checksums match it.\n${restored.text}`,
      }
    }
  }
}
