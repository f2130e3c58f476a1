import type { HostKind, StartupMigrationState } from '../../shared/contract'
import type { BacktestService } from './backtests/backtest-service'
import type { BackupService } from './backups/backup-service'
import type { SecretBox } from './central/secret-box'
import type { SqliteDb } from './db/sqlite'
import type { CoreEvents } from './events'
import type { Store } from './store/store'
import type { SyncService } from './sync/sync-service'
import type { KindRegistry } from './strategies/kinds/registry'
import type { StrategyInstances } from './strategies/instances'
import type { StrategyRuntime } from './strategies/runtime'
import type { TradingRegistry } from './trading/trading-registry'

/** What every core service may know about the running instance. */
export interface CoreContext {
  appVersion: string
  host: HostKind
  dataDir: string
  dbPath: string
  events: CoreEvents
  /** The open database; replaced when a backup is restored, so always read it from here. */
  db: SqliteDb
  /** The repositories over `db`; replaced together with it. */
  store: Store
  startupMigration: StartupMigrationState
  /** The desk's first profile, which a call that names none acts as; null until the schema is ready. */
  profileId: string | null
  /** Every profile on this desk, so a call's named profile is checked without a query. */
  profiles: Set<string>
  /** False for the command line: it leaves resuming strategies and sync to the app's next launch. */
  servesTrader: boolean
  trading: TradingRegistry
  kinds: KindRegistry
  strategies: StrategyRuntime
  /** Creating, editing and deleting instances; running them is `strategies`. */
  strategyInstances: StrategyInstances
  nativeBinding: string | undefined
  backups: BackupService
  /** Strategies over history, apart from everything live. */
  backtests: BacktestService
  /** Seals secrets (the PostgreSQL password) before they are stored. */
  secrets: SecretBox
  /** Replication to the central PostgreSQL, when one is connected. */
  sync: SyncService
}
