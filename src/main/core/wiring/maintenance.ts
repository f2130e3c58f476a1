import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { openCore, type Core } from './app'
import type { CoreContext } from '../platform/context'
import { DB_FILE_NAME, requireDatabase } from '../platform/files/data-dir'
import { openSqlite } from '../platform/db/sqlite'
import { bundledMigrations } from '../platform/migrations/manifest'
import { openPostgresMigrator, sqliteMigrator, type OpenedMigrator } from '../platform/migrations/open'

export interface MaintenanceOptions {
  dataDir: string
  appVersion: string
  /** Only migrate may bring a database into being; every other command works on one that is there. */
  createDatabase?: boolean
}

/**
 * Opens a data directory for work done while the app is closed: the app's own
 * openCore, so the same lock, database and services, but nothing starts (no
 * strategies, no sync loop, no timers). The command line's only way in.
 */
export async function withMaintenanceCore<T>(
  options: MaintenanceOptions,
  work: (core: Core) => Promise<T>,
): Promise<T> {
  if (!options.createDatabase) requireDatabase(options.dataDir)
  const core = openCore({ dataDir: options.dataDir, host: 'cli', appVersion: options.appVersion })
  try {
    return await work(core)
  } finally {
    core.close()
  }
}

/** Sync and central restores copy rows by this build's schema, so they refuse a database at another version. */
export function requireCurrentSchema(ctx: CoreContext): void {
  const latest = Math.max(...bundledMigrations.sqlite.map((def) => def.version))
  const version = ctx.db.pragma('user_version', { simple: true }) as number
  if (version !== latest)
    throw new Error(
      `The database is at schema version ${version}; this Tradedeck needs ${latest}. Run tradedeck migrate first.`,
    )
  ctx.startupMigration = { state: 'ok', applied: [], backupPath: null }
}

export type MigrationTarget = { pg: string } | { dataDir: string }

/**
 * The migration runner for a PostgreSQL URL or a data directory. Changing a
 * desk's database takes its lock through openCore, so it never runs under the
 * app; reading takes none and never creates a database.
 */
export async function openMigrationTarget(
  target: MigrationTarget,
  mode: 'read' | 'write',
  options: { appVersion: string; mustExist: boolean },
): Promise<OpenedMigrator> {
  const { appVersion } = options
  if ('pg' in target) return openPostgresMigrator(target.pg, { appVersion, defs: bundledMigrations.postgres })
  const { dataDir } = target
  const dbPath = join(dataDir, DB_FILE_NAME)
  if (options.mustExist) requireDatabase(dataDir)
  if (mode === 'read') {
    // With no database there, report against an empty one instead of creating it.
    const exists = existsSync(dbPath)
    const db = openSqlite(exists ? dbPath : ':memory:')
    return {
      migrator: sqliteMigrator(db, exists ? dataDir : null, { appVersion, defs: bundledMigrations.sqlite, dbPath }),
      close: async () => void db.close(),
    }
  }
  const core = openCore({ dataDir, host: 'cli', appVersion })
  return {
    migrator: sqliteMigrator(core.context.db, dataDir, { appVersion, defs: bundledMigrations.sqlite, dbPath }),
    close: async () => core.close(),
  }
}
