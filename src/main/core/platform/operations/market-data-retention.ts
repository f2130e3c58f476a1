import type { CoreContext } from '../context'
import { recordedTask } from './task-history'

/** The settings key: days of candles and indicator values kept; absent or null keeps everything. */
export const MARKET_DATA_RETENTION_KEY = 'retention.market_data_days'

export interface RetentionPreview {
  cutoff: string
  candles: number
  indicators: number
}

const cutoffFor = (days: number, now: Date) => new Date(now.getTime() - days * 86_400_000).toISOString()

/** The retention job: nothing happens until the trader sets a number of days. */
export async function applyMarketDataRetention(ctx: CoreContext, now = new Date()): Promise<number | null> {
  if (!ctx.db.open || ctx.startupMigration.state !== 'ok') return 0
  const days = await ctx.store.settings.get<number | null>(MARKET_DATA_RETENTION_KEY)
  if (!days) return 0
  const cutoff = cutoffFor(days, now)
  return recordedTask(ctx, 'market_data_retention', async () => {
    const deleted = await ctx.store.transaction((tx) => tx.marketSnapshots.pruneUnreferencedBefore(cutoff))
    return deleted.candles + deleted.indicators
  })
}

class PreviewOnly extends Error {}

/**
 * What keeping `days` would delete right now: the retention job's own deletes, run in a
 * transaction that is then rolled back, so the figure is exact and nothing changes.
 */
export async function previewMarketDataRetention(
  ctx: CoreContext,
  days: number,
  now = new Date(),
): Promise<RetentionPreview> {
  const cutoff = cutoffFor(days, now)
  let preview: RetentionPreview | null = null
  try {
    await ctx.store.transaction(async (tx) => {
      preview = { cutoff, ...(await tx.marketSnapshots.pruneUnreferencedBefore(cutoff)) }
      throw new PreviewOnly()
    })
  } catch (error) {
    if (!(error instanceof PreviewOnly)) throw error
  }
  if (!preview) throw new Error('The retention preview did not run.')
  return preview
}
