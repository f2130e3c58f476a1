import type { IdeaCandles } from '../../../../shared/contract'
import type { Repositories } from '../../platform/store/store'

const END_OF_TIME = '9999-12-31T00:00:00.000Z'

/** The candles up to a market snapshot (what the strategy saw), and optionally the ones after it (what happened next). */
export async function candlesAround(
  store: Repositories,
  symbol: string,
  snapshotId: string | null,
  before: number,
  after: number,
): Promise<IdeaCandles> {
  const snapshot = snapshotId ? await store.marketSnapshots.get(snapshotId) : null
  if (!snapshot) return { symbol, timeframe: null, snapshotTs: null, candles: [] }
  const seen = await store.marketSnapshots.lastCandles(snapshot.symbol, snapshot.timeframe, before, snapshot.ts)
  // range() starts at the snapshot itself, which `seen` already ends with.
  const later =
    after > 0
      ? (
          await store.marketSnapshots.range(snapshot.symbol, snapshot.timeframe, snapshot.ts, END_OF_TIME, after + 1)
        ).slice(1)
      : []
  const candles = [...seen, ...later].map(({ ts, open, high, low, close }) => ({
    ts,
    open: Number(open),
    high: Number(high),
    low: Number(low),
    close: Number(close),
  }))
  return { symbol: snapshot.symbol, timeframe: snapshot.timeframe, snapshotTs: snapshot.ts, candles }
}
