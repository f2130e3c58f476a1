import { rmSync, statfsSync, statSync } from 'node:fs'
import { rename } from 'node:fs/promises'
import { join } from 'node:path'
import { makePrivateDir, makePrivateFile } from '../files/private-files'
import { appendToCatalogue, type BackupReason, type BackupRecord } from './catalogue'
import { describeDamage, isIntact } from './worker-tasks'
import { copyVerified, type CopyHooks, type VerifiedCopy } from './snapshot-copy'
import { errorMessage } from '../../../../shared/errors'

export const BACKUP_DIR_NAME = 'backups'

export class BackupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackupError'
  }
}

export function backupDirFor(dataDir: string): string {
  return join(dataDir, BACKUP_DIR_NAME)
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

export interface BackupOptions {
  dataDir: string
  dbPath: string
  reason: BackupReason
  appVersion: string
  now?: Date
  /** Says which step the backup is in. */
  onPhase?: (message: string) => void
  hooks?: CopyHooks
}

/**
 * A consistent copy of a live database (see copyVerified), verified with
 * quick_check, fsynced, and recorded with its sha256 and row counts.
 */
export async function backupSqlite(
  options: BackupOptions,
): Promise<BackupRecord & { path: string; copy: Pick<VerifiedCopy, 'method' | 'fallbackReason'> }> {
  const dir = backupDirFor(options.dataDir)
  makePrivateDir(dir)
  ensureFreeSpace(dir, options.dbPath)
  const createdAt = options.now ?? new Date()
  const file = `tradedeck-${timestampForFile(createdAt)}-${options.reason}.sqlite`
  const path = join(dir, file)
  const partial = `${path}.partial`
  try {
    options.onPhase?.('Copying and checking the database')
    makePrivateFile(partial)
    const { inspection, sha256, method, fallbackReason } = await copyVerified(options.dbPath, partial, options.hooks)
    if (!isIntact(inspection)) throw new BackupError(`The backup is not usable: ${describeDamage(inspection)}`)
    const record: BackupRecord = {
      file,
      createdAt: createdAt.toISOString(),
      reason: options.reason,
      sha256,
      sizeBytes: statSync(partial).size,
      schemaVersion: inspection.schemaVersion,
      appVersion: options.appVersion,
      rowCounts: inspection.rowCounts,
      quickCheck: 'ok',
    }
    await rename(partial, path)
    // The catalogue's own atomic write ends with an fsync of this folder, which makes the rename above durable too.
    await appendToCatalogue(dir, record)
    return { ...record, path, copy: { method, fallbackReason } }
  } catch (error) {
    rmSync(partial, { force: true })
    if (error instanceof BackupError) throw error
    throw new BackupError(`The backup could not be written to ${dir}: ${errorMessage(error)}. Nothing was changed.`)
  }
}
