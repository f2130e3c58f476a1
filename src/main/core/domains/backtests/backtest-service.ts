import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BacktestProgress, ExportResult, ParsedInput } from '../../../../shared/contract'
import type { BacktestRun, BacktestRunSummary } from '../../../../shared/domain'
import { EXPORTS_DIR_NAME } from '../../platform/files/data-dir'
import type { CoreEvents } from '../../platform/events'
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../platform/files/private-files'
import type { Candle } from '../../platform/store/repositories/market-snapshots'
import type { Repositories, Store } from '../../platform/store/store'
import type { Timeframe } from '../strategies/feeds/feed'
import { configSchemaOf, type CommonConfig } from '../strategies/kinds/kind'
import type { KindRegistry } from '../strategies/kinds/registry'
import { StrategyError } from '../strategies/strategy-error'
import { PAPER_COSTS } from '../trading/fill-rules'
import { csvCandles, storedCandles, syntheticCandles } from './candle-sources'
import { BacktestCancelled, runBacktest } from './engine'
import { tradesCsv } from './trades-csv'
import { issuesInWords } from '../../platform/calls/issues-in-words'
import { syntheticMarketOf } from '../strategies/feeds/synthetic-markets'
import { avoidanceOf } from '../strategies/rules/market-events-rule'

/** The most calendar events and news items a backtest reads: decades of a busy calendar. */
const MAX_BACKTEST_EVENTS = 200_000
const EARLIEST = '0001-01-01T00:00:00.000Z'
const LATEST = '9999-12-31T23:59:59.999Z'

export type BacktestRequest = ParsedInput<'backtests:run'> & {
  /** The command line can read a CSV file directly; the app imports it first and runs on stored candles. */
  csvPath?: string
}

/** The paper broker's own costs unless a run says otherwise. */
export const DEFAULT_BACKTEST_COSTS = PAPER_COSTS
export const DEFAULT_STARTING_EQUITY = '10000'
export const DEFAULT_SYNTHETIC_CANDLES = 10_000
/** A fixed start, so a seed alone decides a synthetic market. */
export const DEFAULT_SYNTHETIC_FROM = '2026-01-01T00:00:00.000Z'

export interface BacktestServiceDeps {
  store: () => Store
  events: CoreEvents
  kinds: KindRegistry
  appVersion: string
}

/**
 * Runs backtests and keeps their results. A run reads candles and writes one
 * backtest_runs row at the end; it never touches the account, the approval
 * queue, decision history or account snapshots.
 */
export class BacktestService {
  /** In-flight runs by the id their window chose, with the profile that started each. */
  private readonly running = new Map<string, { abort: AbortController; userId: string }>()

  constructor(private readonly deps: BacktestServiceDeps) {}

  private get store(): Store {
    return this.deps.store()
  }

  private progress(progress: BacktestProgress): void {
    this.deps.events.emit('backtests:progress', progress)
  }

