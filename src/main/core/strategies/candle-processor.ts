import type { CoreEvents } from '../events'
import type { TradeIdea } from '../store/repositories/trade-ideas'
import type { Repositories, Store } from '../store/store'
import { entryRange, staleness } from '../trading/idea-staleness'
import type { TradingRegistry } from '../trading/trading-registry'
import type { TradingService } from '../trading/trading-service'
import { TIMEFRAME_MS, type Timeframe } from './feeds/feed'
import { cursorKey } from './instance-feed'
import { formatPrice, type CommonConfig } from './kinds/kind'
import type { BatchItem } from './worker/protocol'

/** The instance a batch belongs to: who, which market series, and its settings. */
export interface ProcessedInstance {
  userId: string
  strategyId: string
  instrument: string
  /** The market_snapshots timeframe its candles are stored under. */
  series: string
  config: CommonConfig
}

interface WaitingIdea {
  idea: TradeIdea
  /** The candle it was proposed on; null when that candle is gone. */
  candleTs: string | null
}

/** A candle at the live edge closed within one candle length of now; anything older is history. */
export function atLiveEdge(candleTs: string, intervalMs: number, now: Date): boolean {
  return Date.parse(candleTs) + intervalMs >= now.getTime() - intervalMs
}

interface Job {
  run: ProcessedInstance
  items: BatchItem[]
  resolve(): void
  reject(error: unknown): void
}

interface Prepared {
  run: ProcessedInstance
  items: BatchItem[]
  service: TradingService
  waiting: Map<string, WaitingIdea>
  proposed: Awaited<ReturnType<TradingService['proposeWithin']>>[]
  withdrawn: boolean
  failed: boolean
}

export interface CandleProcessorDeps {
  store: () => Store
  trading: TradingRegistry
  events: CoreEvents
  now: () => Date
}

/**
 * What happens to a strategy's closed candles on the main thread, in order:
 * stored with their indicators, shown to the paper broker (fills, exits),
 * checked against the waiting ideas they may have made stale, and, at the
 * live edge only, their ideas sent through risk to the queue.
 */
export class CandleProcessor {
  constructor(private readonly deps: CandleProcessorDeps) {}

  private get store(): Store {
    return this.deps.store()
  }

  private now(): Date {
    return this.deps.now()
  }

  /**
   * Candles and indicators in one transaction; then, candle by candle, fills
   * and exits, the waiting ideas the candle made stale, and the candle's own
   * ideas through risk, but only at the live edge: history warms up and
   * proposes nothing.
   */
  private readonly queued: Job[] = []
  private draining = false

