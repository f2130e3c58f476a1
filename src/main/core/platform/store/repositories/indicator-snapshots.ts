import { SqliteAdapter, sql, type Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { fromJson, indicatorSnapshotId, toJson } from '../values'

export interface IndicatorSnapshot {
  symbol: string
  timeframe: string
  ts: string
  indicators: Record<string, number | null>
  marketSnapshotId: string | null
}

const ROWS_PER_INSERT = 500

/**
 * Indicator values per candle. Several strategies may watch the same series
 * with different settings; their keys (ema_12, rsi_14, ...) are merged into one
 * row rather than one overwriting the other.
 */
export function indicatorSnapshotsRepository(db: Kysely<StoreSchema>) {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter
  const merged = sqlite
    ? sql<string>`json_patch(indicator_snapshots.indicators, excluded.indicators)`
    : sql<string>`indicator_snapshots.indicators || excluded.indicators`
  return {
    async upsertMany(snapshots: IndicatorSnapshot[]): Promise<void> {
      for (let start = 0; start < snapshots.length; start += ROWS_PER_INSERT) {
        const rows = snapshots.slice(start, start + ROWS_PER_INSERT).map((snapshot) => ({
          id: indicatorSnapshotId(snapshot.symbol, snapshot.timeframe, snapshot.ts),
          ...snapshot,
          indicators: toJson(snapshot.indicators),
        }))
        await db
          .insertInto('indicatorSnapshots')
          .values(rows)
          .onConflict((conflict) =>
            conflict.columns(['symbol', 'timeframe', 'ts']).doUpdateSet({
              indicators: merged,
              marketSnapshotId: sql`coalesce(indicator_snapshots.market_snapshot_id, excluded.market_snapshot_id)`,
            }),
          )
          .execute()
      }
    },
    async at(symbol: string, timeframe: string, ts: string): Promise<IndicatorSnapshot | null> {
      const row = await db
        .selectFrom('indicatorSnapshots')
        .select(['symbol', 'timeframe', 'ts', 'indicators', 'marketSnapshotId'])
        .where('symbol', '=', symbol)
        .where('timeframe', '=', timeframe)
        .where('ts', '=', ts)
        .executeTakeFirst()
      return row ? { ...row, indicators: fromJson<Record<string, number | null>>(row.indicators) } : null
    },
  }
}
