import type pg from 'pg'
import type { SqliteDb } from '../db/sqlite'
import type { CentralWriter } from './central-writer'
import { countRows, readPage } from './local-rows'
import { drainOutbox } from './push-outbox'
import { REPLICATED_TABLES } from './replicated-tables'
import { readSyncState, writeSyncState } from './sync-state'

export interface InitialCopyProgress {
  table: string
  copied: number
  total: number
}

export interface InitialCopyOptions {
  pageSize: number
  onProgress(progress: InitialCopyProgress): void
  /** Checked between pages: pausing or closing stops the copy where it is; the next run resumes there. */
  shouldStop(): boolean
}

/**
 * Copies a desk's existing rows, table by table in key order. After every
 * page the cursor is saved, so an interrupted copy resumes at the last
 * committed page. Changes made meanwhile are in the outbox; before each page,
 * those for tables already copied are sent, so a new parent row reaches the
 * central database before a child that refers to it.
 *
 * Returns true when every table is copied.
 */
export async function runInitialCopy(
  db: SqliteDb,
  client: pg.Client,
  writer: CentralWriter,
  options: InitialCopyOptions,
): Promise<boolean> {
  let state = readSyncState(db)
  if (state.initialDoneAt) return true
  if (state.initialTotal === 0) {
    const total = REPLICATED_TABLES.reduce((sum, table) => sum + countRows(db, table), 0)
    writeSyncState(db, {
      initialTotal: total,
      initialTable: REPLICATED_TABLES[0]?.name ?? null,
      initialAfter: null,
      initialCopied: 0,
    })
    state = readSyncState(db)
  }
  let index = Math.max(
    0,
    REPLICATED_TABLES.findIndex((table) => table.name === state.initialTable),
  )
  let after = state.initialAfter
  let copied = state.initialCopied
  while (index < REPLICATED_TABLES.length) {
    if (options.shouldStop()) return false
    const table = REPLICATED_TABLES[index] as (typeof REPLICATED_TABLES)[number]
    const finished = REPLICATED_TABLES.slice(0, index).map((entry) => entry.name)
    await drainOutbox(db, client, writer, {
      batchSize: options.pageSize,
      onlyTables: finished,
      shouldStop: options.shouldStop,
    })
    if (options.shouldStop()) return false
    const page = readPage(db, table, after, options.pageSize)
    if (page.length > 0) {
      await writer.upsert([{ table, rows: page }])
      copied += page.length
      after = String(page.at(-1)?.[table.key])
    }
    if (page.length < options.pageSize) {
      index++
      after = null
    }
    const next = REPLICATED_TABLES[index]?.name ?? null
    writeSyncState(db, { initialTable: next, initialAfter: after, initialCopied: copied })
    options.onProgress({ table: table.name, copied, total: Math.max(copied, readSyncState(db).initialTotal) })
  }
  writeSyncState(db, { initialDoneAt: new Date().toISOString(), initialTable: null, initialAfter: null })
  return true
}
