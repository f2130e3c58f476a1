import type { CoreContext } from './context'
import type { HandlerTable } from './handler-table'
import { createBacktestHandlers } from './backtests/handlers'
import { createBackupHandlers } from './backups/handlers'
import { createCentralHandlers } from './central/handlers'
import { createHealthHandlers } from './health/handlers'
import { createOperationsHandlers } from './operations/handlers'
import { createImportHandlers } from './imports/handlers'
import { createExchangeHandlers } from './exchanges/handlers'
import { createNotificationHandlers } from './notifications/handlers'
import { createProfileHandlers } from './profiles/handlers'
import { createMarketDataHandlers } from './market-data/handlers'
import { createMigrationHandlers } from './migrations/handlers'
import { createSettingsHandlers } from './settings/handlers'
import { runStartupMigrations } from './startup'
import { resumeWork } from './resume-work'
import { checkIntegrity, systemStatus } from './system-status'
import { createStrategyHandlers } from './strategies/handlers'
import { createSyncHandlers } from './sync/handlers'
import { createTradingHandlers } from './trading/handlers'
import { ApiError } from '../../shared/errors'

/** The one handler table every host registers: channel → core function. */
export function createHandlers(ctx: CoreContext): HandlerTable {
  return {
    'system:status': () => systemStatus(ctx),
    'system:checkIntegrity': () => {
      checkIntegrity(ctx)
      return systemStatus(ctx)
    },
    'startup:retry': async () => {
      if (ctx.startupMigration.state === 'running')
        throw new ApiError({ code: 'conflict', message: 'Migrations are already running.' })
      await runStartupMigrations(ctx)
      // A rollback shut the strategies down keeping them active; they run again only here.
      if (ctx.startupMigration.state === 'ok') await resumeWork(ctx)
      return systemStatus(ctx)
    },
    ...createBackupHandlers(ctx),
    ...createMigrationHandlers(ctx),
    ...createSettingsHandlers(ctx),
    ...createCentralHandlers(ctx),
    ...createSyncHandlers(ctx),
    ...createTradingHandlers(ctx),
    ...createNotificationHandlers(ctx),
    ...createExchangeHandlers(ctx),
    ...createStrategyHandlers(ctx),
    ...createMarketDataHandlers(ctx),
    ...createBacktestHandlers(ctx),
    ...createHealthHandlers(ctx),
    ...createOperationsHandlers(ctx),
    ...createImportHandlers(ctx),
    ...createProfileHandlers(ctx),
  }
}
