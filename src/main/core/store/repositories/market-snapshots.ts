import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { decimal, newId } from '../values'

export interface Candle {
  symbol: string
  timeframe: string
  ts: string
  open: string
  high: string
  low: string
  close: string
  volume: string
}

export interface StoredCandle extends Candle {
  id: string
}

// 9 columns per row stays far below SQLite's 32,766 bound parameters per statement.
const ROWS_PER_INSERT = 500

/** Shared market data (candles are the same for every user); strategies pin what they saw by id. */
export function marketSnapshotsRepository(db: Kysely<StoreSchema>) {
  return {
    /**
     * Inserts candles in multi-row statements; a candle already stored for the
     * same (symbol, timeframe, ts) is kept, not overwritten. Returns how many were new.
     */
    async insertMany(candles: Candle[]): Promise<number> {
      let inserted = 0
      for (let start = 0; start < candles.length; start += ROWS_PER_INSERT) {
        const rows = candles.slice(start, start + ROWS_PER_INSERT).map((candle) => ({
          id: newId(),
          symbol: candle.symbol,
          timeframe: candle.timeframe,
          ts: candle.ts,
          open: decimal(candle.open),
          high: decimal(candle.high),
          low: decimal(candle.low),
          close: decimal(candle.close),
          volume: decimal(candle.volume),
        }))
        const result = await db
          .insertInto('marketSnapshots')
          .values(rows)
          .onConflict((conflict) => conflict.columns(['symbol', 'timeframe', 'ts']).doNothing())
          .executeTakeFirst()
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0)
      }
      return inserted
    },
    /** Candles in [from, to), oldest first. */
    async range(symbol: string, timeframe: string, from: string, to: string, limit = 5000): Promise<StoredCandle[]> {
      return db
        .selectFrom('marketSnapshots')
        .select(['id', 'symbol', 'timeframe', 'ts', 'open', 'high', 'low', 'close', 'volume'])
        .where('symbol', '=', symbol)
        .where('timeframe', '=', timeframe)
        .where('ts', '>=', from)
        .where('ts', '<', to)
        .orderBy('ts')
        .limit(limit)
        .execute()
    },
  }
}
