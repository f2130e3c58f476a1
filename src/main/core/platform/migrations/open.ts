import type { PostgresTarget } from '../db/postgres'
import { join } from 'node:path'
import { DB_FILE_NAME } from '../files/data-dir'
import { openSqlite, type SqliteDb } from '../db/sqlite'
import { Migrator, type MigratorOptions } from './migrator'
import { PostgresMigrationDriver } from './postgres-driver'
import { SqliteMigrationDriver } from './sqlite-driver'
import type { MigrationDef } from './types'

export interface OpenedMigrator {
  migrator: Migrator
  close(): Promise<void>
}

// Runners take their migrations explicitly: the app passes the bundled manifest, tests pass fixtures.

/** A runner over an open SQLite connection the caller keeps owning (the app's own). */
export function sqliteMigrator(db: SqliteDb, dataDir: string | null, options: MigratorOptions & { defs: MigrationDef[]; dbPath: string }): Migrator {
  const driver = new SqliteMigrationDriver(db, { dataDir, dbPath: options.dbPath, appVersion: options.appVersion })
  return new Migrator(driver, options.defs, options)
}

export function openSqliteMigrator(dataDir: string, options: MigratorOptions & { defs: MigrationDef[] }): OpenedMigrator {
  const dbPath = join(dataDir, DB_FILE_NAME)
  const db = openSqlite(dbPath)
  return {
    migrator: sqliteMigrator(db, dataDir, { ...options, dbPath }),
    async close() {
      db.close()
    },
  }
}

export async function openPostgresMigrator(target: PostgresTarget, options: MigratorOptions & { defs: MigrationDef[]; lockTimeoutMs?: number }): Promise<OpenedMigrator> {
  const driver = await PostgresMigrationDriver.connect(target, options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {})
  return {
    migrator: new Migrator(driver, options.defs, options),
    close: () => driver.close(),
  }
}
