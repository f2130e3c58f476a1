import { join } from 'node:path'
import type {
  BackupInfo,
  BackupProgress,
  RestoreSummary,
  RollbackView,
  StartupMigrationState,
} from '../../../../shared/contract'
import { errorMessage } from '../../../../shared/errors'
import { Refusal } from '../calls/refusal'
import type { CoreContext } from '../context'
import { openSqlite } from '../db/sqlite'
import { bundledMigrations } from '../migrations/manifest'
import { describeFingerprintDiff } from '../migrations/fingerprint'
import { schemaChangesInWords } from '../migrations/schema-change-words'
import { tableRowCount } from '../migrations/sqlite-driver'
import { MigrationError } from '../migrations/errors'
import { sqliteMigrator } from '../migrations/open'
import type { MigrationDef } from '../migrations/types'
import { sqliteStoreDb } from '../store/connection'
import { createStore } from '../store/store'
import { readCatalogue, type BackupReason, type BackupRecord } from './catalogue'
import { pruneBackups, removeBackups } from './prune'
import { recordedTask } from '../operations/task-history'
import { reconcileBackups } from './reconcile'
import { restoreSqlite, verifiedBackup } from './restore'
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention'
import { BackupError, backupDirFor, backupSqlite } from './sqlite-backup'

const DAY_MS = 86_400_000

/** Taking a backup before a change that cannot be undone otherwise (an import, deleting a profile). */
export type BackupBeforeChange = Pick<BackupService, 'create' | 'discardUnused'>

/**
 * Runs the write a backup was taken for. A write that fails has rolled back its
 * transaction, so the backup guards nothing and is removed; the write's error stands.
 */
export async function writeOrDiscardBackup<T>(
  backups: BackupBeforeChange,
  file: string,
  actor: string,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write()
  } catch (error) {
    await backups.discardUnused(file, actor).catch(() => undefined)
    throw error
  }
}

/**
 * What a restore or a rollback does to the rest of the desk, which the wiring knows and the backups do not:
 * the work that writes (strategies, sync) stops before the database changes and comes back after it.
 */
export interface DeskWork {
  /** Stops everything that writes: `terminate` before a restore swaps the file, `shutdown` (instances stay active, to resume) before a rollback. */
  stop(how: 'terminate' | 'shutdown'): Promise<void>
  /** Brings the database now in place to this build's schema, as a launch does. */
  migrate(defs: MigrationDef[]): Promise<StartupMigrationState>
  /** Starts again what `stop` stopped; the instances that resumed. */
  resume(): Promise<string[]>
  /** The database was replaced: whatever was built on the old store must go. */
  storeReplaced(): void
}

export interface BackupServiceOptions {
  retention?: RetentionPolicy
  migrations?: MigrationDef[]
  now?: () => Date
}

export function backupInfo(record: BackupRecord, dataDir: string): BackupInfo {
  return {
    file: record.file,
    path: join(backupDirFor(dataDir), record.file),
    createdAt: record.createdAt,
    reason: record.reason,
    sha256: record.sha256,
    size: record.sizeBytes,
    schemaVersion: record.schemaVersion,
    appVersion: record.appVersion,
    rowCounts: record.rowCounts,
    verified: record.quickCheck === 'ok',
  }
}

/** Newest first. Reading the catalogue needs no lock, so the command line may list while the app runs. */
export function listBackups(dataDir: string): BackupInfo[] {
  return readCatalogue(backupDirFor(dataDir))
    .map((record) => backupInfo(record, dataDir))
    .reverse()
}

/** Checks a backup file against its catalogued sha256 and with integrity_check; like listing, it needs no lock. */
export async function verifyBackup(dataDir: string, file: string): Promise<BackupInfo> {
  return backupInfo(await verifiedBackup(dataDir, file), dataDir)
}

/**
 * Backups as a feature of the running app: one operation at a time, each
 * announced as progress events, with the catalogue reconciled first so a
 * crash in an earlier run never leaves it out of step with the files.
 */
export class BackupService {
  private running: string | null = null
  private readonly retention: RetentionPolicy
  private readonly migrations: MigrationDef[]
  private readonly now: () => Date

  /** The context is read through a function because a restore replaces its database and store. */
  constructor(
    private readonly context: () => CoreContext,
    private readonly work: DeskWork,
    options: BackupServiceOptions = {},
  ) {
    this.retention = options.retention ?? DEFAULT_RETENTION
    this.migrations = options.migrations ?? bundledMigrations.sqlite
    this.now = options.now ?? (() => new Date())
  }

  private get ctx(): CoreContext {
    return this.context()
  }

  private progress(progress: BackupProgress) {
    this.ctx.events.emit('backups:progress', progress)
  }

