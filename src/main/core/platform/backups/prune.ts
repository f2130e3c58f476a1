import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { readCatalogue, writeCatalogue } from './catalogue'
import { decideRetention, type RetentionPolicy } from './retention'
import { backupDirFor } from './sqlite-backup'

/** Deletes the backups the retention policy no longer keeps. */
export async function pruneBackups(
  dataDir: string,
  now: Date,
  policy: RetentionPolicy,
): Promise<{ pruned: string[]; kept: number }> {
  const dir = backupDirFor(dataDir)
  const records = readCatalogue(dir)
  const decision = decideRetention(records, now, policy)
  if (decision.prune.length === 0) return { pruned: [], kept: records.length }
  await removeBackups(dataDir, decision.prune)
  return { pruned: decision.prune, kept: decision.keep.length }
}

/** Deletes these backups and their catalogue entries. */
export async function removeBackups(dataDir: string, files: string[]): Promise<void> {
  const dir = backupDirFor(dataDir)
  const gone = new Set(files)
  // Catalogue first: a crash before the files go leaves them uncatalogued, and the next reconcile adopts them again.
  await writeCatalogue(
    dir,
    readCatalogue(dir).filter((record) => !gone.has(record.file)),
  )
  for (const file of files) rmSync(join(dir, file), { force: true })
}
