import type { CoreContext } from '../platform/context'
import type { HandlerTable } from '../platform/calls/handler-table'
import { createBacktestHandlers } from '../domains/backtests/handlers'
import { createBackupHandlers } from '../platform/backups/handlers'
import { createCentralHandlers } from '../platform/central/handlers'
import { createHealthHandlers } from '../platform/health/handlers'
import { doctorSources } from './doctor-sources'
import { createOperationsHandlers } from '../platform/operations/handlers'
import { createImportHandlers } from '../domains/imports/handlers'
import { createExchangeHandlers } from '../domains/exchanges/handlers'
import { createNotificationHandlers } from '../domains/notifications/handlers'
import { createProfileHandlers } from '../domains/profiles/handlers'
import { createMarketDataHandlers } from '../domains/market-data/handlers'
import { createMigrationHandlers } from '../platform/migrations/handlers'
import { createSettingsHandlers } from '../domains/settings/handlers'
import { runStartupMigrations } from './startup'
import { resumeWork } from './resume-work'
import { checkIntegrity, systemStatus } from './system-status'
import { createStrategyHandlers } from '../domains/strategies/handlers'
import { createSyncHandlers } from '../platform/sync/handlers'
import { createTradingHandlers } from '../domains/trading/handlers'
import { Refusal } from '../platform/calls/refusal'
import type { CoreServices } from './services'

/** The one handler table every host registers: channel → core function, each handed the services it calls. */
export function createHandlers(ctx: CoreContext, services: CoreServices): HandlerTable {
  const status = () => systemStatus(ctx)
  return {
    'system:status': status,
    'system:checkIntegrity': () => {
      checkIntegrity(ctx)
      return systemStatus(ctx)
    },
    'startup:retry': async () => {
      if (ctx.startupMigration.state === 'running') throw new Refusal('conflict', 'Migrations are already running.')
      await runStartupMigrations(ctx)
      // A rollback shut the strategies down keeping them active; they run again only here.
      if (ctx.startupMigration.state === 'ok') await resumeWork(ctx, services)
      return systemStatus(ctx)
    },
    ...createBackupHandlers(ctx, services.backups, status),
    ...createMigrationHandlers(ctx, services.backups),
    ...createSettingsHandlers(ctx),
    ...createCentralHandlers(ctx, services.sync),
    ...createSyncHandlers(ctx, services.sync, services.backups),
    ...createTradingHandlers(ctx, services.trading),
    ...createNotificationHandlers(ctx),
    ...createExchangeHandlers(ctx, services.trading),
    ...createStrategyHandlers(ctx, {
      kinds: services.kinds,
      instances: services.strategyInstances,
      runtime: services.strategies,
    }),
    ...createMarketDataHandlers(ctx),
    ...createBacktestHandlers(ctx, services.backtests),
    ...createHealthHandlers(ctx, doctorSources(services)),
    ...createOperationsHandlers(ctx),
    ...createImportHandlers(ctx, services.backups),
    ...createProfileHandlers(ctx, services),
  }
}
