import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { openSqlite, type SqliteDb } from '../db/sqlite'
import { fsyncDir, fsyncFile } from '../fs-atomic'
import { readCatalogue, type BackupRecord } from './catalogue'
import { BackupError, backupDirFor, sha256OfFile } from './sqlite-backup'

/** Finds a backup by file name in the catalogue and proves it is intact. */
export async function verifiedBackup(dataDir: string, file: string): Promise<BackupRecord & { path: string }> {
  const dir = backupDirFor(dataDir)
  const record = readCatalogue(dir).find((entry) => entry.file === basename(file))
  if (!record) throw new BackupError(`${file} is not in the backup catalogue of ${dir}.`)
  const path = join(dir, record.file)
  if (!existsSync(path)) throw new BackupError(`The backup file ${path} is missing.`)
  const sha256 = await sha256OfFile(path)
  if (sha256 !== record.sha256) throw new BackupError(`The backup ${record.file} does not match its recorded sha256 (it changed on disk); it was not used.`)
  const copy = openSqlite(path, { readonly: true })
  try {
    const result = copy.prepare('PRAGMA integrity_check').pluck().all() as string[]
    if (result.length !== 1 || result[0] !== 'ok') throw new BackupError(`The backup ${record.file} failed its integrity check: ${result.slice(0, 3).join('; ')}`)
  } finally {
    copy.close()
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
