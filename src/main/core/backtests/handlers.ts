import { ApiError } from '../../../shared/errors'
import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../dispatch'
import { profile } from '../profile'
import { StrategyError } from '../strategies/strategy-error'
import { CandleSourceError } from './candle-sources'

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof StrategyError) throw new ApiError({ code: error.code, message: error.message, ...(error.issues.length ? { issues: error.issues } : {}) })
    if (error instanceof CandleSourceError) throw new ApiError({ code: 'invalid_input', message: error.message })
    throw error
  }
}

/** Backtests: run one, follow and cancel it, and read, compare, export or delete the stored runs. */
export function createBacktestHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'backtests'>> {
  const backtests = () => ctx.backtests
  return {
    'backtests:list': () => backtests().list(profile(ctx)),
    'backtests:get': ({ id }) => guarded(() => backtests().get(profile(ctx), id)),
    'backtests:run': (request) => guarded(() => backtests().run(profile(ctx), request)),
    'backtests:cancel': ({ runId }) => ({ cancelled: backtests().cancel(runId) }),
    'backtests:delete': ({ id }) => guarded(() => backtests().delete(profile(ctx), id)),
    'backtests:export': ({ id, format }) => guarded(() => backtests().export(profile(ctx), id, format, ctx.dataDir)),
  }
}
