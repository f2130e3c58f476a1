import { z } from 'zod'
import type { StartupMigrationState, SyncStatusView } from '../../shared/contract'
import { clientConfig, describeTarget } from '../core/central/connection'
import { keyFileSecretBox } from '../core/central/secret-box'
import { requireDatabase, resolveDataDir } from '../core/data-dir'
import { openSqlite } from '../core/db/sqlite'
import { CoreEvents } from '../core/events'
import { acquireInstanceLock } from '../core/instance-lock'
import { bundledMigrations } from '../core/migrations/manifest'
import { sqliteStoreDb } from '../core/store/connection'
import { createStore } from '../core/store/store'
import type { CentralTarget } from '../core/sync/central-session'
import { SyncService, type SyncHost } from '../core/sync/sync-service'
import type { CommandOutput } from './migration-commands'
import { UsageError } from './usage'

/** The CLI checks the schema version itself before it syncs. */
const MIGRATED: StartupMigrationState = { state: 'ok', applied: [], backupPath: null }

const SYNC_SUBCOMMANDS = ['status', 'run'] as const
type SyncSubcommand = (typeof SYNC_SUBCOMMANDS)[number]

export const pgUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')

const syncOptions = z.object({ 'data-dir': z.string().min(1).optional(), pg: pgUrl.optional() }).strict()

/** A URL's own sslmode wins; without one, local servers go unencrypted and remote ones must prove who they are. */
export function defaultSslMode(url: string): 'disable' | 'verify-full' {
  const host = new URL(url).hostname
  return ['localhost', '127.0.0.1', '::1', '[::1]'].includes(host) ? 'disable' : 'verify-full'
}

/** --pg URL as a sync target, named the way Settings names a saved connection. */
export function targetFromUrl(url: string): CentralTarget {
  const connection = { url, sslMode: defaultSslMode(url) }
  return { config: clientConfig(connection, null), target: describeTarget(connection) }
}

/** The desk's database with what sync needs, under the data directory's lock (the app must not run meanwhile). */
export async function withSyncHost<T>(dataDir: string, fn: (host: SyncHost & { dataDir: string }) => Promise<T>): Promise<T> {
  const dbPath = requireDatabase(dataDir)
  const lock = acquireInstanceLock(dataDir, 'cli')
  const db = openSqlite(dbPath)
  try {
    const latest = Math.max(...bundledMigrations.sqlite.map((def) => def.version))
    const version = db.pragma('user_version', { simple: true }) as number
    if (version !== latest) throw new Error(`The database is at schema version ${version}; this Tradedeck needs ${latest}. Run tradedeck migrate first.`)
    return await fn({ db, dataDir, store: createStore(sqliteStoreDb(db)), secrets: keyFileSecretBox(dataDir), events: new CoreEvents(), startupMigration: MIGRATED })
  } finally {
    if (db.open) db.close()
    lock.release()
  }
}

function statusText(status: SyncStatusView): string {
  const lines = [
    `Sync: ${status.state}${status.target ? ` → ${status.target}` : ''}`,
    `Waiting in the outbox: ${status.lagRows} rows${status.oldestQueuedAt ? `, oldest queued ${status.oldestQueuedAt}` : ''}`,
    `Initial copy: ${status.initialCopy.done ? `done ${status.initialCopy.doneAt}` : `${status.initialCopy.copied} of ${status.initialCopy.total} rows`}`,
    `Last success: ${status.lastSuccessAt ?? 'never'}`,
  ]
  if (status.lastError) lines.push(`Last error (${status.lastErrorAt}): ${status.lastError}`)
  if (status.verification) lines.push(`Last verification (${status.verification.at}): ${status.verification.ok ? 'every table matches' : `differs in ${status.verification.tables.filter((table) => !table.matches).map((table) => table.table).join(', ')}`}`)
  return lines.join('\n')
}

/** `tradedeck sync status|run`: replication from the command line, while the app is closed. */
export async function runSyncCommand(subcommand: string | undefined, raw: Record<string, unknown>): Promise<CommandOutput> {
  if (!SYNC_SUBCOMMANDS.includes(subcommand as SyncSubcommand)) throw new UsageError(`sync needs one of: ${SYNC_SUBCOMMANDS.join(', ')}`)
  const options = syncOptions.parse(raw)
  const dataDir = resolveDataDir(options['data-dir'])
  if (subcommand === 'status') {
    if (options.pg) throw new UsageError('sync status reads the desk only; --pg is for sync run')
    // Reading the state needs no lock: the app may be running.
    const db = openSqlite(requireDatabase(dataDir), { readonly: true })
    try {
      const host: SyncHost = { db, store: createStore(sqliteStoreDb(db)), secrets: keyFileSecretBox(dataDir), events: new CoreEvents(), startupMigration: MIGRATED }
      const status = new SyncService(() => host).status()
      return { json: status, text: statusText(status) }
    } finally {
      db.close()
    }
  }
  return withSyncHost(dataDir, async (host) => {
    const service = new SyncService(() => host)
    const result = await service.drain(options.pg ? targetFromUrl(options.pg) : undefined, (progress) =>
      process.stderr.write(progress.phase === 'copy' ? `sync: copied ${progress.copied} of ${progress.total} rows\n` : `sync: sent ${progress.sent} outbox entries\n`),
    )
    const status = service.status()
    return { json: { ...result, status }, text: `Copied ${result.copied} rows in the initial copy and sent ${result.sent} outbox entries.\n${statusText(status)}` }
  })
}
