import type { SqliteDb } from '../db/sqlite'

export interface OutboxEntry {
  seq: number
  tableName: string
  rowKey: string
}

export interface OutboxLag {
  rows: number
  oldestQueuedAt: string | null
}

/** The oldest entries first: replaying them in seq order keeps each table's order and puts parents before children. */
export function readOutbox(db: SqliteDb, limit: number): OutboxEntry[] {
  return db
    .prepare('SELECT seq, table_name AS tableName, row_key AS rowKey FROM sync_outbox ORDER BY seq LIMIT ?')
    .all(limit) as OutboxEntry[]
}

/** Called only after the central database committed everything up to `seq`. */
export function acknowledgeOutbox(db: SqliteDb, seq: number): void {
  db.prepare('DELETE FROM sync_outbox WHERE seq <= ?').run(seq)
}

export function outboxLag(db: SqliteDb): OutboxLag {
  const row = db
    .prepare('SELECT COUNT(*) AS rows, MIN(queued_at) AS oldestQueuedAt FROM sync_outbox')
    .get() as OutboxLag
  return { rows: row.rows, oldestQueuedAt: row.oldestQueuedAt }
}

/** Keys of rows with a change still waiting to be sent, per table: verification does not count them as mismatches. */
export function pendingKeys(db: SqliteDb): Map<string, Set<string>> {
  const pending = new Map<string, Set<string>>()
  for (const entry of db
    .prepare('SELECT DISTINCT table_name AS tableName, row_key AS rowKey FROM sync_outbox')
    .iterate() as Iterable<{ tableName: string; rowKey: string }>) {
    const keys = pending.get(entry.tableName) ?? new Set<string>()
    keys.add(entry.rowKey)
    pending.set(entry.tableName, keys)
  }
  return pending
}