  /** Runs one backup operation at a time and reports its start, end or failure. */
  private async exclusive<T>(
    operation: BackupProgress['operation'],
    run: () => Promise<T>,
    done: (result: T) => string,
  ): Promise<T> {
    if (this.running) throw new Refusal('conflict', `A ${this.running} is already running; wait for it to finish.`)
    this.running = operation
    this.progress({ operation, phase: 'running', percent: null, message: `Starting the ${operation}` })
    try {
      await reconcileBackups(this.ctx.dataDir, this.ctx.dbPath)
      const result = await run()
      this.progress({ operation, phase: 'done', percent: 100, message: done(result) })
      return result
    } catch (error) {
      const message = errorMessage(error)
      this.progress({ operation, phase: 'failed', percent: null, message })
      if (error instanceof BackupError || error instanceof MigrationError) throw new Refusal('conflict', message)
      throw error
    } finally {
      this.running = null
    }
  }

  list(): BackupInfo[] {
    return listBackups(this.ctx.dataDir)
  }

  create(reason: BackupReason = 'manual', actor = 'system'): Promise<BackupInfo> {
    return this.exclusive(
      'backup',
      async () => {
        const record = await backupSqlite({
          dataDir: this.ctx.dataDir,
          dbPath: this.ctx.dbPath,
          reason,
          appVersion: this.ctx.appVersion,
          now: this.now(),
          onPhase: (message) => this.progress({ operation: 'backup', phase: 'running', percent: null, message }),
        })
        await this.ctx.store.auditLog.record({
          userId: null,
          actor,
          subject: 'backup',
          action: 'create',
          details: { file: record.file, reason, sha256: record.sha256, size: record.sizeBytes },
        })
        return backupInfo(record, this.ctx.dataDir)
      },
      (info) => `Backed up to ${info.file}.`,
    )
  }

  /**
   * Removes a backup taken before a change that then failed without writing: the
   * database is exactly as the backup before it left it, and a failed import retried
   * ten times must not leave ten copies of the desk behind.
   */
  discardUnused(file: string, actor = 'system'): Promise<void> {
    return this.exclusive(
      'prune',
      async () => {
        await removeBackups(this.ctx.dataDir, [file])
        await this.ctx.store.auditLog.record({
          userId: null,
          actor,
          subject: 'backup',
          action: 'discard',
          details: { file, reason: 'the change it was taken for failed before writing anything' },
        })
      },
      () => `Removed ${file}: the change it was taken for wrote nothing.`,
    )
  }

  verify(file: string): Promise<BackupInfo> {
    return this.exclusive(
      'verify',
      () => verifyBackup(this.ctx.dataDir, file),
      (info) => `${info.file} is intact: sha256 matches and integrity_check is ok.`,
    )
  }

  restore(file: string, actor: string): Promise<RestoreSummary> {
    return this.exclusive(
      'restore',
      () => this.restoreLocked(file, actor, 'restore'),
      (summary) => `Restored ${summary.restoredFrom.file}; the replaced database is in ${summary.preRestore.file}.`,
    )
  }

  /** Puts back the database the last restore replaced (itself backed up first, so undo can be undone). */
  undoRestore(actor: string): Promise<RestoreSummary> {
    return this.exclusive(
      'restore',
      async () => {
        const last = readCatalogue(backupDirFor(this.ctx.dataDir))
          .filter((record) => record.reason === 'pre-restore')
          .at(-1)
        if (!last) throw new BackupError('There is no restore to undo: no pre-restore backup is in the catalogue.')
        return this.restoreLocked(last.file, actor, 'undo_restore')
      },
      (summary) => `Put back ${summary.restoredFrom.file}; the database it replaced is in ${summary.preRestore.file}.`,
    )
  }

  private async restoreLocked(
    file: string,
    actor: string,
    action: 'restore' | 'undo_restore',
  ): Promise<RestoreSummary> {
    const ctx = this.ctx
    // A backup that fails its checks stops nothing; once strategies are stopped, a failure before the swap restarts them.
    let stopped = false
    let outcome: Awaited<ReturnType<typeof restoreSqlite>>
    try {
      outcome = await restoreSqlite(
        {
          dataDir: ctx.dataDir,
          dbPath: ctx.dbPath,
          appVersion: ctx.appVersion,
          db: ctx.db,
          reopen: () => this.reopen(),
        },
        file,
        {
          highestKnownVersion: Math.max(0, ...this.migrations.map((def) => def.version)),
          onPhase: (message) => this.progress({ operation: 'restore', phase: 'running', percent: null, message }),
          beforeChange: async () => {
            await this.work.stop('terminate')
            stopped = true
          },
        },
      )
    } catch (error) {
      if (stopped && ctx.db.open) await this.work.resume()
      throw error
    }
    const migration = await this.work.migrate(this.migrations)
    const resumesWork = migration.state === 'ok' && ctx.servesTrader
    const resumed = resumesWork ? await this.work.resume() : []
    if (migration.state === 'ok') {
      await ctx.store.auditLog.record({
        userId: null,
        actor,
        subject: 'restore',
        action,
        details: {
          restoredFrom: outcome.restored.file,
          preRestoreBackup: outcome.preRestore.file,
          resumedStrategies: resumed,
          migrated: migration.applied,
        },
      })
    }
    return {
      restoredFrom: backupInfo(outcome.restored, ctx.dataDir),
      preRestore: backupInfo(outcome.preRestore, ctx.dataDir),
      migrated: migration.state === 'ok' ? migration.applied : [],
      resumedStrategies: resumed.length,
    }
  }

