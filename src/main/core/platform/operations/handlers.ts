import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../calls/handler-table'
import { actorOf, profile } from '../calls/profile'
import { resolveError, withoutOwner } from './error-resolution'
import { MARKET_DATA_RETENTION_KEY, previewMarketDataRetention } from './market-data-retention'

/** Database → Tasks (the background jobs' runs and the market data retention) and Errors (resolved with a note). */
export function createOperationsHandlers(
  ctx: CoreContext,
): Pick<HandlerTable, ChannelsOf<'tasks'> | ChannelsOf<'errors'> | ChannelsOf<'retention'>> {
  return {
    'tasks:list': (filter) => ctx.store.taskRuns.list(filter),
    'errors:list': async (filter) => {
      const userId = profile(ctx)
      return {
        items: (await ctx.store.errorLogs.list(userId, filter)).map(withoutOwner),
        unresolved: await ctx.store.errorLogs.unresolvedCount(userId),
      }
    },
    'errors:resolve': ({ id, note }) => resolveError(ctx.store, profile(ctx), id, note, actorOf(ctx)),
    'retention:get': async () => ({
      marketDataDays: (await ctx.store.settings.get<number | null>(MARKET_DATA_RETENTION_KEY)) ?? null,
    }),
    'retention:preview': ({ marketDataDays }) => previewMarketDataRetention(ctx, marketDataDays),
    'retention:set': async ({ marketDataDays }) => {
      await ctx.store.transaction(async (tx) => {
        await tx.settings.set(MARKET_DATA_RETENTION_KEY, marketDataDays)
        await tx.auditLog.record({
          userId: profile(ctx),
          actor: actorOf(ctx),
          subject: 'settings',
          action: 'market_data_retention',
          details: { days: marketDataDays },
        })
      })
      return { marketDataDays }
    },
  }
}
