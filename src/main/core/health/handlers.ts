import { notWhileMigrating } from '../backups/handlers'
import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../dispatch'
import { resolveError, withoutOwner } from '../operations/error-resolution'
import { MARKET_DATA_RETENTION_KEY } from '../operations/market-data-retention'
import { actorOf, profile } from '../profile'
import { runDoctor } from './doctor'

/** Database → Health (the same checks as tradedeck doctor), Tasks (the background jobs' runs and the market data retention) and Errors (resolved with a note). */
export function createHealthHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'health'> | ChannelsOf<'tasks'> | ChannelsOf<'errors'> | ChannelsOf<'retention'>> {
  return {
    'health:check': async ({ integrity }) => {
      notWhileMigrating(ctx)
      return runDoctor(ctx, { integrity })
    },
    'tasks:list': (filter) => ctx.store.taskRuns.list(filter),
    'errors:list': async (filter) => {
      const userId = profile(ctx)
      return { items: (await ctx.store.errorLogs.list(userId, filter)).map(withoutOwner), unresolved: await ctx.store.errorLogs.unresolvedCount(userId) }
    },
    'retention:get': async () => ({ marketDataDays: (await ctx.store.settings.get<number | null>(MARKET_DATA_RETENTION_KEY)) ?? null }),
    'retention:set': async ({ marketDataDays }) => {
      await ctx.store.transaction(async (tx) => {
        await tx.settings.set(MARKET_DATA_RETENTION_KEY, marketDataDays)
        await tx.auditLog.record({ userId: profile(ctx), actor: actorOf(ctx), subject: 'settings', action: 'market_data_retention', details: { days: marketDataDays } })
      })
      return { marketDataDays }
    },
    'errors:resolve': ({ id, note }) => resolveError(ctx.store, profile(ctx), id, note, actorOf(ctx)),
  }
}