  private reopen() {
    const ctx = this.ctx
    ctx.db = openSqlite(ctx.dbPath, ctx.nativeBinding ? { nativeBinding: ctx.nativeBinding } : {})
    ctx.store = createStore(sqliteStoreDb(ctx.db))
    this.work.storeReplaced()
    ctx.profileId = null
    return ctx.db
  }

  prune(actor = 'system'): Promise<{ pruned: string[]; kept: number }> {
    return this.exclusive(
      'prune',
      async () => {
        const result = await pruneBackups(this.ctx.dataDir, this.now(), this.retention)
        if (result.pruned.length > 0)
          await this.ctx.store.auditLog.record({
            userId: null,
            actor,
            subject: 'backup',
            action: 'prune',
            details: { pruned: result.pruned },
          })
        return result
      },
      (result) =>
        result.pruned.length === 0
          ? 'Nothing to prune.'
          : `Pruned ${result.pruned.length} backups; ${result.kept} kept.`,
    )
  }

  /**
   * Rolls back the newest migration through the runner (pre-rollback backup,
   * refusal when irreversible, lossy only with force). Strategies stop first;
   * this build needs the newer schema, so the app then waits on the start
   * screen, where Retry applies the migration again.
   */
  rollbackLast(force: boolean, actor: string): Promise<RollbackView> {
    return this.exclusive(
      'rollback',
      async () => {
        const ctx = this.ctx
        const migrator = sqliteMigrator(ctx.db, ctx.dataDir, {
          appVersion: ctx.appVersion,
          defs: this.migrations,
          dbPath: ctx.dbPath,
          onProgress: (progress) =>
            this.progress({ operation: 'rollback', phase: 'running', percent: null, message: progress.message }),
        })
        await this.work.stop('shutdown')
        const result = await migrator.rollback({ steps: 1 }, { force })
        const view: RollbackView = {
          from: result.from,
          to: result.to,
          rolledBack: result.rolledBack.map(({ version, name, lossy }) => ({ version, name, lossy })),
          backupFile: result.backup ? (result.backup.path.split(/[\\/]/).at(-1) ?? null) : null,
          warnings: result.warnings,
          summary: result.schemaChanges
            ? schemaChangesInWords(result.schemaChanges, (table) => tableRowCount(ctx.db, table))
            : [],
          schemaChanges: result.schemaChanges
            ? describeFingerprintDiff(result.schemaChanges)
                .split('\n')
                .map((line) => line.trim())
            : [],
        }
        if (result.rolledBack.length > 0) {
          await ctx.store.auditLog.record({
            userId: null,
            actor,
            subject: 'rollback',
            action: 'rollback',
            details: { from: view.from, to: view.to, rolledBack: view.rolledBack, backup: view.backupFile, force },
          })
          const names = view.rolledBack.map((entry) => `${entry.version}_${entry.name}`).join(', ')
          ctx.profileId = null
          ctx.startupMigration = {
            state: 'failed',
            rolledBack: true,
            message: `Rolled back ${names} as asked.${view.summary.length > 0 ? ` ${view.summary.join(' ')}` : ''} This version of Tradedeck needs it: Retry applies it again, or quit and start the version you rolled back for. Strategies stay stopped until then.`,
            backupPath: result.backup?.path ?? null,
            diagnostics: JSON.stringify(
              { rolledBack: view.rolledBack, from: view.from, to: view.to, at: this.now().toISOString() },
              null,
              2,
            ),
          }
        }
        return view
      },
      (view) =>
        view.rolledBack.length === 0
          ? 'Nothing to roll back.'
          : `Rolled back to schema version ${view.to}; the database before it is in ${view.backupFile ?? 'no backup'}.`,
    )
  }

  private newestAgeMs(reasons: BackupReason[] | null): number {
    const newest = readCatalogue(backupDirFor(this.ctx.dataDir))
      .filter((record) => reasons === null || reasons.includes(record.reason))
      .at(-1)
    return newest ? this.now().getTime() - Date.parse(newest.createdAt) : Number.POSITIVE_INFINITY
  }

  /** The daily backup: taken when the newest scheduled one is a day old, then pruned. */
  async runScheduleIfDue(): Promise<BackupInfo | null> {
    if (this.running || this.ctx.startupMigration.state !== 'ok' || this.newestAgeMs(['scheduled']) < DAY_MS)
      return null
    let info: BackupInfo | null = null
    // Each step is a recorded task: a failure is in Database → Tasks and raises a notification.
    const taken = await recordedTask(this.ctx, 'scheduled_backup', async () => {
      info = await this.create('scheduled')
      return 1
    })
    if (taken === null) return null
    await recordedTask(this.ctx, 'backup_retention', async () => (await this.prune()).pruned.length)
    return info
  }

  /** On quit, a backup when the newest of any kind is older than a day. */
  async backupOnQuitIfStale(): Promise<BackupInfo | null> {
    if (
      this.running ||
      this.ctx.startupMigration.state !== 'ok' ||
      !this.ctx.db.open ||
      this.newestAgeMs(null) < DAY_MS
    )
      return null
    return this.create('scheduled')
  }
}
