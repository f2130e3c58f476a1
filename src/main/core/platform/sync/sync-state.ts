import type { SqliteDb } from '../db/sqlite'

/** The desk's replication state, kept in SQLite so it survives restarts (migration 0008). */
export interface SyncState {
  capture: boolean
  paused: boolean
  target: string | null
  initialTable: string | null
  initialAfter: string | null
  initialCopied: number
  initialTotal: number
  initialDoneAt: string | null
  verification: string | null
  lastSuccessAt: string | null
  lastError: string | null
  lastErrorAt: string | null
}

interface SyncStateRow {
  capture: number
  paused: number
  target: string | null
  initial_table: string | null
  initial_after: string | null
  initial_copied: number
  initial_total: number
  initial_done_at: string | null
  verification: string | null
  last_success_at: string | null
  last_error: string | null
  last_error_at: string | null
}

export function readSyncState(db: SqliteDb): SyncState {
  const row = db.prepare('SELECT * FROM sync_state WHERE id = 1').get() as SyncStateRow | undefined
  if (!row) throw new Error('The sync state row is missing; the database was not migrated to version 8.')
  return {
    capture: row.capture === 1,
    paused: row.paused === 1,
    target: row.target,
    initialTable: row.initial_table,
    initialAfter: row.initial_after,
    initialCopied: row.initial_copied,
    initialTotal: row.initial_total,
    initialDoneAt: row.initial_done_at,
    verification: row.verification,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
  }
}

const COLUMN: Record<keyof SyncState, string> = {
  capture: 'capture',
  paused: 'paused',
  target: 'target',
  initialTable: 'initial_table',
  initialAfter: 'initial_after',
  initialCopied: 'initial_copied',
  initialTotal: 'initial_total',
  initialDoneAt: 'initial_done_at',
  verification: 'verification',
  lastSuccessAt: 'last_success_at',
  lastError: 'last_error',
  lastErrorAt: 'last_error_at',
}

export function writeSyncState(db: SqliteDb, patch: Partial<SyncState>): void {
  const entries = Object.entries(patch) as [keyof SyncState, unknown][]
  if (entries.length === 0) return
  const values = entries.map(([, value]) => (typeof value === 'boolean' ? (value ? 1 : 0) : value))
  db.prepare(`UPDATE sync_state SET ${entries.map(([key]) => `${COLUMN[key]} = ?`).join(', ')} WHERE id = 1`).run(
    ...values,
  )
}

/**
 * Starts replicating to `target`: capture is switched on in the same
 * transaction that resets the initial copy, so every row either exists before
 * the copy reads it or is captured by the outbox. A different target empties
 * the outbox, since the copy sends everything anyway.
 */
export function enableCapture(db: SqliteDb, target: string): void {
  db.transaction(() => {
    const state = readSyncState(db)
    if (state.capture && state.target === target) {
      writeSyncState(db, { paused: false })
      return
    }
    db.prepare('DELETE FROM sync_outbox').run()
    writeSyncState(db, {
      capture: true,
      paused: false,
      target,
      initialTable: null,
      initialAfter: null,
      initialCopied: 0,
      initialTotal: 0,
      initialDoneAt: null,
      verification: null,
      lastError: null,
      lastErrorAt: null,
    })
  }).immediate()
}

/** Stops capturing: the central copy keeps what it has, and connecting again starts with a full copy. */
export function disableCapture(db: SqliteDb): void {
  db.transaction(() => {
    db.prepare('DELETE FROM sync_outbox').run()
    writeSyncState(db, {
      capture: false,
      paused: false,
      target: null,
      initialTable: null,
      initialAfter: null,
      initialCopied: 0,
      initialTotal: 0,
      initialDoneAt: null,
      verification: null,
    })
  }).immediate()
}