  async run(userId: string, request: BacktestRequest): Promise<BacktestRunSummary> {
    const kind = this.deps.kinds.get(request.kind)
    if (!kind)
      throw new StrategyError('invalid_input', `There is no strategy kind named ${request.kind}.`, [
        { path: ['kind'], message: 'choose one of the listed kinds' },
      ])
    const parsed = configSchemaOf(kind).safeParse({ ...request.config, timeframe: request.timeframe })
    if (!parsed.success) {
      throw new StrategyError(
        'invalid_input',
        `The ${kind.label} settings are not valid. ${issuesInWords(parsed.error.issues).message}`,
        issuesInWords(parsed.error.issues).issues.map((issue) => ({ ...issue, path: ['config', ...issue.path] })),
      )
    }
    const config = parsed.data as CommonConfig & Record<string, unknown>
    if (this.running.has(request.runId))
      throw new StrategyError('conflict', 'A backtest with this id is already running.')
    const source = request.csvPath ? 'csv' : request.source
    const seed = source === 'synthetic' ? (request.seed ?? config.seed) : null
    const total = source === 'synthetic' ? (request.candles ?? DEFAULT_SYNTHETIC_CANDLES) : null
    const candles: Iterable<Candle> | AsyncIterable<Candle> = request.csvPath
      ? csvCandles(request.csvPath, request.symbol, request.timeframe)
      : source === 'synthetic'
        ? syntheticCandles({
            source: 'synthetic',
            symbol: request.symbol,
            timeframe: request.timeframe as Timeframe,
            seed: seed as number,
            candles: total as number,
            from: request.from ?? DEFAULT_SYNTHETIC_FROM,
            startPrice: config.startPrice ?? syntheticMarketOf(request.symbol).startPrice,
            priceDecimals: config.priceDecimals,
          })
        : storedCandles(this.store, request.symbol, request.timeframe, request.from ?? '', request.to ?? '9999')
    const abort = new AbortController()
    this.running.set(request.runId, { abort, userId })
    const startedAt = performance.now()
    const costs = {
      slippage: request.slippage ?? DEFAULT_BACKTEST_COSTS.slippage,
      feeRate: request.feeRate ?? DEFAULT_BACKTEST_COSTS.feeRate,
    }
    this.progress({
      runId: request.runId,
      phase: 'running',
      candles: 0,
      total,
      message: `Running ${kind.label} on ${request.symbol} ${request.timeframe}`,
    })
    try {
      const result = await runBacktest({
        kind,
        config,
        candles,
        symbol: request.symbol,
        events: await eventsForBacktest(this.store, config),
        costs,
        startingEquity: request.startingEquity ?? DEFAULT_STARTING_EQUITY,
        signal: abort.signal,
        onProgress: (count) =>
          this.progress({
            runId: request.runId,
            phase: 'running',
            candles: count,
            total,
            message: `${count.toLocaleString('en-US')} candles`,
          }),
      })
      if (result.candles === 0 || !result.first || !result.last) {
        throw new StrategyError(
          'conflict',
          source === 'stored'
            ? `No candles are stored for ${request.symbol} ${request.timeframe} in that range. Import a CSV first, or use the synthetic market.`
            : 'The data held no candles.',
        )
      }
      const run = await this.store.backtestRuns.create(userId, {
        name:
          request.name?.trim() ||
          `${kind.label} · ${request.symbol} ${request.timeframe}${seed !== null ? ` · seed ${seed}` : ''}`,
        kind: kind.name,
        config: { ...config, ...costs, startingEquity: request.startingEquity ?? DEFAULT_STARTING_EQUITY },
        symbol: request.symbol,
        timeframe: request.timeframe,
        source,
        seed,
        dataFrom: result.first,
        dataTo: result.last,
        candles: result.candles,
        appVersion: this.deps.appVersion,
        durationMs: Math.round(performance.now() - startedAt),
        stats: result.stats,
        trades: result.trades,
        equity: result.equity,
        bars: result.bars,
      })
      this.progress({
        runId: request.runId,
        phase: 'done',
        candles: result.candles,
        total: result.candles,
        message: `${result.candles.toLocaleString('en-US')} candles, ${result.trades.length} trades`,
      })
      this.deps.events.emit('backtests:changed', { id: run.id })
      const { config: _config, trades: _trades, equity: _equity, bars: _bars, ...summary } = run
      return summary
    } catch (error) {
      const cancelled = error instanceof BacktestCancelled
      this.progress({
        runId: request.runId,
        phase: cancelled ? 'cancelled' : 'failed',
        candles: 0,
        total,
        message: error instanceof Error ? error.message : String(error),
      })
      if (cancelled) throw new StrategyError('conflict', 'The backtest was cancelled; nothing was stored.')
      throw error
    } finally {
      this.running.delete(request.runId)
    }
  }

  /** Stops a run of this profile; false when none is running by that id (it may have just finished). */
  cancel(userId: string, runId: string): boolean {
    const run = this.running.get(runId)
    if (run && run.userId !== userId)
      throw new StrategyError('not_found', 'No backtest of this profile is running by that id.')
    run?.abort.abort()
    return run !== undefined
  }

  list(userId: string): Promise<BacktestRunSummary[]> {
    return this.store.backtestRuns.list(userId)
  }

  async get(userId: string, id: string): Promise<BacktestRun> {
    const run = await this.store.backtestRuns.get(userId, id)
    if (!run) throw new StrategyError('not_found', 'No such backtest run.')
    return run
  }

  async delete(userId: string, id: string): Promise<{ deleted: true }> {
    if (!(await this.store.backtestRuns.delete(userId, id)))
      throw new StrategyError('not_found', 'No such backtest run.')
    this.deps.events.emit('backtests:changed', { id })
    return { deleted: true }
  }

  /** The trades as CSV or the figures as JSON, in exports/ (owner-only), for a spreadsheet or a notebook. */
  async export(
    userId: string,
    id: string,
    format: 'trades_csv' | 'stats_json',
    dataDir: string,
  ): Promise<ExportResult> {
    const run = await this.get(userId, id)
    const dir = join(dataDir, EXPORTS_DIR_NAME)
    makePrivateDir(dir)
    const stamp = run.createdAt.replace(/[-:]/g, '').replace('.', '')
    const path = join(dir, format === 'trades_csv' ? `backtest-trades-${stamp}.csv` : `backtest-stats-${stamp}.json`)
    const { trades: _trades, equity: _equity, bars: _bars, ...described } = run
    writeFileSync(path, format === 'trades_csv' ? tradesCsv(run.trades) : JSON.stringify(described, null, 2) + '\n', {
      mode: PRIVATE_FILE_MODE,
    })
    return { path, rows: format === 'trades_csv' ? run.trades.length : 1 }
  }
}

/** Events a backtest avoids are the whole calendar and news held: each is matched to its candle's time in the run. */
async function eventsForBacktest(store: Repositories, config: Record<string, unknown>) {
  if (!avoidanceOf(config)) return undefined
  const [calendar, news] = await Promise.all([
    store.marketEvents.calendarBetween(EARLIEST, LATEST, { highOnly: true, limit: MAX_BACKTEST_EVENTS }),
    store.marketEvents.newsBetween(EARLIEST, LATEST, MAX_BACKTEST_EVENTS),
  ])
  return { calendar, news }
}
