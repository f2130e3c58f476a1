import type pg from 'pg'
import type { SqliteDb } from '../db/sqlite'
import type { CentralWriter } from './central-writer'
import { readRowsByKey, type Row } from './local-rows'
import type { OutboxEntry } from './outbox'
import { REPLICATED_TABLES, type ReplicatedTable } from './replicated-tables'

export interface PreparedBatch {
  entries: OutboxEntry[]
  lastSeq: number
  steps: { table: ReplicatedTable; rows: Row[]; deleted: string[] }[]
  /** Set when only some tables were read: the entries are acknowledged one by one. */
  partial: boolean
}

export interface DrainOptions {
  batchSize: number
  /** Limits the drain to tables the initial copy has finished, so a row never reaches the central database before the rows it refers to. */
  onlyTables?: readonly string[] | null
  shouldStop?: () => boolean
  onBatch?: (entries: number) => void
}

function readEntries(
  db: SqliteDb,
  limit: number,
  afterSeq: number,
  onlyTables: readonly string[] | null,
): OutboxEntry[] {
  if (!onlyTables)
    return db
      .prepare(
        'SELECT seq, table_name AS tableName, row_key AS rowKey FROM sync_outbox WHERE seq > ? ORDER BY seq LIMIT ?',
      )
      .all(afterSeq, limit) as OutboxEntry[]
  if (onlyTables.length === 0) return []
  return db
    .prepare(
      `SELECT seq, table_name AS tableName, row_key AS rowKey FROM sync_outbox WHERE seq > ? AND table_name IN (${onlyTables.map(() => '?').join(',')}) ORDER BY seq LIMIT ?`,
    )
    .all(afterSeq, ...onlyTables, limit) as OutboxEntry[]
}

/**
 * Reads the next outbox entries after `afterSeq` and each changed row as it
 * is now, in one SQLite snapshot so foreign keys agree. A key without a row
 * was deleted.
 */
export function prepareBatch(
  db: SqliteDb,
  limit: number,
  afterSeq: number,
  onlyTables: readonly string[] | null = null,
): PreparedBatch | null {
  return db.transaction(() => {
    const entries = readEntries(db, limit, afterSeq, onlyTables)
    if (entries.length === 0) return null
    const keysByTable = new Map<string, Set<string>>()
    for (const entry of entries) {
      const keys = keysByTable.get(entry.tableName) ?? new Set<string>()
      keys.add(entry.rowKey)
      keysByTable.set(entry.tableName, keys)
    }
    const unknown = [...keysByTable.keys()].filter((name) => !REPLICATED_TABLES.some((table) => table.name === name))
    if (unknown.length > 0)
      throw new Error(`The outbox names tables this version does not replicate: ${unknown.join(', ')}.`)
    const steps = REPLICATED_TABLES.filter((table) => keysByTable.has(table.name)).map((table) => {
      const keys = [...(keysByTable.get(table.name) ?? [])]
      const found = readRowsByKey(db, table, keys)
      return { table, rows: [...found.values()], deleted: keys.filter((key) => !found.has(key)) }
    })
    return { entries, lastSeq: entries.at(-1)?.seq ?? afterSeq, steps, partial: onlyTables !== null }
  })()
}

/**
 * One central transaction: upserts parents first, deletes children first.
 * `whileSending` runs while the server works on the upserts.
 */
export async function sendBatch(
  client: pg.Client,
  writer: CentralWriter,
  batch: PreparedBatch,
  whileSending: () => void = () => {},
): Promise<void> {
  await client.query('BEGIN')
  try {
    const sending = writer.upsert(batch.steps)
    let sideError: unknown = null
    try {
      whileSending()
    } catch (error) {
      sideError = error
    }
    await sending
    if (sideError) throw sideError
    for (const step of [...batch.steps].reverse()) await writer.delete(step.table, step.deleted)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}

/** Only after the central commit: a crash before this sends the batch again, which the idempotent writes absorb. */
export function acknowledgeBatch(db: SqliteDb, batch: PreparedBatch): void {
  if (batch.partial)
    db.prepare('DELETE FROM sync_outbox WHERE seq IN (SELECT value FROM json_each(?))').run(
      JSON.stringify(batch.entries.map((entry) => entry.seq)),
    )
  else db.prepare('DELETE FROM sync_outbox WHERE seq <= ?').run(batch.lastSeq)
}

/**
 * Sends the outbox in seq order until it is empty (or `shouldStop`). The next
 * batch is read from SQLite while the central server works on the current
 * one; batches are still sent and acknowledged strictly one after another.
 * Returns how many entries were sent.
 */
export async function drainOutbox(
  db: SqliteDb,
  client: pg.Client,
  writer: CentralWriter,
  options: DrainOptions,
): Promise<number> {
  const onlyTables = options.onlyTables ?? null
  let sent = 0
  let next = prepareBatch(db, options.batchSize, 0, onlyTables)
  while (next) {
    const current = next
    let following: PreparedBatch | null = null
    await sendBatch(client, writer, current, () => {
      following = options.shouldStop?.() ? null : prepareBatch(db, options.batchSize, current.lastSeq, onlyTables)
    })
    acknowledgeBatch(db, current)
    sent += current.entries.length
    options.onBatch?.(current.entries.length)
    next = following
  }
  return sent
}
