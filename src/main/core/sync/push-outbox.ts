import type pg from 'pg'
import type { SqliteDb } from '../db/sqlite'
import type { CentralWriter } from './central-writer'
import { readRowsByKey } from './local-rows'
import { acknowledgeOutbox, type OutboxEntry } from './outbox'
import { REPLICATED_TABLES } from './replicated-tables'

export interface PushedBatch {
  entries: number
  upserted: number
  deleted: number
}

function readEntries(db: SqliteDb, limit: number, onlyTables: readonly string[] | null): OutboxEntry[] {
  if (!onlyTables) return db.prepare('SELECT seq, table_name AS tableName, row_key AS rowKey FROM sync_outbox ORDER BY seq LIMIT ?').all(limit) as OutboxEntry[]
  if (onlyTables.length === 0) return []
  return db
    .prepare(`SELECT seq, table_name AS tableName, row_key AS rowKey FROM sync_outbox WHERE table_name IN (${onlyTables.map(() => '?').join(',')}) ORDER BY seq LIMIT ?`)
    .all(...onlyTables, limit) as OutboxEntry[]
}

/**
 * Sends the oldest outbox entries as one central transaction: each changed
 * row as it is now (read in one SQLite snapshot, so foreign keys agree),
 * upserts parents first and deletes children first. The entries are deleted
 * only after the central commit; a crash in between sends them again, which
 * the idempotent writes absorb.
 *
 * `onlyTables` limits the batch to tables the initial copy has finished, so a
 * row never reaches the central database before the rows it refers to.
 */
export async function pushOutboxBatch(db: SqliteDb, client: pg.Client, writer: CentralWriter, limit: number, onlyTables: readonly string[] | null = null): Promise<PushedBatch | null> {
  const entries = readEntries(db, limit, onlyTables)
  if (entries.length === 0) return null
  const keysByTable = new Map<string, Set<string>>()
  for (const entry of entries) {
    const keys = keysByTable.get(entry.tableName) ?? new Set<string>()
    keys.add(entry.rowKey)
    keysByTable.set(entry.tableName, keys)
  }
  const unknown = [...keysByTable.keys()].filter((name) => !REPLICATED_TABLES.some((table) => table.name === name))
  if (unknown.length > 0) throw new Error(`The outbox names tables this version does not replicate: ${unknown.join(', ')}.`)

  const plan = db.transaction(() =>
    REPLICATED_TABLES.filter((table) => keysByTable.has(table.name)).map((table) => {
      const keys = [...(keysByTable.get(table.name) ?? [])]
      const found = readRowsByKey(db, table, keys)
      return { table, rows: [...found.values()], deleted: keys.filter((key) => !found.has(key)) }
    }),
  )()

  await client.query('BEGIN')
  try {
    for (const step of plan) await writer.upsert(step.table, step.rows)
    for (const step of [...plan].reverse()) await writer.delete(step.table, step.deleted)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
  if (onlyTables) {
    const seqs = entries.map((entry) => entry.seq)
    db.prepare(`DELETE FROM sync_outbox WHERE seq IN (SELECT value FROM json_each(?))`).run(JSON.stringify(seqs))
  } else {
    acknowledgeOutbox(db, entries.at(-1)?.seq ?? 0)
  }
  return {
    entries: entries.length,
    upserted: plan.reduce((sum, step) => sum + step.rows.length, 0),
    deleted: plan.reduce((sum, step) => sum + step.deleted.length, 0),
  }
}
