import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type pg from 'pg'
import type { RestoreSummary, SyncVerification } from '../../../../shared/contract'
import type { CoreContext } from '../context'
import type { SyncService } from './sync-service'
import type { BackupService } from '../backups/backup-service'
import { backupSqlite } from '../backups/sqlite-backup'
import type { BackupRecord } from '../backups/catalogue'
import { openSqlite, type SqliteDb } from '../db/sqlite'
import { bundledMigrations } from '../migrations/manifest'
import { sqliteMigrator } from '../migrations/open'
import type { CentralSession, CentralTarget } from './central-session'
import { outboxLag } from './outbox'
import { REPLICATED_TABLES, type ReplicatedTable } from './replicated-tables'
import { toLocalRow, type TableColumns } from './row-codec'
import { writeSyncState } from './sync-state'
import { verifyAgainstCentral } from './verify'
import { Refusal } from '../calls/refusal'

const PAGE_SIZE = 5_000

/** A restore from the central database that cannot go ahead, and changed nothing. */
export class CentralRestoreError extends Refusal {
  constructor(message: string) {
    super('conflict', message)
    this.name = 'CentralRestoreError'
  }
}

export interface BuiltFromCentral {
  rows: Record<string, number>
  verification: SyncVerification
}

/** The central rows that make up one user's desk: their own rows, and the market data their strategies and ideas used. */
function selectionFor(table: ReplicatedTable): { where: string; params: (userId: string) => unknown[] } {
  if (table.userColumn) return { where: `"${table.userColumn}" = $1`, params: (userId) => [userId] }
  // The calendar and the news belong to every symbol: a desk takes them whole.
  if (table.name === 'calendar_events' || table.name === 'news_items') return { where: 'TRUE', params: () => [] }
  const symbols = `(SELECT instrument FROM strategies WHERE user_id = $1 UNION SELECT symbol FROM trade_ideas WHERE user_id = $1)`
  if (table.name === 'market_snapshots') {
    return {
      where: `(symbol IN ${symbols} OR id IN (SELECT snapshot_id FROM trade_ideas WHERE user_id = $1 UNION SELECT snapshot_id FROM decision_history WHERE user_id = $1))`,
      params: (userId) => [userId],
    }
  }
  return { where: `symbol IN ${symbols}`, params: (userId) => [userId] }
}

async function copyTable(
  client: pg.Client,
  db: SqliteDb,
  table: ReplicatedTable,
  columns: TableColumns,
  userId: string,
): Promise<number> {
  const insert = db.prepare(
    `INSERT INTO ${table.name} (${columns.names.join(', ')}) VALUES (${columns.names.map(() => '?').join(', ')})`,
  )
  const insertPage = db.transaction((rows: Record<string, unknown>[]) => {
    for (const row of rows) {
      const local = toLocalRow(row, columns)
      insert.run(...columns.names.map((name) => local[name]))
    }
  })
  const selection = selectionFor(table)
  let after: string | null = null
  let copied = 0
  for (;;) {
    const params = selection.params(userId)
    const keyFilter = after === null ? '' : ` AND "${table.key}" > $${params.length + 1}`
    const result: pg.QueryResult<Record<string, unknown>> = await client.query(
      `SELECT * FROM "${table.name}" WHERE ${selection.where}${keyFilter} ORDER BY "${table.key}" LIMIT ${PAGE_SIZE}`,
      after === null ? params : [...params, after],
    )
    insertPage(result.rows)
    copied += result.rows.length
    if (result.rows.length < PAGE_SIZE) return copied
    after = String(result.rows.at(-1)?.[table.key])
  }
}

/**
 * Builds a new SQLite database at `path` from the central copy of one user:
 * the current schema, that user's rows in every replicated table, the market
 * data they refer to, and this desk's own settings (so the central connection
 * survives the swap). It replicates to the same central database from then on
 * without copying everything back. The result is checked (integrity, foreign
 * keys, row counts and checksums against the central copy) before it is
 * offered as a backup to restore.
 */
