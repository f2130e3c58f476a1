import type { CoreContext } from '../context'
import { recordedTask } from './task-history'

/** The settings key: days of candles and indicator values kept; absent or null keeps everything. */
export const MARKET_DATA_RETENTION_KEY = 'retention.market_data_days'

/** The retention job: nothing happens until the trader sets a number of days. */
export async function applyMarketDataRetention(ctx: CoreContext, now = new Date()): Promise<number | null> {
  if (!ctx.db.open || ctx.startupMigration.state !== 'ok') return 0
  const days = await ctx.store.settings.get<number | null>(MARKET_DATA_RETENTION_KEY)
  if (!days) return 0
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString()
  return recordedTask(ctx, 'market_data_retention', () => ctx.store.transaction((tx) => tx.marketSnapshots.pruneUnreferencedBefore(cutoff)))
}
