import { errorMessage } from '../../../../shared/errors'
import type { CoreContext } from '../context'
import type { SyncStatusView } from '../../../../shared/contract'
import type { StrategyInstance } from '../store/repositories/strategies'
import { bundledMigrations } from '../migrations/manifest'
import { sqliteMigrator } from '../migrations/open'
import type { TaskProgress } from '../backups/worker-pool'
import { finding, worstOf, type HealthCheck, type HealthReport } from './check'
import { freeSpace, integrity, orphans, schemaDrift, unindexedForeignKeys, walSize } from './database-checks'
import { readConnection } from '../central/connection'
import { centralMigrationStatus, testCentralConnection } from '../central/central-database'
import { localSchemaVersion } from '../sync/central-session'
import { backupFolder, centralServer, newestBackup, outbox, strategiesHealth } from './operations-checks'

/** What the doctor asks of the running desk beyond its database: replication's state, and whether an instance's worker has gone quiet. */
export interface DoctorSources {
  syncStatus(): SyncStatusView
  isStale(instance: StrategyInstance): boolean
}

export interface DoctorOptions {
  /** The full integrity_check reads every page; the page runs it only when asked. */
  integrity: boolean
  /** How far the integrity check has come, table by table. */
  onIntegrityProgress?: (progress: TaskProgress) => void
  now?: Date
}

/** A check that throws is itself a failure, with what it threw: one broken check never hides the others. */
async function guarded(
  id: string,
  title: string,
  run: () => HealthCheck | HealthCheck[] | Promise<HealthCheck | HealthCheck[]>,
): Promise<HealthCheck[]> {
  try {
    const result = await run()
    return Array.isArray(result) ? result : [result]
  } catch (error) {
    return [
      finding(
        id,
        title,
        'fail',
        `the check could not run: ${errorMessage(error)}`,
        'Run tradedeck doctor again; if this repeats, the message above says what stopped it.',
      ),
    ]
  }
}

/** Every health check over the desk's database, backups, replication and strategies. Reads only. */
export async function runDoctor(
  ctx: CoreContext,
  sources: DoctorSources,
  options: DoctorOptions,
): Promise<HealthReport> {
  const now = options.now ?? new Date()
  const folder = backupFolder(ctx.dataDir)
  const checks: HealthCheck[] = []
  if (options.integrity)
    checks.push(
      ...(await guarded('integrity', 'Database integrity', () => integrity(ctx.dbPath, options.onIntegrityProgress))),
    )
  checks.push(
    ...(await guarded('orphans', 'Orphaned rows', () => orphans(ctx.db))),
    ...(await guarded('fk-indexes', 'Foreign-key indexes', () => unindexedForeignKeys(ctx.db))),
    ...(await guarded('schema', 'Schema', () =>
      schemaDrift(
        sqliteMigrator(ctx.db, ctx.dataDir, {
          appVersion: ctx.appVersion,
          defs: bundledMigrations.sqlite,
          dbPath: ctx.dbPath,
        }),
      ),
    )),
    ...(await guarded('backup-age', 'Newest backup', () => newestBackup(ctx.dataDir, now))),
    folder.check,
    ...(await guarded('wal', 'Write-ahead log', () => walSize(ctx.dbPath))),
    ...(await guarded('disk', 'Free disk space', () => freeSpace(ctx.dataDir, ctx.dbPath, folder.bytes))),
    ...(await guarded('outbox', 'Replication outbox', () => outbox(sources.syncStatus(), now))),
    ...(await guarded('central', 'Central PostgreSQL', async () => {
      if (!(await readConnection(ctx.store, ctx.secrets)).configured)
        return centralServer(null, null, localSchemaVersion(ctx.db))
      const test = await testCentralConnection(ctx, undefined)
      const centralVersion = test.ok ? (await centralMigrationStatus(ctx)).current : null
      return centralServer(test, centralVersion, localSchemaVersion(ctx.db))
    })),
    ...(await guarded('strategies', 'Strategies', async () => {
      const instances = (
        await Promise.all((await ctx.store.users.list()).map((user) => ctx.store.strategies.list(user.id)))
      ).flat()
      return strategiesHealth(instances, (instance) => sources.isStale(instance), ctx.servesTrader)
    })),
  )
  return { checkedAt: now.toISOString(), status: worstOf(checks.map((check) => check.status)), checks }
}
