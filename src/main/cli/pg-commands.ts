import { z } from 'zod'
import { APP_VERSION } from '../core/platform/app-version'
import { testConnection } from '../core/platform/central/connection'
import { resolveDataDir } from '../core/platform/files/data-dir'
import { requireCurrentSchema, withMaintenanceCore } from '../core/wiring/maintenance'
import { CentralRestoreError, restoreUserFromCentral } from '../core/platform/sync/central-restore'
import { centralTargetFromUrl, defaultSslMode } from '../core/platform/sync/central-session'
import { addDeskAsOwner } from '../core/platform/sync/desks'
import { restoreOutput } from './backup-commands'
import { runMigrationCommand, type CommandOutput } from './migration-commands'
import { pgUrl } from './sync-commands'
import { UsageError } from '../hosting/command-line'

const PG_SUBCOMMANDS = ['test', 'migrate', 'status', 'restore', 'add-desk'] as const
type PgSubcommand = (typeof PG_SUBCOMMANDS)[number]

const requiredPg = z
  .string({ error: 'give the server with --pg postgres://user:password@host:port/database' })
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
const userId = z.uuid('must be a user id')

const schemas = {
  test: z.object({ pg: requiredPg }).strict(),
  migrate: z.object({ pg: requiredPg }).strict(),
  status: z.object({ pg: requiredPg }).strict(),
  restore: z.object({ pg: pgUrl.optional(), 'data-dir': z.string().min(1).optional(), user: userId }).strict(),
  'add-desk': z.object({ pg: requiredPg, role: z.string().min(1, 'name the desk role'), user: userId }).strict(),
}

/** `tradedeck pg …`: the central database from the command line. */
export async function runPgCommand(
  subcommand: string | undefined,
  raw: Record<string, unknown>,
): Promise<CommandOutput> {
  if (!PG_SUBCOMMANDS.includes(subcommand as PgSubcommand))
    throw new UsageError(`pg needs one of: ${PG_SUBCOMMANDS.join(', ')}`)
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
      const result = await addDeskAsOwner(
        options.pg,
        options.role,
        [options.user],
        process.env.TRADEDECK_DESK_PASSWORD ?? null,
      )
      return {
        json: { role: options.role, ...result },
        text: `${result.created ? 'Created' : 'Updated'} desk role ${options.role}; it may replicate users ${result.users.join(', ')}.`,
      }
    }
    case 'restore': {
      const options = schemas.restore.parse(raw)
      const dataDir = resolveDataDir(options['data-dir'])
      return withMaintenanceCore({ dataDir, appVersion: APP_VERSION }, async ({ context, services }) => {
        requireCurrentSchema(context)
        const restored = await restoreUserFromCentral(
          context,
          services,
          options.user,
          options.pg ? centralTargetFromUrl(options.pg) : undefined,
          'cli',
        ).catch((error: unknown) => {
          if (error instanceof CentralRestoreError) throw Object.assign(error, { code: 'conflict' })
          throw error
        })
        const swapped = restoreOutput(restored.restore)
        const counts = Object.entries(restored.rows)
          .filter(([, rows]) => rows > 0)
          .map(([table, rows]) => `${table} ${rows}`)
        return {
          json: {
            userId: options.user,
            rows: restored.rows,
            verified: restored.verified,
            backup: restored.restore.restoredFrom.file,
            restore: swapped.json,
          },
          text: `Rebuilt user ${options.user} from the central database (${counts.join(', ')}); row counts and checksums match it.\n${swapped.text}`,
        }
      })
    }
  }
}
