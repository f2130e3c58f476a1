import { join } from 'node:path'
import pg from 'pg'
import { openSqlite, type SqliteDb } from '../../src/main/core/platform/db/sqlite'
import { bundledMigrations } from '../../src/main/core/platform/migrations/manifest'
import { openPostgresMigrator, sqliteMigrator } from '../../src/main/core/platform/migrations/open'
import type { Migrator } from '../../src/main/core/platform/migrations/migrator'
import { createTestDatabase } from './postgres'
import { makeTempDir } from './temp-dir'

/**
 * One database at a chosen schema version, on either dialect, for tests that
 * carry real rows through one migration (seed at N−1, migrate to N, check,
 * roll back, check again). Plain SQL in, plain rows out.
 */
export interface MigrationHarness {
  dialect: 'sqlite' | 'postgres'
  migrateTo(version: number): Promise<void>
  rollbackTo(version: number): Promise<void>
  exec(sql: string): Promise<void>
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>
  /** Tries `sql` in a transaction that is always rolled back: the database's error message, or null when it would be allowed. */
  refusal(sql: string): Promise<string | null>
  close(): Promise<void>
}

async function runMigrator<T>(
  open: () => Promise<{ migrator: Migrator; close(): Promise<void> }>,
  fn: (migrator: Migrator) => Promise<T>,
): Promise<T> {
  const handle = await open()
  try {
    return await fn(handle.migrator)
  } finally {
    await handle.close()
  }
}

export async function sqliteHarness(): Promise<MigrationHarness> {
  const dir = makeTempDir()
  const dbPath = join(dir.path, 'tradedeck.sqlite')
  const db: SqliteDb = openSqlite(dbPath)
  const migrator = sqliteMigrator(db, null, { appVersion: 'test', defs: bundledMigrations.sqlite, dbPath })
  return {
    dialect: 'sqlite',
    async migrateTo(version) {
      await migrator.migrate({ to: version })
    },
    async rollbackTo(version) {
      await migrator.rollback({ to: version }, { force: true })
    },
    async exec(sql) {
      db.exec(sql)
    },
    async rows<T>(sql: string) {
      return db.prepare(sql).all() as T[]
    },
    async refusal(sql) {
      db.exec('BEGIN')
      try {
        db.exec(sql)
        return null
      } catch (error) {
        return (error as Error).message
      } finally {
        db.exec('ROLLBACK')
      }
    },
    async close() {
      db.close()
      dir.remove()
    },
  }
}

export async function postgresHarness(): Promise<MigrationHarness> {
  const database = await createTestDatabase()
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  const migrator = () => openPostgresMigrator(database.url, { appVersion: 'test', defs: bundledMigrations.postgres })
  return {
    dialect: 'postgres',
    migrateTo: (version) => runMigrator(migrator, async (m) => void (await m.migrate({ to: version }))),
    rollbackTo: (version) =>
      runMigrator(migrator, async (m) => void (await m.rollback({ to: version }, { force: true }))),
    async exec(sql) {
      await client.query(sql)
    },
    async rows<T>(sql: string) {
      return (await client.query(sql)).rows as T[]
    },
    async refusal(sql) {
      await client.query('BEGIN')
      try {
        await client.query(sql)
        return null
      } catch (error) {
        return (error as Error).message
      } finally {
        await client.query('ROLLBACK')
      }
    },
    async close() {
      await client.end()
      await database.drop()
    },
  }
}

export const DIALECTS = [
  ['sqlite', sqliteHarness],
  ['postgres', postgresHarness],
] as const
