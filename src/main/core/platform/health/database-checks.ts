import { statfsSync, statSync } from 'node:fs'
import type { SqliteDb } from '../db/sqlite'
import { describeDamage, inspectCopy, isIntact } from '../backups/worker-tasks'
import { databaseSizeBytes } from '../backups/sqlite-backup'
import type { TaskProgress } from '../backups/worker-pool'
import { describeFingerprintDiff } from '../migrations/fingerprint'
import type { Migrator } from '../migrations/migrator'
import { finding, mib, type HealthCheck } from './check'

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

function userTables(db: SqliteDb): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[]
}

/** A full integrity_check of the live file, on a read-only connection in a worker thread; with a listener, table by table with progress. */
export async function integrity(dbPath: string, onProgress?: (progress: TaskProgress) => void): Promise<HealthCheck> {
  const started = performance.now()
  const inspection = await inspectCopy(dbPath, { thorough: true, onProgress })
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  if (isIntact(inspection))
    return finding(
      'integrity',
      'Database integrity',
      'ok',
      `integrity_check ok over ${mib(databaseSizeBytes(dbPath))} in ${seconds} s`,
    )
  return finding(
    'integrity',
    'Database integrity',
    'fail',
    `integrity_check found damage: ${describeDamage(inspection)}`,
    'Stop trading and restore the newest verified backup (Database → Backups → Restore, or tradedeck restore <file>); the damaged file is backed up first, so nothing more is lost.',
    inspection.check.slice(0, 50),
  )
}

/** Rows whose foreign key points at a parent row that is not there. */
export function orphans(db: SqliteDb): HealthCheck {
  const violations = db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[]
  if (violations.length === 0)
    return finding('orphans', 'Orphaned rows', 'ok', 'foreign_key_check: every reference points at an existing row')
  const details = violations.map((violation) => {
    const id =
      violation.rowid === null
        ? null
        : (db
            .prepare(`SELECT id FROM ${quote(violation.table)} WHERE rowid = ?`)
            .pluck()
            .get(violation.rowid) as string | undefined)
    return `${violation.table} row ${violation.rowid ?? '?'}${id ? ` (id ${id})` : ''} points at a missing ${violation.parent} row`
  })
  const tables = [...new Set(violations.map((violation) => violation.table))]
  return finding(
    'orphans',
    'Orphaned rows',
    'fail',
    `${violations.length} row(s) in ${tables.join(', ')} point at rows that do not exist`,
    `Restore the newest backup taken before they appeared (Database → Backups), or, once you have checked the rows listed, delete them: ${tables
      .map(
        (table) =>
          `DELETE FROM ${table} WHERE rowid IN (${violations
            .filter((v) => v.table === table)
            .map((v) => v.rowid)
            .join(', ')});`,
      )
      .join(' ')}`,
    details,
  )
}

/** Foreign-key columns that lead no index: deleting or checking a parent row scans the whole child table. */
export function unindexedForeignKeys(db: SqliteDb): HealthCheck {
  const missing: { table: string; column: string; parent: string }[] = []
  for (const table of userTables(db)) {
    const foreignKeys = db.prepare(`PRAGMA foreign_key_list(${quote(table)})`).all() as {
      from: string
      table: string
    }[]
    if (foreignKeys.length === 0) continue
    const indexes = db.prepare(`PRAGMA index_list(${quote(table)})`).all() as { name: string }[]
    const leading = new Set(
      indexes.map(
        (index) => (db.prepare(`PRAGMA index_info(${quote(index.name)})`).all() as { name: string }[])[0]?.name,
      ),
    )
    for (const key of foreignKeys)
      if (!leading.has(key.from)) missing.push({ table, column: key.from, parent: key.table })
  }
  if (missing.length === 0)
    return finding('fk-indexes', 'Foreign-key indexes', 'ok', 'every foreign-key column has an index')
  return finding(
    'fk-indexes',
    'Foreign-key indexes',
    'warn',
    `${missing.length} foreign-key column(s) without an index`,
    `Run tradedeck migrate (migration 10 adds them), or create each one: ${missing.map((m) => `CREATE INDEX ${m.table}_${m.column} ON ${m.table} (${m.column});`).join(' ')}`,
    missing.map((m) => `${m.table}.${m.column} → ${m.parent}`),
  )
}

