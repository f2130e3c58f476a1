import { join } from 'node:path'
import { watchedPositionsNote } from '../domains/exchanges/watched-positions'
import type { HostKind } from '../../../shared/contract'
import { BacktestService } from '../domains/backtests/backtest-service'
import { BackupService } from '../platform/backups/backup-service'
import type { RetentionPolicy } from '../platform/backups/retention'
import { keyFileSecretBox, SECRET_KEY_FILE, type SecretBox } from '../platform/central/secret-box'
import type { CoreContext } from '../platform/context'
import { DB_FILE_NAME, EXPORTS_DIR_NAME, IMPORTS_DIR_NAME } from '../platform/files/data-dir'
import { openSqlite, useNativeBinding } from '../platform/db/sqlite'
import type { HandlerTable } from '../platform/calls/handler-table'
import { CoreEvents } from '../platform/events'
import { createHandlers } from './handlers'
import { acquireInstanceLock } from '../platform/files/instance-lock'
import { runStartupMigrations } from './startup'
import { tightenDataDir } from '../platform/files/private-files'
import { BACKUP_DIR_NAME } from '../platform/backups/sqlite-backup'
import { sqliteStoreDb } from '../platform/store/connection'
import { createStore } from '../platform/store/store'
import { TradingRegistry } from './trading-registry'
import { resumeWork } from './resume-work'
import { expireWaitingIdeas, pruneStrategyLogs, snapshotWhileActive } from '../domains/trading/background-tasks'
import { pruneTaskHistory } from '../platform/operations/task-history'
import { applyMarketDataRetention } from '../platform/operations/market-data-retention'
import { removeLeftoverStaged } from '../domains/imports/staged-imports'
import type { AnyStrategyKind } from '../domains/strategies/kinds/kind'
import { BUILT_IN_KINDS, KindRegistry } from '../domains/strategies/kinds/registry'
import { StrategyInstances } from '../domains/strategies/instances'
import { StrategyRuntime } from '../domains/strategies/runtime'
import { SyncService, type SyncOptions } from '../platform/sync/sync-service'
import type { WorkerEntry } from '../domains/strategies/worker-entry'
import { announceLater } from '../domains/notifications/notifier'
import { errorMessage } from '../../../shared/errors'
import { deskWork } from './desk-work'
import type { CoreServices } from './services'

export interface CoreOptions {
  dataDir: string
  host: HostKind
  appVersion: string
  /** better-sqlite3 addon built for Electron, when the host is Electron. */
  nativeBinding?: string
  /** How often waiting ideas are checked for expiry. */
  expiryCheckMs?: number
  /** How often the account is snapshotted while a strategy runs. */
  snapshotEveryMs?: number
  /**
   * Given by the hosts that serve a trader (the desktop app, browser mode). The
   * command line leaves it out: it works on the data while the app is closed
   * and never starts a strategy or the sync loop.
   */
  strategies?: StrategyRuntimeSettings
  backups?: { retention?: RetentionPolicy; scheduleCheckMs?: number }
  /** The desktop host passes the OS keychain (Electron safeStorage); otherwise a key file in the data directory. */
  secretBox?: SecretBox
  sync?: SyncOptions
}

export interface StrategyRuntimeSettings {
  /** The strategy worker's code; hosts point at the bundled file, tests at the source. */
  worker: WorkerEntry
  /** Extra strategy kinds, e.g. the faulty ones the tests use; `kindModules` loads the same ones in the workers. */
  extraKinds?: AnyStrategyKind[]
  kindModules?: string[]
  /** Days of strategy logs kept. */
  logRetentionDays?: number
  heartbeatMs?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  maxConsecutiveFailures?: number
}

const DEFAULT_EXPIRY_CHECK_MS = 15_000
const DEFAULT_SNAPSHOT_EVERY_MS = 60_000
const DEFAULT_BACKUP_CHECK_MS = 3_600_000

const LOG_PRUNE_EVERY_MS = 6 * 3_600_000
const DEFAULT_LOG_RETENTION_DAYS = 14

export interface Core {
  context: CoreContext
  services: CoreServices
  handlers: HandlerTable
  events: CoreEvents
  /** Runs launch work (pending migrations, resuming strategies); hosts call it once their event relays are attached. */
  start(): Promise<void>
  /** A graceful quit: strategies stop but will resume on the next launch. */
  shutdown(): Promise<void>
  /** What quitting would leave unwatched, in words, for every profile; null when nothing. */
  quitWarning(): Promise<string | null>
  close(): void
}

/**
 * Opens the data directory: takes its lock and opens the database. Each host
 * calls this once and then only talks to the handler table and the events.
 */
