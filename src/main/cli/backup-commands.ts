import { join } from 'node:path'
import { z } from 'zod'
import { APP_VERSION } from '../core/app-version'
import { readCatalogue } from '../core/backups/catalogue'
import { pruneBackups } from '../core/backups/prune'
import { reconcileBackups } from '../core/backups/reconcile'
import { restoreSqlite, verifiedBackup } from '../core/backups/restore'
import { DEFAULT_RETENTION } from '../core/backups/retention'
import { backupDirFor, backupSqlite } from '../core/backups/sqlite-backup'
import { requireDatabase, resolveDataDir } from '../core/data-dir'
import { openSqlite, type SqliteDb } from '../core/db/sqlite'
import { acquireInstanceLock } from '../core/instance-lock'
import { bundledMigrations } from '../core/migrations/manifest'
import { sqliteMigrator } from '../core/migrations/open'
import { sqliteStoreDb } from '../core/store/connection'
import { createStore } from '../core/store/store'
import type { CommandOutput } from './migration-commands'

const dataDirOption = { 'data-dir': z.string().min(1).optional() }
const backupFileArgument = z.string().min(1, 'name the backup file (see tradedeck backups)')

export const backupCommandSchemas = {
  backup: z.object(dataDirOption).strict(),
  backups: z.object(dataDirOption).strict(),
  restore: z.object({ ...dataDirOption, file: backupFileArgument }).strict(),
  verify: z.object({ ...dataDirOption, file: backupFileArgument }).strict(),
  prune: z.object(dataDirOption).strict(),
}

export type BackupCommand = keyof typeof backupCommandSchemas

export function isBackupCommand(command: string): command is BackupCommand {
  return Object.hasOwn(backupCommandSchemas, command)
}

/** The one JSON shape of a backup that backup --json and backups --json print. */
function backupJson(record: { file: string; sha256: string; sizeBytes: number; schemaVersion: number; reason: string; createdAt: string }, dataDir: string) {
  return { path: join(backupDirFor(dataDir), record.file), sha256: record.sha256, size: record.sizeBytes, schemaVersion: record.schemaVersion, reason: record.reason, createdAt: record.createdAt }
}

function sizeText(bytes: number): string {
  return bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`
}

interface LockedDatabase {
  /** Replaced by a restore, so always read it from here. */
  db: SqliteDb
  dbPath: string
}

/** Runs `fn` with the data directory's lock and its database open, after reconciling the backup folder. */
async function withLockedDatabase<T>(dataDir: string, fn: (target: LockedDatabase) => Promise<T>): Promise<T> {
  const dbPath = requireDatabase(dataDir)
  const lock = acquireInstanceLock(dataDir, 'cli')
  const target: LockedDatabase = { db: openSqlite(dbPath), dbPath }
  try {
    await reconcileBackups(dataDir, dbPath)
    return await fn(target)
  } finally {
    if (target.db.open) target.db.close()
    lock.release()
  }
}

export async function runBackupCommand(command: BackupCommand, raw: Record<string, unknown>): Promise<CommandOutput> {
  const options = backupCommandSchemas[command].parse(raw) as { 'data-dir'?: string; file?: string }
  const dataDir = resolveDataDir(options['data-dir'])
  switch (command) {
    case 'backup':
      return withLockedDatabase(dataDir, async ({ db, dbPath }) => {
        const record = await backupSqlite({ dataDir, dbPath, reason: 'manual', appVersion: APP_VERSION })
        await createStore(sqliteStoreDb(db)).auditLog.record({ userId: null, actor: 'cli', subject: 'backup', action: 'create', details: { file: record.file, reason: 'manual', sha256: record.sha256 } })
        const json = backupJson(record, dataDir)
        return { json, text: `Backed up to ${json.path} (${sizeText(json.size)}, schema version ${json.schemaVersion}, quick_check ok).\nsha256 ${json.sha256}` }
      })
    case 'backups': {
      const records = readCatalogue(backupDirFor(dataDir)).reverse()
      const json = records.map((record) => backupJson(record, dataDir))
      const text = records.length === 0 ? `No backups in ${backupDirFor(dataDir)}.` : records.map((record) => `${record.createdAt}  ${record.reason.padEnd(13)}  v${String(record.schemaVersion).padEnd(3)}  ${sizeText(record.sizeBytes).padStart(10)}  ${record.file}`).join('\n')
      return { json, text }
    }
    case 'verify': {
      const record = await verifiedBackup(dataDir, options.file as string)
      return { json: { ...backupJson(record, dataDir), verified: true }, text: `${record.file} is intact: sha256 matches the catalogue and integrity_check is ok.` }
    }
    case 'restore':
      return withLockedDatabase(dataDir, async (target) => {
        const { dbPath } = target
        const defs = bundledMigrations.sqlite
        const outcome = await restoreSqlite({ dataDir, dbPath, appVersion: APP_VERSION, db: target.db, reopen: () => (target.db = openSqlite(dbPath)) }, options.file as string, {
          highestKnownVersion: Math.max(0, ...defs.map((def) => def.version)),
        })
        const migrated = await sqliteMigrator(outcome.db, dataDir, { appVersion: APP_VERSION, defs, dbPath }).migrate()
        await createStore(sqliteStoreDb(outcome.db)).auditLog.record({ userId: null, actor: 'cli', subject: 'restore', action: 'restore', details: { restoredFrom: outcome.restored.file, preRestoreBackup: outcome.preRestore.file, migrated: migrated.applied.map((m) => m.version) } })
        const json = { restoredFrom: backupJson(outcome.restored, dataDir), preRestore: backupJson(outcome.preRestore, dataDir), migrated: migrated.applied.map((m) => m.version) }
        const after = migrated.applied.length > 0 ? ` Then applied migrations ${json.migrated.join(', ')}.` : ''
        return { json, text: `Restored ${outcome.restored.file}. The database it replaced is in ${json.preRestore.path}.${after}` }
      })
    case 'prune':
      return withLockedDatabase(dataDir, async ({ db }) => {
        const result = pruneBackups(dataDir, new Date(), DEFAULT_RETENTION)
        if (result.pruned.length > 0) await createStore(sqliteStoreDb(db)).auditLog.record({ userId: null, actor: 'cli', subject: 'backup', action: 'prune', details: { pruned: result.pruned } })
        return { json: result, text: result.pruned.length === 0 ? `Nothing to prune; ${result.kept} backups kept.` : `Pruned ${result.pruned.length} backups:\n${result.pruned.join('\n')}\n${result.kept} kept.` }
      })
  }
}
