import { CompiledQuery, type Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { candleId, decimal } from '../values'

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

/** The key idsAt answers under: one candle of one series. */
export const seriesCandleKey = (symbol: string, timeframe: string, ts: string) =>
  `${symbol}\u0000${timeframe}\u0000${ts}`

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
          id: candleId(candle.symbol, candle.timeframe, candle.ts),
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
    /**
     * Ids of stored candles, for pinning what a strategy saw, for several series in one query.
     * Keyed by seriesCandleKey(symbol, timeframe, ts).
     */
    async idsAt(series: { symbol: string; timeframe: string; timestamps: string[] }[]): Promise<Map<string, string>> {
      const ids = new Map<string, string>()
      const chunks = series.flatMap(({ symbol, timeframe, timestamps }) => {
        const parts: { symbol: string; timeframe: string; timestamps: string[] }[] = []
        for (let start = 0; start < timestamps.length; start += ROWS_PER_INSERT)
          parts.push({ symbol, timeframe, timestamps: timestamps.slice(start, start + ROWS_PER_INSERT) })
        return parts
      })
      let batch: typeof chunks = []
      let size = 0
      const flush = async () => {
        if (batch.length === 0) return
        const rows = await db
          .selectFrom('marketSnapshots')
          .select(['id', 'symbol', 'timeframe', 'ts'])
          .where((eb) =>
            eb.or(
              batch.map((part) =>
                eb.and([
                  eb('symbol', '=', part.symbol),
                  eb('timeframe', '=', part.timeframe),
                  eb('ts', 'in', part.timestamps),
                ]),
              ),
            ),
          )
          .execute()
        for (const row of rows) ids.set(seriesCandleKey(row.symbol, row.timeframe, row.ts), row.id)
        batch = []
        size = 0
      }
      for (const chunk of chunks) {
        if (size + chunk.timestamps.length > ROWS_PER_INSERT) await flush()
        batch.push(chunk)
        size += chunk.timestamps.length
      }
      await flush()
      return ids
    },
    /**
     * Deletes candles and indicator values older than `cutoff`, except what
     * something points at: a candle an idea or a decision was made on (and its
     * indicator values), and every candle inside the range a backtest over stored
     * candles ran on. An order points at its idea, so its candle is kept too.
     * Returns the rows deleted per table; run it inside a transaction.
     */
    async pruneUnreferencedBefore(cutoff: string): Promise<{ candles: number; indicators: number }> {
      const indicators = await db
        .deleteFrom('indicatorSnapshots')
        .where('ts', '<', cutoff)
        .where((eb) =>
          eb.or([
            eb('marketSnapshotId', 'is', null),
            eb.and([
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('tradeIdeas')
                    .select('tradeIdeas.id')
                    .whereRef('tradeIdeas.snapshotId', '=', 'indicatorSnapshots.marketSnapshotId'),
                ),
              ),
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('decisionHistory')
                    .select('decisionHistory.id')
                    .whereRef('decisionHistory.snapshotId', '=', 'indicatorSnapshots.marketSnapshotId'),
                ),
              ),
            ]),
          ]),
        )
        .executeTakeFirst()
      const candles = await db
        .deleteFrom('marketSnapshots')
        .where('ts', '<', cutoff)
        .where((eb) =>
          eb.and([
            eb.not(
              eb.exists(
                eb
                  .selectFrom('tradeIdeas')
                  .select('tradeIdeas.id')
                  .whereRef('tradeIdeas.snapshotId', '=', 'marketSnapshots.id'),
              ),
            ),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('decisionHistory')
                  .select('decisionHistory.id')
                  .whereRef('decisionHistory.snapshotId', '=', 'marketSnapshots.id'),
              ),
            ),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('indicatorSnapshots')
                  .select('indicatorSnapshots.id')
                  .whereRef('indicatorSnapshots.marketSnapshotId', '=', 'marketSnapshots.id'),
              ),
            ),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('backtestRuns')
                  .select('backtestRuns.id')
                  .where('backtestRuns.source', '=', 'stored')
                  .whereRef('backtestRuns.symbol', '=', 'marketSnapshots.symbol')
                  .whereRef('backtestRuns.timeframe', '=', 'marketSnapshots.timeframe')
                  .whereRef('backtestRuns.dataFrom', '<=', 'marketSnapshots.ts')
                  .whereRef('backtestRuns.dataTo', '>=', 'marketSnapshots.ts'),
              ),
            ),
          ]),
        )
        .executeTakeFirst()
      return { candles: Number(candles.numDeletedRows), indicators: Number(indicators.numDeletedRows) }
    },
    async get(id: string): Promise<StoredCandle | null> {
      return (
        (await db
          .selectFrom('marketSnapshots')
          .select(['id', 'symbol', 'timeframe', 'ts', 'open', 'high', 'low', 'close', 'volume'])
          .where('id', '=', id)
          .executeTakeFirst()) ?? null
      )
    },
    /** The `count` candles up to and including `endTs` (or the newest ones), oldest first. */
    async lastCandles(symbol: string, timeframe: string, count: number, endTs?: string): Promise<StoredCandle[]> {
      let query = db
        .selectFrom('marketSnapshots')
        .select(['id', 'symbol', 'timeframe', 'ts', 'open', 'high', 'low', 'close', 'volume'])
        .where('symbol', '=', symbol)
        .where('timeframe', '=', timeframe)
      if (endTs) query = query.where('ts', '<=', endTs)
      return (await query.orderBy('ts', 'desc').limit(count).execute()).reverse()
    },
    async count(symbol: string, timeframe: string): Promise<number> {
      const row = await db
        .selectFrom('marketSnapshots')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('symbol', '=', symbol)
        .where('timeframe', '=', timeframe)
        .executeTakeFirstOrThrow()
      return Number(row.n)
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
