import { createHash } from 'node:crypto'
import { createReadStream, mkdirSync, renameSync, rmSync, statfsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { openSqlite, quickCheck, userVersion, type SqliteDb } from '../db/sqlite'
import { fsyncDir } from '../fs-atomic'
import { appendToCatalogue, type BackupReason, type BackupRecord } from './catalogue'

export const BACKUP_DIR_NAME = 'backups'
const BACKUP_PAGES_PER_STEP = 4096

export class BackupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackupError'
  }
}

export function backupDirFor(dataDir: string): string {
  return join(dataDir, BACKUP_DIR_NAME)
}

export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject)
  })
}

export function databaseSizeBytes(dbPath: string): number {
  let total = 0
  for (const path of [dbPath, `${dbPath}-wal`]) {
    try {
      total += statSync(path).size
    } catch {
      // No WAL file yet.
    }
  }
  return total
}

/** Refuses when the folder has less than `factor` × the database free. */
export function ensureFreeSpace(dir: string, dbPath: string, factor = 2): void {
  const needed = databaseSizeBytes(dbPath) * factor
  const stats = statfsSync(dir)
  const free = stats.bavail * stats.bsize
  if (free < needed) {
    throw new BackupError(
      `Not enough free disk space in ${dir}: ${Math.floor(free / 1048576)} MiB free, ${Math.ceil(needed / 1048576)} MiB needed (${factor}× the database). Nothing was changed.`,
    )
  }
}

function timestampForFile(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('.', '')
}

export function userTableRowCounts(db: SqliteDb): Record<string, number> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[]
  return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT COUNT(*) FROM "${table.replace(/"/g, '""')}"`).pluck().get() as number]))
}

export interface BackupOptions {
  dataDir: string
  dbPath: string
  reason: BackupReason
  appVersion: string
  now?: Date
  /** Whole percent copied so far, reported between steps of the copy. */
  onProgress?: (percent: number) => void
}

/**
 * A consistent copy through SQLite's online backup API (never a file copy of a
 * live WAL database), verified with quick_check and recorded with its sha256.
 */
export async function backupSqlite(db: SqliteDb, options: BackupOptions): Promise<BackupRecord & { path: string }> {
  const dir = backupDirFor(options.dataDir)
  mkdirSync(dir, { recursive: true })
  ensureFreeSpace(dir, options.dbPath)
  const createdAt = options.now ?? new Date()
  const file = `tradedeck-${timestampForFile(createdAt)}-${options.reason}.sqlite`
  const path = join(dir, file)
  const partial = `${path}.partial`
  try {
    // Large steps keep the copy fast; between steps the event loop (and strategy writers, thanks to WAL) carry on.
    await db.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        options.onProgress?.(totalPages === 0 ? 100 : Math.floor(((totalPages - remainingPages) / totalPages) * 100))
        return BACKUP_PAGES_PER_STEP
      },
    })
    // A backup is one self-contained file: no -wal or -shm beside it.
    const copy = openSqlite(partial)
    copy.pragma('journal_mode = DELETE')
    let record: BackupRecord
    try {
      const check = quickCheck(copy)
      if (!check.ok) throw new BackupError(`The backup failed its integrity check: ${check.messages.slice(0, 3).join('; ')}`)
      record = {
        file,
        createdAt: createdAt.toISOString(),
        reason: options.reason,
        sha256: '',
        sizeBytes: 0,
        schemaVersion: userVersion(copy),
        appVersion: options.appVersion,
        rowCounts: userTableRowCounts(copy),
        quickCheck: 'ok',
      }
    } finally {
      copy.close()
    }
    renameSync(partial, path)
    fsyncDir(dir)
    record.sha256 = await sha256OfFile(path)
    record.sizeBytes = statSync(path).size
    appendToCatalogue(dir, record)
    return { ...record, path }
  } catch (error) {
    rmSync(partial, { force: true })
    if (error instanceof BackupError) throw error
    throw new BackupError(`The backup could not be written to ${dir}: ${error instanceof Error ? error.message : String(error)}. Nothing was changed.`)
  }
}
