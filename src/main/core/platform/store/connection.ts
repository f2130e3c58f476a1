import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely'
import pg from 'pg'
import type { SqliteDb } from '../db/sqlite'
import type { StoreSchema } from './schema'

export type StoreDb = Kysely<StoreSchema>

const TIMESTAMPTZ = 1184
const TIMESTAMP = 1114
const JSON_OID = 114
const JSONB = 3802
const INT8 = 20

const STATEMENT_CACHE_SIZE = 256

/**
 * better-sqlite3 behind a prepared-statement cache: Kysely prepares every query
 * anew, and preparing cost as much as running for the store's hot statements.
 */
function withStatementCache(db: SqliteDb): SqliteDatabase {
  const cache = new Map<string, ReturnType<SqliteDb['prepare']>>()
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let statement = cache.get(sql)
      if (statement) {
        cache.delete(sql)
      } else {
        statement = db.prepare(sql)
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
      }
      cache.set(sql, statement)
      return statement
    },
  }
}

/** The store shares the app's SQLite connection (one writer, one transaction scope). */
export function sqliteStoreDb(db: SqliteDb): StoreDb {
  return new Kysely<StoreSchema>({
    dialect: new SqliteDialect({ database: withStatementCache(db) }),
    plugins: [new CamelCasePlugin()],
  })
}

/**
 * PostgreSQL values are made to look like SQLite's: timestamps as ISO-8601 UTC
 * strings, JSON as raw text, bigint counts as numbers. Repositories then map
 * rows the same way on both dialects.
 */
export function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === TIMESTAMPTZ || oid === TIMESTAMP) {
    const parse = pg.types.getTypeParser(oid, 'text') as (value: string) => Date
    return (value) => parse(value).toISOString()
  }
  if (oid === JSON_OID || oid === JSONB) return (value) => value
  if (oid === INT8) return (value) => Number(value)
  return pg.types.getTypeParser(oid, (format ?? 'text') as 'text') as (value: string) => unknown
}

export function postgresPool(url: string, max = 4): pg.Pool {
  return new pg.Pool({ connectionString: url, max, types: { getTypeParser: typeParser as never } })
}

export function postgresStoreDb(pool: pg.Pool): StoreDb {
  return new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] })
}
