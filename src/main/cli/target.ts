import { existsSync } from 'node:fs'
import { makePrivateDir } from '../core/private-files'
import { join } from 'node:path'
import { APP_VERSION } from '../core/app-version'
import { DB_FILE_NAME, requireDatabase, resolveDataDir } from '../core/data-dir'
import { openSqlite } from '../core/db/sqlite'
import { acquireInstanceLock } from '../core/instance-lock'
import { bundledMigrations } from '../core/migrations/manifest'
import { openPostgresMigrator, sqliteMigrator, type OpenedMigrator } from '../core/migrations/open'

export interface TargetOptions {
  'data-dir'?: string | undefined
  pg?: string | undefined
}

/**
 * Opens the runner for --pg URL or --data-dir DIR. A command that changes the
 * database takes the data directory's lock, so it never runs under the app.
 */
export async function openTarget(options: TargetOptions, mode: 'read' | 'write', { mustExist }: { mustExist: boolean }): Promise<OpenedMigrator> {
  if (options.pg) return openPostgresMigrator(options.pg, { appVersion: APP_VERSION, defs: bundledMigrations.postgres })
  const dataDir = resolveDataDir(options['data-dir'])
  const dbPath = join(dataDir, DB_FILE_NAME)
  if (mustExist) requireDatabase(dataDir)
  if (mode === 'read' && !existsSync(dbPath)) {
    // Reading must not create a database: report against an empty one instead.
    const empty = openSqlite(':memory:')
    return { migrator: sqliteMigrator(empty, null, { appVersion: APP_VERSION, defs: bundledMigrations.sqlite, dbPath }), close: async () => void empty.close() }
  }
  makePrivateDir(dataDir)
  const lock = mode === 'write' ? acquireInstanceLock(dataDir, 'cli') : null
  const db = openSqlite(dbPath)
  return {
    migrator: sqliteMigrator(db, dataDir, { appVersion: APP_VERSION, defs: bundledMigrations.sqlite, dbPath }),
    async close() {
      db.close()
      lock?.release()
    },
  }
}
