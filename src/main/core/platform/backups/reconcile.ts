import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { BACKUP_FILE_PATTERN, readCatalogue, reasonOfFile, writeCatalogue, type BackupRecord } from './catalogue'
import { inspectCopy, isIntact, sha256InWorker } from './worker-tasks'
import { backupDirFor } from './sqlite-backup'

export interface ReconcileReport {
  /** Unfinished copies (a backup, a catalogue write or a restore cut short) that were removed. */
  removedPartials: string[]
  /** Complete backup files the catalogue did not list yet (cut short between the rename and the catalogue write). */
  adopted: string[]
  /** Catalogue entries whose file is gone. */
  dropped: string[]
  /** Backup files that fail their integrity check, renamed to *.damaged and kept for inspection. */
  damaged: string[]
}

/** "20261122T173106881Z" → "2026-11-22T17:31:06.881Z" */
function createdAtOf(file: string): string {
  const stamp = BACKUP_FILE_PATTERN.exec(file)?.[1] ?? ''
  return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.${stamp.slice(15, 18)}Z`
}

async function describeOrphan(dir: string, file: string): Promise<BackupRecord | null> {
  const path = join(dir, file)
  try {
    const inspection = await inspectCopy(path, { requireTradedeck: true })
    if (!isIntact(inspection)) return null
    return {
      file,
      createdAt: createdAtOf(file),
      reason: reasonOfFile(file) ?? 'manual',
      sha256: await sha256InWorker(path),
      sizeBytes: statSync(path).size,
      schemaVersion: inspection.schemaVersion,
      appVersion: 'unknown',
      rowCounts: inspection.rowCounts,
      quickCheck: 'ok',
    }
  } catch {
    // Not a database at all.
    return null
  }
}

/** Keeps a backup file that must not be used for inspection, out of the catalogue's way. */
export async function setAside(dir: string, file: string): Promise<string> {
  const damaged = `${file}.damaged`
  renameSync(join(dir, file), join(dir, damaged))
  const catalogue = readCatalogue(dir)
  if (catalogue.some((record) => record.file === file))
    await writeCatalogue(
      dir,
      catalogue.filter((record) => record.file !== file),
    )
  return damaged
}

/**
 * Makes the backup folder and its catalogue agree again after a crash or a
 * kill at any point of a backup, prune or restore. Nothing complete is deleted:
 * an uncatalogued backup that passes quick_check is adopted, a damaged one is
 * set aside, and only unfinished copies are removed.
 */
export async function reconcileBackups(dataDir: string, dbPath: string): Promise<ReconcileReport> {
  const report: ReconcileReport = { removedPartials: [], adopted: [], dropped: [], damaged: [] }
  const staged = `${dbPath}.restoring`
  if (existsSync(staged)) {
    rmSync(staged, { force: true })
    report.removedPartials.push(staged)
  }
  const dir = backupDirFor(dataDir)
  if (!existsSync(dir)) return report
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.partial') || file.endsWith('.tmp') || /\.sqlite-(wal|shm|journal)$/.test(file)) {
      rmSync(join(dir, file), { force: true })
      report.removedPartials.push(file)
    }
  }
  const catalogue = readCatalogue(dir)
  const listed = new Set(catalogue.map((record) => record.file))
  const kept = catalogue.filter((record) => {
    const present = existsSync(join(dir, record.file))
    if (!present) report.dropped.push(record.file)
    return present
  })
  for (const file of readdirSync(dir).sort()) {
    if (!BACKUP_FILE_PATTERN.test(file) || listed.has(file)) continue
    const record = await describeOrphan(dir, file)
    if (record) {
      kept.push(record)
      report.adopted.push(file)
    } else {
      await setAside(dir, file)
      report.damaged.push(file)
    }
  }
  if (report.dropped.length > 0 || report.adopted.length > 0) {
    kept.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.file.localeCompare(b.file))
    await writeCatalogue(dir, kept)
  }
  return report
}
