import type { Kysely, Selectable } from 'kysely'
import type { BacktestRun, BacktestRunSummary, BacktestStats } from '../../../../../shared/domain'
import type { BacktestRunsTable, StoreSchema } from '../schema'
import { fromJson, newId, nowIso, toJson } from '../values'

export type NewBacktestRun = Omit<BacktestRun, 'id' | 'createdAt'>

const SUMMARY_COLUMNS = [
  'id',
  'name',
  'kind',
  'symbol',
  'timeframe',
  'source',
  'seed',
  'dataFrom',
  'dataTo',
  'candles',
  'appVersion',
  'durationMs',
  'createdAt',
  'stats',
] as const

type SummaryRow = Pick<Selectable<BacktestRunsTable>, (typeof SUMMARY_COLUMNS)[number]>

function summaryOf(row: SummaryRow): BacktestRunSummary {
  return {
    ...row,
    source: row.source as BacktestRunSummary['source'],
    seed: row.seed === null ? null : Number(row.seed),
    candles: Number(row.candles),
    durationMs: Number(row.durationMs),
    stats: fromJson<BacktestStats>(row.stats),
  }
}

/** Backtest runs: one row each, with its trades, equity and chart series as JSON. */
export function backtestRunsRepository(db: Kysely<StoreSchema>) {
  return {
    async create(userId: string, run: NewBacktestRun): Promise<BacktestRun> {
      const id = newId()
      const createdAt = nowIso()
      await db
        .insertInto('backtestRuns')
        .values({
          id,
          userId,
          name: run.name,
          kind: run.kind,
          config: toJson(run.config),
          symbol: run.symbol,
          timeframe: run.timeframe,
          source: run.source,
          seed: run.seed,
          dataFrom: run.dataFrom,
          dataTo: run.dataTo,
          candles: run.candles,
          appVersion: run.appVersion,
          stats: toJson(run.stats),
          trades: toJson(run.trades),
          equity: toJson({ equity: run.equity, bars: run.bars }),
          durationMs: run.durationMs,
          createdAt,
        })
        .execute()
      return { ...run, id, createdAt }
    },
    async list(userId: string, limit = 200): Promise<BacktestRunSummary[]> {
      const rows = await db
        .selectFrom('backtestRuns')
        .select(SUMMARY_COLUMNS)
        .where('userId', '=', userId)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
      return rows.map(summaryOf)
    },
    async get(userId: string, id: string): Promise<BacktestRun | null> {
      const row = await db
        .selectFrom('backtestRuns')
        .selectAll()
        .where('userId', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
      if (!row) return null
      const series = fromJson<{ equity: BacktestRun['equity']; bars: BacktestRun['bars'] }>(row.equity)
      return {
        ...summaryOf(row),
        config: fromJson<Record<string, unknown>>(row.config),
        trades: fromJson<BacktestRun['trades']>(row.trades),
        equity: series.equity,
        bars: series.bars,
      }
    },
    async delete(userId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('backtestRuns')
        .where('userId', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
      return Number(result.numDeletedRows) === 1
    },
  }
}