  /**
   * Processes one instance's batch. Instances whose candles close together
   * (they share the clock) are committed in one transaction, so twenty of
   * them cost one sync to disk rather than twenty; a batch that fails in the
   * group is retried alone, so one instance's fault never fails another's.
   */
  process(run: ProcessedInstance, items: BatchItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ run, items, resolve, reject })
      if (!this.draining) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.draining = true
    try {
      // Batches that are already waiting (their candles closed together) join this commit.
      await new Promise((resolve) => setImmediate(resolve))
      while (this.queued.length > 0) await this.commitTogether(this.queued.splice(0))
    } finally {
      this.draining = false
    }
  }

  private async commitTogether(jobs: Job[]): Promise<void> {
    const prepared: (Prepared & { job: Job })[] = []
    for (const job of jobs) {
      try {
        prepared.push({ ...(await this.prepare(job)), job })
      } catch (error) {
        job.reject(error)
      }
    }
    try {
      await this.store.transaction(async (tx) => {
        for (const entry of prepared) await this.record(tx, entry)
      })
    } catch (error) {
      if (prepared.length === 1) return prepared[0]!.job.reject(error)
      // Rolled back as a whole: each batch again on its own, so only the faulty one fails.
      for (const entry of prepared) {
        try {
          Object.assign(entry, { waiting: await this.waitingIdeas(entry.run), proposed: [], withdrawn: false })
          await this.store.transaction((tx) => this.record(tx, entry))
        } catch (alone) {
          entry.job.reject(alone)
          entry.failed = true
        }
      }
    }
    for (const entry of prepared) {
      if (entry.failed) continue
      try {
        for (const result of entry.proposed) await entry.service.afterProposal(entry.run.userId, result)
        if (entry.proposed.length > 0 || entry.withdrawn) this.deps.events.emit('ideas:changed', { ideaId: entry.proposed.at(-1)?.idea.id ?? null })
        entry.job.resolve()
      } catch (error) {
        entry.job.reject(error)
      }
    }
  }

  /**
   * Fills and exits first; the broker commits each on its own. At the live edge a batch is one
   * candle, so an idea auto-executed after the commit is filled at the next candle's open, as in a backtest.
   */
  private async prepare({ run, items }: Job): Promise<Prepared> {
    const { service, broker } = this.deps.trading.for(run.userId)
    for (const item of items) await broker.onCandle(item.candle)
    return { run, items, service, waiting: await this.waitingIdeas(run), proposed: [], withdrawn: false, failed: false }
  }

  private async record(tx: Repositories, job: Prepared): Promise<void> {
    const { run, items, service, waiting } = job
    const last = items.at(-1) as BatchItem
    const intervalMs = TIMEFRAME_MS[run.config.timeframe as Timeframe]
    await tx.marketSnapshots.insertMany(items.map((item) => item.candle))
    const ids = await tx.marketSnapshots.idsAt(run.instrument, run.series, items.map((item) => item.candle.ts))
    await tx.indicatorSnapshots.upsertMany(items.map((item) => ({ symbol: run.instrument, timeframe: run.series, ts: item.candle.ts, indicators: item.indicators, marketSnapshotId: ids.get(item.candle.ts) ?? null })))
    if (run.config.feed === 'csv') await tx.settings.set(cursorKey(run.strategyId), last.candle.ts)
    for (const item of items) {
      for (const [id, { idea, candleTs }] of waiting) {
        if (candleTs !== null && item.candle.ts <= candleTs) continue
        const waited = candleTs === null ? run.config.ideaExpiryCandles : Math.round((Date.parse(item.candle.ts) - Date.parse(candleTs)) / intervalMs)
        const stale = staleness(idea, item.candle, waited, run.config.ideaExpiryCandles)
        if (!stale) continue
        waiting.delete(id)
        if (await service.withdrawWithin(tx, run.userId, idea, stale.action, stale.rationale)) job.withdrawn = true
      }
      if (item.ideas.length === 0 || !atLiveEdge(item.candle.ts, intervalMs, this.now())) continue
      for (const signal of item.ideas) {
        const price = (value: number) => formatPrice(value, run.config.priceDecimals)
        if (signal.stopLoss <= 0 || signal.takeProfit <= 0) {
          await tx.serviceLogs.append({ userId: run.userId, strategyId: run.strategyId, level: 'warn', message: `Skipped a ${signal.direction} idea at ${price(signal.entry)}: its stop-loss or take-profit is not above zero.` })
          continue
        }
        const range = entryRange(signal.entry, signal.stopLoss)
        const result = await service.proposeWithin(tx, run.userId, {
          replacing: [...waiting.values()].map((entry) => entry.idea),
          strategyId: run.strategyId,
          snapshotId: ids.get(item.candle.ts) ?? null,
          symbol: run.instrument,
          direction: signal.direction,
          entryPrice: price(signal.entry),
          entryRangeLow: price(range.low),
          entryRangeHigh: price(range.high),
          stopLoss: price(signal.stopLoss),
          takeProfit: price(signal.takeProfit),
          size: run.config.orderSize,
          rationale: signal.rationale,
          confidence: signal.confidence,
          expiresAt: new Date(this.now().getTime() + run.config.ideaExpiryMinutes * 60_000).toISOString(),
        })
        // The new idea replaced the instance's waiting one (proposeWithin recorded that).
        waiting.clear()
        if (result.idea.status === 'needs_approval') waiting.set(result.idea.id, { idea: result.idea, candleTs: item.candle.ts })
        job.proposed.push(result)
      }
    }
  }

  /** This instance's ideas in the approval queue, each with the candle it was proposed on. */
  private async waitingIdeas(run: ProcessedInstance): Promise<Map<string, WaitingIdea>> {
    const waiting = new Map<string, WaitingIdea>()
    for (const idea of await this.store.tradeIdeas.list(run.userId, { statuses: ['needs_approval'], limit: 10_000 })) {
      if (idea.strategyId !== run.strategyId) continue
      const candle = idea.snapshotId ? await this.store.marketSnapshots.get(idea.snapshotId) : null
      waiting.set(idea.id, { idea, candleTs: candle?.ts ?? null })
    }
    return waiting
  }
}