const WAL_WARN_BYTES = 256 * 1048576
const WAL_FAIL_BYTES = 1024 * 1048576

/** The write-ahead log grows when something keeps SQLite from folding it back into the database. */
export function walSize(dbPath: string): HealthCheck {
  let bytes = 0
  try {
    bytes = statSync(`${dbPath}-wal`).size
  } catch {
    // No WAL file: everything is checkpointed.
  }
  const status = bytes >= WAL_FAIL_BYTES ? 'fail' : bytes >= WAL_WARN_BYTES ? 'warn' : 'ok'
  return finding(
    'wal',
    'Write-ahead log',
    status,
    `WAL ${mib(bytes)} (warn at ${mib(WAL_WARN_BYTES)}, fail at ${mib(WAL_FAIL_BYTES)})`,
    'Something holds a read open on the database, so SQLite cannot checkpoint the WAL: close other programs reading tradedeck.sqlite (a database browser, a copy in progress) or restart Tradedeck, which checkpoints on its own.',
  )
}

/** Room for the database to grow and for a backup (which needs about one more database's worth). */
export function freeSpace(dataDir: string, dbPath: string, backupBytes: number): HealthCheck {
  const stats = statfsSync(dataDir)
  const free = stats.bavail * stats.bsize
  const database = databaseSizeBytes(dbPath)
  const status =
    free < 2 * database ? 'fail' : free < 4 * database + backupBytes || free < 1024 * 1048576 ? 'warn' : 'ok'
  return finding(
    'disk',
    'Free disk space',
    status,
    `${mib(free)} free; database ${mib(database)}, backups ${mib(backupBytes)}`,
    status === 'fail'
      ? 'Backups are refused below twice the database size. Free space on this disk now, or prune old backups (tradedeck prune).'
      : 'Free space on this disk soon, or prune old backups (tradedeck prune): a backup needs about one more database of room.',
  )
}

/** The schema the migrations would build against the one the file has, and the migration records against this build. */
export async function schemaDrift(migrator: Migrator): Promise<HealthCheck> {
  const report = await migrator.status()
  const pending = report.migrations.filter((m) => m.state === 'pending')
  const wrong = report.migrations.filter(
    (m) => m.state === 'drifted' || m.state === 'missing' || m.state === 'unknown_newer',
  )
  if (wrong.length > 0) {
    return finding(
      'schema',
      'Schema',
      'fail',
      `${wrong.length} migration record(s) do not match this build`,
      'A migration file changed after it was applied, or the database comes from another Tradedeck version: run tradedeck status for each difference, and restore a backup from this version if the schema was changed by hand.',
      wrong.map((m) => `${m.version}_${m.name}: ${m.state}`),
    )
  }
  if (report.schemaDrift) {
    return finding(
      'schema',
      'Schema',
      'fail',
      'the tables differ from what the applied migrations build',
      'The schema was changed outside the migrations. Restore the newest backup from before the change, or undo the change by hand so that each line below disappears.',
      describeFingerprintDiff(report.schemaDrift)
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    )
  }
  if (pending.length > 0) {
    return finding(
      'schema',
      'Schema',
      'warn',
      `at version ${report.current}; ${pending.length} migration(s) pending`,
      'Run tradedeck migrate, or start Tradedeck, which migrates after a backup.',
      pending.map((m) => `${m.version}_${m.name}`),
    )
  }
  return finding('schema', 'Schema', 'ok', `at version ${report.current}, matching the migrations exactly`)
}
