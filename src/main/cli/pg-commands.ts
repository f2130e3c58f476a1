import { z } from 'zod'
import { testConnection } from '../core/central/connection'
import { runMigrationCommand, type CommandOutput } from './migration-commands'
import { UsageError } from './usage'

const PG_SUBCOMMANDS = ['test', 'migrate', 'status'] as const
type PgSubcommand = (typeof PG_SUBCOMMANDS)[number]

const pgOptions = z
  .object({
    pg: z.string({ error: 'give the server with --pg postgres://user:password@host:port/database' }).regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  })
  .strict()

/** A URL's own sslmode wins; without one, local servers go unencrypted and remote ones must prove who they are. */
function defaultSslMode(url: string): 'disable' | 'verify-full' {
  const host = new URL(url).hostname
  return ['localhost', '127.0.0.1', '::1', '[::1]'].includes(host) ? 'disable' : 'verify-full'
}

/** `tradedeck pg test|migrate|status --pg URL`: the central database from the command line. */
export async function runPgCommand(subcommand: string | undefined, raw: Record<string, unknown>): Promise<CommandOutput> {
  if (!PG_SUBCOMMANDS.includes(subcommand as PgSubcommand)) throw new UsageError(`pg needs one of: ${PG_SUBCOMMANDS.join(', ')}`)
  const { pg } = pgOptions.parse(raw)
  if (subcommand === 'test') {
    const result = await testConnection({ url: pg, sslMode: defaultSslMode(pg) }, null)
    if (!result.ok) throw Object.assign(new Error(result.message), { code: result.failure ?? 'failed' })
    return { json: result, text: result.message }
  }
  return runMigrationCommand(subcommand as 'migrate' | 'status', { pg })
}
