import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { CentralTestResult, SyncStatusView } from '../../../../shared/contract'
import { BACKUP_FILE_PATTERN, readCatalogue } from '../backups/catalogue'
import { backupDirFor } from '../backups/sqlite-backup'
import type { StrategyInstance } from '../store/repositories/strategies'
import { finding, hoursSince, type HealthCheck } from './check'

/** The app takes a backup a day while it runs; a little slack covers a late start. */
const BACKUP_WARN_HOURS = 26
const BACKUP_FAIL_HOURS = 72

export function newestBackup(dataDir: string, now: Date): HealthCheck {
  const newest = readCatalogue(backupDirFor(dataDir)).at(-1)
  const fix =
    'Back up now (Database → Backups → Back up now, or tradedeck backup). Tradedeck takes one a day by itself while it runs.'
  if (!newest) return finding('backup-age', 'Newest backup', 'fail', 'no verified backup in the catalogue', fix)
  const hours = hoursSince(newest.createdAt, now)
  const status = hours > BACKUP_FAIL_HOURS ? 'fail' : hours > BACKUP_WARN_HOURS ? 'warn' : 'ok'
  return finding(
    'backup-age',
    'Newest backup',
    status,
    `${hours.toFixed(1)} h old (${newest.reason}, ${newest.createdAt}); the schedule is daily`,
    fix,
  )
}

/** Files and catalogue entries that do not match: a copy missing from one or the other cannot be restored from the app. */
export function backupFolder(dataDir: string): { check: HealthCheck; bytes: number } {
  const dir = backupDirFor(dataDir)
  const catalogued = readCatalogue(dir)
  let files: string[] = []
  try {
    files = readdirSync(dir).filter((file) => BACKUP_FILE_PATTERN.test(file))
  } catch {
    // No backup folder yet.
  }
  const known = new Set(catalogued.map((record) => record.file))
  const onDisk = new Set(files)
  const details = [
    ...files.filter((file) => !known.has(file)).map((file) => `${file} is in the folder but not in the catalogue`),
    ...catalogued
      .filter((record) => !onDisk.has(record.file))
      .map((record) => `${record.file} is in the catalogue but missing from the folder`),
  ]
  const bytes = files.reduce((total, file) => total + statSync(join(dir, file)).size, 0)
  const figure = `${catalogued.length} catalogued, ${files.length} file(s) in ${dir}`
  if (details.length === 0) return { check: finding('backup-folder', 'Backup folder', 'ok', figure), bytes }
  return {
    check: finding(
      'backup-folder',
      'Backup folder',
      'warn',
      `${figure}; ${details.length} difference(s)`,
      'Take a backup (Database → Backups, or tradedeck backup): each backup first reconciles the folder, adopting intact uncatalogued copies, setting damaged ones aside and dropping entries whose file is gone.',
      details,
    ),
    bytes,
  }
}

const OUTBOX_WARN_MINUTES = 15
const OUTBOX_FAIL_HOURS = 24

/** Changes waiting for the central database. */
export function outbox(status: SyncStatusView, now: Date): HealthCheck {
  if (status.state === 'off')
    return finding('outbox', 'Replication outbox', 'ok', 'not connected to a central database')
  const ageHours = status.oldestQueuedAt ? hoursSince(status.oldestQueuedAt, now) : 0
  const outboxStatus = ageHours > OUTBOX_FAIL_HOURS ? 'fail' : ageHours * 60 > OUTBOX_WARN_MINUTES ? 'warn' : 'ok'
  return finding(
    'outbox',
    'Replication outbox',
    outboxStatus,
    `${status.lagRows} change(s) waiting${status.oldestQueuedAt ? `, the oldest queued ${status.oldestQueuedAt} (${(ageHours * 60).toFixed(0)} min ago)` : ''}`,
    'Changes are not reaching the central database: see Database → Central for the last error, check the server and the connection, then Sync now (or tradedeck sync run with the app closed).',
  )
}

/** The central server as it answers now: reachable, its version, and its schema against this desk's. */
export function centralServer(
  test: CentralTestResult | null,
  centralVersion: number | null,
  localVersion: number,
): HealthCheck {
  if (!test) return finding('central', 'Central PostgreSQL', 'ok', 'no central database configured')
  if (!test.ok) {
    return finding(
      'central',
      'Central PostgreSQL',
      'fail',
      `unreachable: ${test.message}`,
      'Start the central PostgreSQL server, or correct the connection in Database → Central and press Test. Changes queue in the outbox meanwhile and are sent when it answers.',
    )
  }
  const figure = `PostgreSQL ${test.serverVersion ?? '?'} answered in ${test.latencyMs ?? '?'} ms; its schema is at version ${centralVersion ?? '?'}, this desk's at ${localVersion}`
  if (centralVersion !== localVersion) {
    return finding(
      'central',
      'Central PostgreSQL',
      'fail',
      figure,
      centralVersion !== null && centralVersion < localVersion
        ? 'Migrate the central database to this version: Database → Central → Migrate, or tradedeck pg migrate --pg URL. Replication waits until the schemas match.'
        : 'The central database is newer than this desk: update Tradedeck here. Replication waits until the schemas match.',
    )
  }
  return finding('central', 'Central PostgreSQL', 'ok', figure)
}

/** Instances in error, and active ones whose heartbeat stopped. */
export function strategiesHealth(
  instances: readonly StrategyInstance[],
  isStale: (instance: StrategyInstance) => boolean,
  appRunning: boolean,
): HealthCheck {
  const failed = instances.filter((instance) => instance.status === 'error')
  const stale = instances.filter((instance) => instance.status === 'active' && isStale(instance))
  const name = (instance: StrategyInstance) =>
    `${instance.strategyName} on ${instance.instrument} (${instance.environment}, id ${instance.id})`
  const details = [
    ...failed.map((instance) => `${name(instance)} is in error: ${instance.errorMessage ?? 'no message'}`),
    ...stale.map((instance) => `${name(instance)} last beat ${instance.lastHeartbeat ?? 'never'}`),
  ]
  const figure = `${instances.length} instance(s): ${failed.length} in error, ${stale.length} active without a recent heartbeat`
  if (details.length === 0) return finding('strategies', 'Strategies', 'ok', figure)
  const staleFix = appRunning
    ? 'Stop and start each stale instance in Strategies; if it stalls again, its Logs say why.'
    : 'Active instances resume by themselves when Tradedeck starts.'
  return finding(
    'strategies',
    'Strategies',
    failed.length > 0 ? 'fail' : 'warn',
    figure,
    `${failed.length > 0 ? 'Open each instance in error in Strategies, read its error and logs, fix the config, then start it again. ' : ''}${stale.length > 0 ? staleFix : ''}`.trim(),
    details,
  )
}
