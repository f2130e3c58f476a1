import type { BacktestService } from '../domains/backtests/backtest-service'
import type { KindRegistry } from '../domains/strategies/kinds/registry'
import type { StrategyInstances } from '../domains/strategies/instances'
import type { StrategyRuntime } from '../domains/strategies/runtime'
import type { BackupService } from '../platform/backups/backup-service'
import type { SyncService } from '../platform/sync/sync-service'
import type { TradingRegistry } from './trading-registry'

/** The services the wiring builds over the context; each is handed only the others it needs. */
export interface CoreServices {
  trading: TradingRegistry
  kinds: KindRegistry
  /** Running instances; creating, editing and deleting them is `strategyInstances`. */
  strategies: StrategyRuntime
  strategyInstances: StrategyInstances
  backups: BackupService
  /** Strategies over history, apart from everything live. */
  backtests: BacktestService
  /** Replication to the central PostgreSQL, when one is connected. */
  sync: SyncService
}
