import { z } from 'zod'
import type { BackupInfo, RestoreSummary } from '../../shared/contract'
import type { Core } from '../core/wiring/app'
import { APP_VERSION } from '../core/platform/app-version'
import { listBackups, verifyBackup } from '../core/platform/backups/backup-service'
import { backupDirFor } from '../core/platform/backups/sqlite-backup'
import { resolveDataDir } from '../core/platform/files/data-dir'
import { withMaintenanceCore } from '../core/wiring/maintenance'
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
function backupJson(info: BackupInfo) {
  return {
    path: info.path,
    sha256: info.sha256,
    size: info.size,
    schemaVersion: info.schemaVersion,
    reason: info.reason,
    createdAt: info.createdAt,
  }
}

function sizeText(bytes: number): string {
  return bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`
}

export function restoreOutput(summary: RestoreSummary): CommandOutput {
  const json = {
    restoredFrom: backupJson(summary.restoredFrom),
    preRestore: backupJson(summary.preRestore),
    migrated: summary.migrated,
  }
  const after = summary.migrated.length > 0 ? ` Then applied migrations ${summary.migrated.join(', ')}.` : ''
  return {
    json,
    text: `Restored ${summary.restoredFrom.file}. The database it replaced is in ${summary.preRestore.path}.${after}`,
  }
}

export async function runBackupCommand(command: BackupCommand, raw: Record<string, unknown>): Promise<CommandOutput> {
  const options = backupCommandSchemas[command].parse(raw) as { 'data-dir'?: string; file?: string }
  const dataDir = resolveDataDir(options['data-dir'])
  const withCore = (work: (core: Core) => Promise<CommandOutput>) =>
    withMaintenanceCore({ dataDir, appVersion: APP_VERSION }, work)
  switch (command) {
    case 'backup':
      return withCore(async ({ services }) => {
        const json = backupJson(await services.backups.create('manual', 'cli'))
        return {
          json,
          text: `Backed up to ${json.path} (${sizeText(json.size)}, schema version ${json.schemaVersion}, quick_check ok).\nsha256 ${json.sha256}`,
        }
      })
    case 'backups': {
      const backups = listBackups(dataDir)
      const text =
        backups.length === 0
          ? `No backups in ${backupDirFor(dataDir)}.`
          : backups
              .map(
                (info) =>
                  `${info.createdAt}  ${info.reason.padEnd(13)}  v${String(info.schemaVersion).padEnd(3)}  ${sizeText(info.size).padStart(10)}  ${info.file}`,
              )
              .join('\n')
      return { json: backups.map(backupJson), text }
    }
    case 'verify': {
      const info = await verifyBackup(dataDir, options.file as string)
      return {
        json: { ...backupJson(info), verified: true },
        text: `${info.file} is intact: sha256 matches the catalogue and integrity_check is ok.`,
      }
    }
    case 'restore':
      return withCore(async ({ context, services }) => {
        const summary = await services.backups.restore(options.file as string, 'cli')
        const migration = context.startupMigration
        if (migration.state === 'failed' || migration.state === 'newer_database')
          throw new Error(
            `Restored ${summary.restoredFrom.file}, but it could not be brought to this version's schema: ${migration.message}`,
          )
        return restoreOutput(summary)
      })
    case 'prune':
      return withCore(async ({ services }) => {
        const result = await services.backups.prune('cli')
        return {
          json: result,
          text:
            result.pruned.length === 0
              ? `Nothing to prune; ${result.kept} backups kept.`
              : `Pruned ${result.pruned.length} backups:\n${result.pruned.join('\n')}\n${result.kept} kept.`,
        }
      })
  }
}
