import { CompiledQuery, type Kysely } from 'kysely'
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
const COLUMNS = ['id', 'symbol', 'timeframe', 'ts', 'open', 'high', 'low', 'close', 'volume'] as const

export function marketSnapshotsRepository(db: Kysely<StoreSchema>) {
  // Building Kysely's query tree for thousands of values cost more than the insert itself,
  // so each batch shape is compiled once and reused with new parameters.
  const compiledByRowCount = new Map<number, string>()
  const insertSql = (rows: Record<(typeof COLUMNS)[number], string>[]) => {
    let text = compiledByRowCount.get(rows.length)
    if (!text) {
      text = db
        .insertInto('marketSnapshots')
        .values(rows)
        .onConflict((conflict) => conflict.columns(['symbol', 'timeframe', 'ts']).doNothing())
        .compile().sql
      compiledByRowCount.set(rows.length, text)
    }
    return text
  }
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
        const parameters = rows.flatMap((row) => COLUMNS.map((column) => row[column]))
        const result = await db.executeQuery(CompiledQuery.raw(insertSql(rows), parameters))
        inserted += Number(result.numAffectedRows ?? 0)
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
