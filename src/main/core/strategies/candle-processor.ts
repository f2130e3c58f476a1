import type { CoreEvents } from '../events'
import type { TradeIdea } from '../store/repositories/trade-ideas'
import type { Store } from '../store/store'
import { entryRange, staleness } from '../trading/idea-staleness'
import type { TradingRegistry } from '../trading/trading-registry'
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
  async process(run: ProcessedInstance, items: BatchItem[]): Promise<void> {
    const store = this.store
    const last = items.at(-1)
    if (!last) return
    const ids = await store.transaction(async (tx) => {
      await tx.marketSnapshots.insertMany(items.map((item) => item.candle))
      const byTs = await tx.marketSnapshots.idsAt(run.instrument, run.series, items.map((item) => item.candle.ts))
      await tx.indicatorSnapshots.upsertMany(items.map((item) => ({ symbol: run.instrument, timeframe: run.series, ts: item.candle.ts, indicators: item.indicators, marketSnapshotId: byTs.get(item.candle.ts) ?? null })))
      if (run.config.feed === 'csv') await tx.settings.set(cursorKey(run.strategyId), last.candle.ts)
      return byTs
    })
    const { service, broker } = this.deps.trading.for(run.userId)
    const intervalMs = TIMEFRAME_MS[run.config.timeframe as Timeframe]
    const waiting = await this.waitingIdeas(run)
    let changed = false
    for (const item of items) {
      await broker.onCandle(item.candle)
      if (await this.withdrawStale(run, waiting, item.candle, intervalMs)) changed = true
      if (item.ideas.length === 0 || !atLiveEdge(item.candle.ts, intervalMs, this.now())) continue
      for (const signal of item.ideas) {
        const price = (value: number) => formatPrice(value, run.config.priceDecimals)
        if (signal.stopLoss <= 0 || signal.takeProfit <= 0) {
          await store.serviceLogs.append({ userId: run.userId, strategyId: run.strategyId, level: 'warn', message: `Skipped a ${signal.direction} idea at ${price(signal.entry)}: its stop-loss or take-profit is not above zero.` })
          continue
        }
        const range = entryRange(signal.entry, signal.stopLoss)
        const { idea } = await service.propose(run.userId, {
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
        // A new idea replaces the instance's waiting one (the trading service records that).
        waiting.clear()
        if (idea.status === 'needs_approval') waiting.set(idea.id, { idea, candleTs: item.candle.ts })
        changed = true
      }
    }
    if (changed) this.deps.events.emit('ideas:changed', { ideaId: null })
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

  /** Takes out of the queue what this candle made stale; returns whether anything left it. */
  private async withdrawStale(run: ProcessedInstance, waiting: Map<string, WaitingIdea>, candle: BatchItem['candle'], intervalMs: number): Promise<boolean> {
    let withdrawn = false
    for (const [id, { idea, candleTs }] of waiting) {
      if (candleTs !== null && candle.ts <= candleTs) continue
      const waited = candleTs === null ? run.config.ideaExpiryCandles : Math.round((Date.parse(candle.ts) - Date.parse(candleTs)) / intervalMs)
      const stale = staleness(idea, candle, waited, run.config.ideaExpiryCandles)
      if (!stale) continue
      waiting.delete(id)
      if (await this.deps.trading.for(run.userId).service.withdraw(run.userId, idea, stale.action, stale.rationale)) withdrawn = true
    }
    return withdrawn
  }
}
