import type { CoreContext } from '../../platform/context'
import type { ChannelsOf, HandlerTable } from '../../platform/calls/handler-table'
import { profile } from '../../platform/calls/profile'
import type { BacktestService } from './backtest-service'

/** Backtests: run one, follow and cancel it, and read, compare, export or delete the stored runs. */
export function createBacktestHandlers(
  ctx: CoreContext,
  backtests: BacktestService,
): Pick<HandlerTable, ChannelsOf<'backtests'>> {
  return {
    'backtests:list': () => backtests.list(profile(ctx)),
    'backtests:get': ({ id }) => backtests.get(profile(ctx), id),
    'backtests:run': (request) => backtests.run(profile(ctx), request),
    'backtests:cancel': ({ runId }) => ({ cancelled: backtests.cancel(profile(ctx), runId) }),
    'backtests:delete': ({ id }) => backtests.delete(profile(ctx), id),
    'backtests:export': ({ id, format }) => backtests.export(profile(ctx), id, format, ctx.dataDir),
  }
}
