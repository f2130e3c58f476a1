import type { SqliteDb } from '../db/sqlite'
import type { ReplicatedTable } from './replicated-tables'

const KEYS_PER_QUERY = 900

export type Row = Record<string, unknown>

/** The rows a desk replicates: all of them, or for logs and the audit trail only those that belong to a user. */
function ownedFilter(table: ReplicatedTable): string {
  return table.userRequired && table.userColumn ? `${table.userColumn} IS NOT NULL` : '1 = 1'
}

/** The current rows for these keys; a key with no row was deleted (or never belonged to a user). */
export function readRowsByKey(db: SqliteDb, table: ReplicatedTable, keys: string[]): Map<string, Row> {
  const found = new Map<string, Row>()
  for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
    const chunk = keys.slice(start, start + KEYS_PER_QUERY)
    const rows = db
      .prepare(
        `SELECT * FROM ${table.name} WHERE ${table.key} IN (${chunk.map(() => '?').join(',')}) AND ${ownedFilter(table)}`,
      )
      .all(...chunk) as Row[]
    for (const row of rows) found.set(String(row[table.key]), row)
  }
  return found
}

/** One page of a table in key order, after `afterKey`: initial copies and verification walk tables this way. */
export function readPage(db: SqliteDb, table: ReplicatedTable, afterKey: string | null, limit: number): Row[] {
  return db
    .prepare(
      `SELECT * FROM ${table.name} WHERE ${table.key} > ? AND ${ownedFilter(table)} ORDER BY ${table.key} LIMIT ?`,
    )
    .all(afterKey ?? '', limit) as Row[]
}

export function countRows(db: SqliteDb, table: ReplicatedTable): number {
  return db
    .prepare(`SELECT COUNT(*) FROM ${table.name} WHERE ${ownedFilter(table)}`)
    .pluck()
    .get() as number
}

/** The users this desk replicates: each one's rows go to the central database. */
export function localUserIds(db: SqliteDb): string[] {
  return db.prepare('SELECT id FROM users ORDER BY id').pluck().all() as string[]
}
