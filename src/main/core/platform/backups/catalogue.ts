import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../files/fs-atomic'

export const BACKUP_REASONS = [
  'manual',
  'scheduled',
  'pre-migration',
  'pre-restore',
  'pre-rollback',
  'from-central',
  'pre-import',
  'pre-profile-delete',
] as const
export type BackupReason = (typeof BACKUP_REASONS)[number]

export const backupRecord = z.object({
  file: z.string(),
  createdAt: z.string(),
  reason: z.enum(BACKUP_REASONS),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  schemaVersion: z.number().int(),
  appVersion: z.string(),
  rowCounts: z.record(z.string(), z.number().int().nonnegative()),
  quickCheck: z.literal('ok'),
})
export type BackupRecord = z.infer<typeof backupRecord>

const catalogueFile = z.object({ version: z.literal(1), backups: z.array(backupRecord) })

export const CATALOGUE_FILE_NAME = 'catalogue.json'

/**
 * The backup catalogue is a JSON file next to the backups, not a table, so it
 * survives restoring the database itself.
 */
export function readCatalogue(backupDir: string): BackupRecord[] {
  const path = join(backupDir, CATALOGUE_FILE_NAME)
  if (!existsSync(path)) return []
  const parsed = catalogueFile.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success)
    throw new Error(
      `The backup catalogue ${path} is damaged: ${parsed.error.issues[0]?.message ?? 'unreadable'}. The backup files themselves are untouched.`,
    )
  return parsed.data.backups
}

/** Replaces the whole catalogue in one atomic write. */
export function writeCatalogue(backupDir: string, backups: BackupRecord[]): Promise<void> {
  return writeFileAtomic(join(backupDir, CATALOGUE_FILE_NAME), JSON.stringify({ version: 1, backups }, null, 2) + '\n')
}

export function appendToCatalogue(backupDir: string, record: BackupRecord): Promise<void> {
  return writeCatalogue(backupDir, [...readCatalogue(backupDir), record])
}

/** The reason is part of every backup's file name: tradedeck-<UTC timestamp>-<reason>.sqlite. */
export const BACKUP_FILE_PATTERN = /^tradedeck-(\d{8}T\d{9}Z)-([a-z-]+)\.sqlite$/

export function reasonOfFile(file: string): BackupReason | null {
  const reason = BACKUP_FILE_PATTERN.exec(file)?.[2]
  return (BACKUP_REASONS as readonly string[]).includes(reason ?? '') ? (reason as BackupReason) : null
}
