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
    const last = items.at(-1)
    if (!last) return
    const { service, broker } = this.deps.trading.for(run.userId)
    const intervalMs = TIMEFRAME_MS[run.config.timeframe as Timeframe]
    // Fills and exits first; the broker commits each on its own. At the live edge a batch is one
    // candle, so an idea auto-executed below is filled at the next candle's open, as in a backtest.
    for (const item of items) await broker.onCandle(item.candle)
    const waiting = await this.waitingIdeas(run)
    const proposed: Awaited<ReturnType<typeof service.proposeWithin>>[] = []
    let withdrawn = false
    // The candles, what they made stale and the ideas they produced commit together: one sync to disk per batch.
    await this.store.transaction(async (tx) => {
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
          if (await service.withdrawWithin(tx, run.userId, idea, stale.action, stale.rationale)) withdrawn = true
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
          proposed.push(result)
        }
      }
    })
    for (const result of proposed) await service.afterProposal(run.userId, result)
    if (proposed.length > 0 || withdrawn) this.deps.events.emit('ideas:changed', { ideaId: proposed.at(-1)?.idea.id ?? null })
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
