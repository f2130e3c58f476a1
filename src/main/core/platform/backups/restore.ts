import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { openSqlite, type SqliteDb } from '../db/sqlite'
import { fsyncDir, fsyncFile } from '../files/fs-atomic'
import { readCatalogue, type BackupRecord } from './catalogue'
import { describeDamage, inspectCopy, isIntact, sha256InWorker } from './worker-tasks'
import { setAside } from './reconcile'
import { BackupError, backupDirFor, backupSqlite, databaseSizeBytes, ensureFreeSpace } from './sqlite-backup'

/** Finds a backup by file name in the catalogue and proves it is intact. */
export async function verifiedBackup(dataDir: string, file: string): Promise<BackupRecord & { path: string }> {
  const dir = backupDirFor(dataDir)
  const record = readCatalogue(dir).find((entry) => entry.file === basename(file))
  if (!record) throw new BackupError(`${file} is not in the backup catalogue of ${dir}.`)
  const path = join(dir, record.file)
  if (!existsSync(path)) throw new BackupError(`The backup file ${path} is missing.`)
  // Both read the whole file, each in its own worker; the hash decides first.
  // A pre-migration backup of a database no migration had touched yet (version 0) has no schema_migrations; the sha256 proves it is the file that was backed up.
  const [sha256, inspection] = await Promise.all([
    sha256InWorker(path),
    inspectCopy(path, { thorough: true, requireTradedeck: record.schemaVersion > 0 }),
  ])
  if (sha256 !== record.sha256)
    throw new BackupError(
      `The backup ${record.file} does not match its recorded sha256 (it changed on disk); it was not used.`,
    )
  if (!isIntact(inspection)) {
    const damaged = await setAside(dir, record.file)
    throw new BackupError(
      `The backup ${record.file} cannot be restored: ${describeDamage(inspection)}. Nothing was changed; the file was set aside as ${damaged}.`,
    )
  }
  return { ...record, path }
}

/**
 * Puts a verified backup in place of the closed database: copy beside it,
 * fsync, drop the old WAL/SHM, rename over. A crash leaves either the old
 * database or the restored one, never a mix.
 */
export function swapInBackup(backupPath: string, dbPath: string): void {
  const staged = `${dbPath}.restoring`
  copyFileSync(backupPath, staged)
  const check: SqliteDb = openSqlite(staged)
  check.pragma('journal_mode = DELETE')
  check.close()
  fsyncFile(staged)
  for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true })
  renameSync(staged, dbPath)
  fsyncDir(join(dbPath, '..'))
}

export interface OpenDatabase {
  dataDir: string
  dbPath: string
  appVersion: string
  db: SqliteDb
  /** Opens the database file again once the restored one is in place. */
  reopen(): SqliteDb
}

export interface RestoreOutcome {
  db: SqliteDb
  restored: BackupRecord & { path: string }
  preRestore: BackupRecord & { path: string }
}

/**
 * Restores a catalogued backup over an open database: verify it (sha256,
 * integrity_check), refuse a newer schema, check the space, back up what it
 * replaces, close, swap atomically, reopen. The caller stops writers first and
 * migrates afterwards.
 */
export interface RestoreOptions {
  highestKnownVersion: number
  onPhase?: (message: string) => void
  /** Runs once the backup is proven good and fits, right before anything changes: the place to stop writers. */
  beforeChange?: () => Promise<void>
}

export async function restoreSqlite(
  target: OpenDatabase,
  file: string,
  options: RestoreOptions,
): Promise<RestoreOutcome> {
  options.onPhase?.(`Verifying ${basename(file)}`)
  const restored = await verifiedBackup(target.dataDir, file)
  if (restored.schemaVersion > options.highestKnownVersion) {
    throw new BackupError(
      `${restored.file} has schema version ${restored.schemaVersion}, newer than this app knows (${options.highestKnownVersion}). It was made by a newer Tradedeck; install that version to restore it. Nothing was changed.`,
    )
  }
  // The pre-restore backup and the staged copy both need room.
  ensureFreeSpace(
    backupDirFor(target.dataDir),
    target.dbPath,
    1 + restored.sizeBytes / Math.max(1, databaseSizeBytes(target.dbPath)),
  )
  await options.beforeChange?.()
  options.onPhase?.('Backing up the current database first')
  const preRestore = await backupSqlite({
    dataDir: target.dataDir,
    dbPath: target.dbPath,
    reason: 'pre-restore',
    appVersion: target.appVersion,
  })
  options.onPhase?.(`Putting ${restored.file} in place`)
  target.db.pragma('wal_checkpoint(TRUNCATE)')
  target.db.close()
  let db: SqliteDb
  try {
    swapInBackup(restored.path, target.dbPath)
  } finally {
    db = target.reopen()
  }
  return { db, restored, preRestore }
}
