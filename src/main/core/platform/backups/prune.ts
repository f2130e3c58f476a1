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
  const pruned = new Set(decision.prune)
  // Catalogue first: a crash before the files go leaves them uncatalogued, and the next reconcile adopts them again.
  await writeCatalogue(
    dir,
    records.filter((record) => !pruned.has(record.file)),
  )
  for (const file of decision.prune) rmSync(join(dir, file), { force: true })
  return { pruned: decision.prune, kept: decision.keep.length }
}