export async function buildFromCentral(
  session: CentralSession,
  userId: string,
  path: string,
  options: { appVersion: string; settingsFrom: SqliteDb },
): Promise<BuiltFromCentral> {
  const found = await session.client.query('SELECT 1 FROM users WHERE id = $1', [userId])
  if (found.rowCount !== 1)
    throw new CentralRestoreError(`The central database has no user ${userId}, or this desk's role may not read it.`)
  removeDatabaseFiles(path)
  const db = openSqlite(path)
  try {
    await sqliteMigrator(db, null, {
      appVersion: options.appVersion,
      defs: bundledMigrations.sqlite,
      dbPath: path,
    }).migrate()
    const rows: Record<string, number> = {}
    for (const table of REPLICATED_TABLES) {
      const columns = session.columns.get(table.name)
      if (!columns) throw new CentralRestoreError(`No central columns for ${table.name}.`)
      rows[table.name] = await copyTable(session.client, db, table, columns, userId)
    }
    const settings = options.settingsFrom.prepare('SELECT key, value, updated_at FROM settings').all() as {
      key: string
      value: string
      updated_at: string
    }[]
    const putSetting = db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
    db.transaction(() => {
      for (const setting of settings) putSetting.run(setting.key, setting.value, setting.updated_at)
    })()
    const total = Object.values(rows).reduce((sum, count) => sum + count, 0)
    writeSyncState(db, {
      capture: true,
      paused: false,
      target: session.target,
      initialDoneAt: new Date().toISOString(),
      initialCopied: total,
      initialTotal: total,
    })

    const integrity = db.prepare('PRAGMA integrity_check').pluck().all() as string[]
    if (integrity.join() !== 'ok')
      throw new CentralRestoreError(
        `The rebuilt database failed its integrity check: ${integrity.slice(0, 3).join('; ')}`,
      )
    const orphans = db.prepare('PRAGMA foreign_key_check').all() as { table: string }[]
    if (orphans.length > 0)
      throw new CentralRestoreError(
        `The central copy is missing rows that ${orphans.length} rows refer to (first in ${orphans[0]?.table}); nothing was restored.`,
      )
    const verification = await verifyAgainstCentral(db, session.client, session.columns)
    if (!verification.ok) {
      const differing = verification.tables.filter((table) => !table.matches).map((table) => table.table)
      throw new CentralRestoreError(
        `The rebuilt database does not match the central copy in ${differing.join(', ')}; nothing was restored.`,
      )
    }
    db.pragma('wal_checkpoint(TRUNCATE)')
    return { rows, verification }
  } finally {
    db.close()
  }
}

const STAGING_FILE = 'central-restore.sqlite'

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
}

/**
 * Builds the user's database from the central copy and files it in the backup
 * catalogue ("from-central"), checked like any backup; restoring that file
 * swaps it in, with a pre-restore backup of the database it replaces.
 */
export async function stageFromCentral(
  session: CentralSession,
  userId: string,
  options: { dataDir: string; appVersion: string; settingsFrom: SqliteDb },
): Promise<BuiltFromCentral & { backup: BackupRecord }> {
  const waiting = outboxLag(options.settingsFrom).rows
  if (waiting > 0) {
    throw new CentralRestoreError(
      `${waiting.toLocaleString('en')} changes on this desk have not reached the central database yet, and rebuilding from it would leave them behind. Let sync catch up (resume it if paused), then try again.`,
    )
  }
  const staging = join(options.dataDir, STAGING_FILE)
  try {
    const built = await buildFromCentral(session, userId, staging, options)
    const backup = await backupSqlite({
      dataDir: options.dataDir,
      dbPath: staging,
      reason: 'from-central',
      appVersion: options.appVersion,
    })
    return { ...built, backup }
  } finally {
    removeDatabaseFiles(staging)
  }
}

export interface RestoredFromCentral {
  userId: string
  rows: BuiltFromCentral['rows']
  verified: boolean
  restore: RestoreSummary
}

/**
 * Rebuilds one user's desk from the central database (the given server, or
 * the saved connection) and swaps it in like any restore: a pre-restore
 * backup first, audited, undoable.
 */
export async function restoreUserFromCentral(
  ctx: CoreContext,
  { sync, backups }: { sync: SyncService; backups: Pick<BackupService, 'restore'> },
  userId: string,
  central: CentralTarget | undefined,
  actor: string,
): Promise<RestoredFromCentral> {
  const session = await sync.openSession(central, 'tradedeck-restore')
  let staged: Awaited<ReturnType<typeof stageFromCentral>>
  try {
    staged = await stageFromCentral(session, userId, {
      dataDir: ctx.dataDir,
      appVersion: ctx.appVersion,
      settingsFrom: ctx.db,
    })
  } finally {
    await session.close()
  }
  const restore = await backups.restore(staged.backup.file, actor)
  await ctx.store.auditLog.record({
    userId: null,
    actor,
    subject: 'restore',
    action: 'restore_from_central',
    details: { userId, file: staged.backup.file, rows: staged.rows, preRestore: restore.preRestore.file },
  })
  return { userId, rows: staged.rows, verified: staged.verification.ok, restore }
}
