import type { Kysely } from 'kysely'
import type { StoreDb } from './connection'
import { accountSnapshotsRepository } from './repositories/account-snapshots'
import { auditLogRepository } from './repositories/audit-log'
import { backtestRunsRepository } from './repositories/backtest-runs'
import { credentialsRepository } from './repositories/credentials'
import { decisionHistoryRepository } from './repositories/decision-history'
import { ordersRepository, positionsRepository, tradesRepository } from './repositories/execution'
import { errorLogsRepository } from './repositories/error-logs'
import { importedHistoryRepository } from './repositories/imported-history'
import { indicatorSnapshotsRepository } from './repositories/indicator-snapshots'
import { marketEventsRepository } from './repositories/market-events'
import { marketSnapshotsRepository } from './repositories/market-snapshots'
import { serviceLogsRepository } from './repositories/service-logs'
import { notificationsRepository } from './repositories/notifications'
import { riskConfigRepository } from './repositories/risk-config'
import { settingsRepository } from './repositories/settings'
import { strategiesRepository } from './repositories/strategies'
import { taskRunsRepository } from './repositories/task-runs'
import { tradeIdeasRepository } from './repositories/trade-ideas'
import { usersRepository } from './repositories/users'
import type { StoreSchema } from './schema'

function repositories(db: Kysely<StoreSchema>) {
  return {
    users: usersRepository(db),
    riskConfig: riskConfigRepository(db),
    strategies: strategiesRepository(db),
    tradeIdeas: tradeIdeasRepository(db),
    decisions: decisionHistoryRepository(db),
    marketSnapshots: marketSnapshotsRepository(db),
    indicatorSnapshots: indicatorSnapshotsRepository(db),
    marketEvents: marketEventsRepository(db),
    serviceLogs: serviceLogsRepository(db),
    errorLogs: errorLogsRepository(db),
    accountSnapshots: accountSnapshotsRepository(db),
    settings: settingsRepository(db),
    auditLog: auditLogRepository(db),
    credentials: credentialsRepository(db),
    notifications: notificationsRepository(db),
    orders: ordersRepository(db),
    positions: positionsRepository(db),
    trades: tradesRepository(db),
    importedHistory: importedHistoryRepository(db),
    backtestRuns: backtestRunsRepository(db),
    taskRuns: taskRunsRepository(db),
  }
}

export type Repositories = ReturnType<typeof repositories>

export interface Store extends Repositories {
  db: StoreDb
  /** Runs `fn` with repositories bound to one transaction: a state change and its decision row commit together or not at all. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>
}

/** One repository layer over either dialect. Every user-data method takes the userId and scopes by it. */
export function createStore(db: StoreDb): Store {
  return {
    ...repositories(db),
    db,
    transaction: (fn) => db.transaction().execute((trx) => fn(repositories(trx))),
  }
}
