import { join } from 'node:path'
import { openSqlite } from '../../src/main/core/platform/db/sqlite'
import { bundledMigrations } from '../../src/main/core/platform/migrations/manifest'
import { openPostgresMigrator, sqliteMigrator } from '../../src/main/core/platform/migrations/open'
import type { Dialect } from '../../src/main/core/platform/migrations/types'
import { postgresPool, postgresStoreDb, sqliteStoreDb } from '../../src/main/core/platform/store/connection'
import { createStore, type Store } from '../../src/main/core/platform/store/store'
import { createTestDatabase } from './postgres'
import { makeTempDir } from './temp-dir'

export interface StoreHarness {
  dialect: Dialect
  store: Store
  /** Plain SQL with `?` placeholders, for checks the store deliberately cannot do. */
  raw(sql: string, params?: unknown[]): Promise<unknown[]>
  close(): Promise<void>
}

export async function sqliteStore(): Promise<StoreHarness> {
  const dir = makeTempDir()
  const dbPath = join(dir.path, 'tradedeck.sqlite')
  const db = openSqlite(dbPath)
  await sqliteMigrator(db, dir.path, { appVersion: 'test', defs: bundledMigrations.sqlite, dbPath }).migrate()
  return {
    dialect: 'sqlite',
    store: createStore(sqliteStoreDb(db)),
    async raw(sql, params = []) {
      const statement = db.prepare(sql)
      return statement.reader ? statement.all(...params) : (statement.run(...params), [])
    },
    async close() {
      db.close()
      dir.remove()
    },
  }
}

export async function postgresStore(): Promise<StoreHarness> {
  const database = await createTestDatabase()
  const migrator = await openPostgresMigrator(database.url, { appVersion: 'test', defs: bundledMigrations.postgres })
  await migrator.migrator.migrate()
  await migrator.close()
  const pool = postgresPool(database.url)
  const db = postgresStoreDb(pool)
  return {
    dialect: 'postgres',
    store: createStore(db),
    async raw(sql, params = []) {
      let n = 0
      return (
        await pool.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows
    },
    async close() {
      await db.destroy()
      await database.drop()
    },
  }
}