export function openCore(options: CoreOptions): Core {
  const {
    extraKinds = [],
    logRetentionDays = DEFAULT_LOG_RETENTION_DAYS,
    ...runtimeSettings
  } = options.strategies ?? { worker: null }
  const kinds = new KindRegistry([...BUILT_IN_KINDS, ...extraKinds])
  if (options.nativeBinding) useNativeBinding(options.nativeBinding)
  tightenDataDir(
    options.dataDir,
    [DB_FILE_NAME, `${DB_FILE_NAME}-wal`, `${DB_FILE_NAME}-shm`, SECRET_KEY_FILE],
    [BACKUP_DIR_NAME, EXPORTS_DIR_NAME, IMPORTS_DIR_NAME],
  )
  const lock = acquireInstanceLock(options.dataDir, options.host, options.nativeBinding)
  removeLeftoverStaged(options.dataDir)
  const timers: NodeJS.Timeout[] = []
  try {
    const dbPath = join(options.dataDir, DB_FILE_NAME)
    const events = new CoreEvents()
    const db = openSqlite(dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
    const context: CoreContext = {
      appVersion: options.appVersion,
      host: options.host,
      dataDir: options.dataDir,
      dbPath,
      events,
      db,
      store: createStore(sqliteStoreDb(db)),
      startupMigration: { state: 'running' },
      afterDatabaseChange: null,
      nativeBinding: options.nativeBinding,
      profileId: null,
      profiles: new Set(),
      servesTrader: options.strategies !== undefined,
      secrets: options.secretBox ?? keyFileSecretBox(options.dataDir),
    }
    // Services read the store through the context, because a restore replaces it.
    const store = () => context.store
    const trading = new TradingRegistry(store, events, () => context.secrets)
    const strategies = new StrategyRuntime({ store, trading, events, kinds, ...runtimeSettings })
    const services: CoreServices = {
      trading,
      kinds,
      strategies,
      strategyInstances: new StrategyInstances({ store, events, kinds, runtime: () => strategies }),
      backtests: new BacktestService({ store, events, kinds, appVersion: options.appVersion }),
      backups: new BackupService(
        () => context,
        deskWork(context, () => services),
        options.backups?.retention ? { retention: options.backups.retention } : {},
      ),
      sync: new SyncService(() => context, options.sync),
    }
    const backupIfDue = () =>
      services.backups.runScheduleIfDue().catch((error: unknown) => {
        console.error(`Scheduled backup failed: ${errorMessage(error)}`)
        for (const userId of context.profiles)
          announceLater(context.store, events, userId, {
            event: 'backup_failure',
            title: 'The scheduled backup failed',
            body: `${errorMessage(error)} Database → Backups has the details; the next attempt is on the next schedule tick.`,
          })
      })
    return {
      context,
      events,
      services,
      handlers: createHandlers(context, services),
      async start() {
        const migration = await runStartupMigrations(context)
        timers.push(
          setInterval(
            () => void expireWaitingIdeas(context, trading),
            options.expiryCheckMs ?? DEFAULT_EXPIRY_CHECK_MS,
          ),
        )
        timers.push(
          setInterval(
            () => void snapshotWhileActive(context, trading),
            options.snapshotEveryMs ?? DEFAULT_SNAPSHOT_EVERY_MS,
          ),
        )
        timers.push(
          setInterval(
            () =>
              void pruneStrategyLogs(context, logRetentionDays)
                .then(() => pruneTaskHistory(context))
                .then(() => applyMarketDataRetention(context)),
            LOG_PRUNE_EVERY_MS,
          ),
        )
        timers.push(setInterval(() => void backupIfDue(), options.backups?.scheduleCheckMs ?? DEFAULT_BACKUP_CHECK_MS))
        for (const timer of timers) timer.unref()
        if (migration.state !== 'ok') return
        await pruneStrategyLogs(context, logRetentionDays)
        await pruneTaskHistory(context)
        await applyMarketDataRetention(context)
        await resumeWork(context, services)
        await backupIfDue()
      },
      async shutdown() {
        for (const timer of timers.splice(0)) clearInterval(timer)
        await services.sync.stop()
        if (!context.db.open) return
        await services.strategies.shutdown()
        await services.backups
          .backupOnQuitIfStale()
          .catch((error: unknown) => console.error(`Backup on quit failed: ${errorMessage(error)}`))
      },
      async quitWarning() {
        if (!context.db.open || context.startupMigration.state !== 'ok') return null
        const notes: string[] = []
        for (const userId of context.profiles) {
          const note = await watchedPositionsNote(context.store, userId)
          const profile = await context.store.users.get(userId)
          if (note) notes.push(context.profiles.size > 1 ? `${profile?.displayName ?? 'A profile'}: ${note}` : note)
        }
        return notes.length > 0 ? notes.join('\n') : null
      },
      close() {
        for (const timer of timers.splice(0)) clearInterval(timer)
        services.trading.reset()
        void services.strategies.terminateAll()
        void services.sync.stop()
        if (context.db.open) context.db.close()
        lock.release()
      },
    }
  } catch (error) {
    lock.release()
    throw error
  }
}
