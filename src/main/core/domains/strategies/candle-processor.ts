import type { CoreEvents } from '../../platform/events'
import type { TradeIdea } from '../../platform/store/repositories/trade-ideas'
import type { IndicatorSnapshot } from '../../platform/store/repositories/indicator-snapshots'
import { seriesCandleKey } from '../../platform/store/repositories/market-snapshots'
import type { Repositories, Store } from '../../platform/store/store'
import { approvalDeadline, entryRange, staleness } from '../trading/idea-staleness'
import type { TradingDesks } from '../trading/trading-desks'
import { type RiskState, type TradingService } from '../trading/trading-service'
import { PAPER_VENUE, type Venue } from '../trading/venue'
import type { CandleDriven } from '../trading/broker'
import { TIMEFRAME_MS, type Timeframe } from './feeds/feed'
import { cursorKey } from './instance-feed'
import { formatPrice, numericCandle, stopRulesOf, type CommonConfig } from './kinds/kind'
import { rulesAreOff, StopTracker } from '../trading/stop-rules'
import { applyStopRules } from '../exchanges/position-actions'
import type { BatchItem } from './worker/protocol'
import { paperSteps, riskBudget, sizeForRisk } from '../trading/sizing'
import { errorMessage } from '../../../../shared/errors'
import { avoidanceOf, clearOf, eventWindow, withheldBy } from './rules/market-events-rule'
import { timeExitOf, timeExitReached } from './rules/time-exit'
import { cappedSize, openTradesCapReached } from './rules/strategy-caps'

/** The instance a batch belongs to: who, which market series, and its settings. */
export interface ProcessedInstance {
  userId: string
  strategyId: string
  instrument: string
  /** The market_snapshots timeframe its candles are stored under. */
  series: string
  config: CommonConfig
  /** Where its ideas trade; paper when not given. */
  venue?: Venue
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

/** The longest a batch waits for others closing with it before its commit starts. */
const GATHER_LIMIT_MS = 8

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
  /** For an instance sized by risk, read before the commit: an idea's size from its entry and stop ("0" below one step). */
  sizer?: ((entry: number, stop: number) => string) | null
  /** Per candle at the live edge with ideas, why they are withheld (an event the instance avoids), read before the commit. */
  withheld?: Map<string, string>
  /** For an instance that avoids events, what its ideas that go ahead were clear of, for their rationale. */
  clearOf?: string
}

export interface CandleProcessorDeps {
  store: () => Store
  trading: TradingDesks
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
  /** Each instance's ATR for its trailing stop, fed every candle it processes. */
  private readonly stopTrackers = new Map<string, { key: string; tracker: StopTracker }>()

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
      await this.gatherArrivals()
      while (this.queued.length > 0) await this.commitTogether(this.queued.splice(0))
    } finally {
      this.draining = false
    }
  }

  /**
   * Instances whose candles close together post their batches within a few milliseconds of each
   * other; waiting until a millisecond passes with none arriving (at most a few) puts them in one
   * commit, where otherwise the late ones wait for the first commit to finish and then make their own.
   */
  private async gatherArrivals(): Promise<void> {
    const started = performance.now()
    let seen = -1
    while (this.queued.length !== seen && performance.now() - started < GATHER_LIMIT_MS) {
      seen = this.queued.length
      await new Promise((resolve) => setTimeout(resolve, 1))
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
      await this.loadWaiting(prepared)
    } catch (error) {
      for (const entry of prepared.splice(0)) entry.job.reject(error)
    }
    for (const entry of prepared) await this.loadSizing(entry)
    for (const entry of prepared) await this.loadWithholding(entry)
    try {
      await this.store.transaction((tx) => this.recordTogether(tx, prepared))
    } catch (error) {
      if (prepared.length === 1) return prepared[0]!.job.reject(error)
      // Rolled back as a whole: each batch again on its own, so only the faulty one fails.
      for (const entry of prepared) {
        try {
          Object.assign(entry, { proposed: [], withdrawn: false })
          await this.loadWaiting([entry])
          await this.store.transaction((tx) => this.recordTogether(tx, [entry]))
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
        if (entry.proposed.length > 0 || entry.withdrawn)
          this.deps.events.emit('ideas:changed', { ideaId: entry.proposed.at(-1)?.idea.id ?? null })
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
    const { service } = this.deps.trading.for(run.userId)
    // The venue's broker sees each candle first: paper fills and exits, or an exchange position's managed stop-loss and take-profit.
    const broker = this.deps.trading.brokerFor(run.userId, run.venue ?? PAPER_VENUE) as Partial<CandleDriven>
    for (const item of items) {
      await broker.onCandle?.(item.candle)
      await this.manageStops(run, item.candle)
      await this.closeOnTime(run, item.candle)
    }
    return { run, items, service, waiting: new Map(), proposed: [], withdrawn: false, failed: false }
  }

  /**
   * A rules instance's time exit, after the candle's exits and stop moves, as a backtest applies it: each of its
   * positions on the symbol that has been held its number of candles closes at this candle's close, with a decision
   * row by the strategy in the close's transaction.
   */
  private async closeOnTime(run: ProcessedInstance, candle: BatchItem['candle']): Promise<void> {
    const candles = timeExitOf(run.config as Record<string, unknown>)
    if (!candles) return
    const intervalMs = TIMEFRAME_MS[run.config.timeframe as Timeframe]
    const due = (await this.store.positions.listOpen(run.userId)).filter(
      (position) =>
        position.strategyId === run.strategyId &&
        position.symbol === run.instrument &&
        position.openedAt <= candle.ts &&
        timeExitReached(position.openedAt, candle.ts, intervalMs, candles),
    )
    if (due.length === 0) return
    const broker = this.deps.trading.brokerFor(run.userId, run.venue ?? PAPER_VENUE)
    for (const position of due)
      await broker.closePosition(position, 'strategy', {
        at: candle.ts,
        within: (tx, orderId) =>
          tx.decisions
            .append(run.userId, {
              action: 'position_closed',
              actor: 'ai',
              symbol: position.symbol,
              strategyId: run.strategyId,
              tradeIdeaId: (position.metadata.tradeIdeaId as string | null | undefined) ?? null,
              orderId,
              rationale: `The strategy's time exit closed the ${position.direction} ${position.quantity} ${position.symbol} at the close of its ${candles}th candle, ${candle.close}.`,
            })
            .then(() => undefined),
      })
  }

  /** The instance's trailing stop and break-even, after the broker has seen the candle, as a backtest applies them. */
  private async manageStops(run: ProcessedInstance, candle: BatchItem['candle']): Promise<void> {
    const rules = stopRulesOf(run.config)
    if (rulesAreOff(rules)) return
    const key = JSON.stringify(rules)
    let entry = this.stopTrackers.get(run.strategyId)
    if (entry?.key !== key) {
      entry = { key, tracker: new StopTracker(rules) }
      this.stopTrackers.set(run.strategyId, entry)
    }
    const atr = entry.tracker.update(numericCandle(candle))
    await applyStopRules(
      { store: this.store },
      this.deps.trading,
      { ...run, priceDecimals: run.config.priceDecimals },
      candle.close,
      rules,
      atr,
    )
  }

  /**
   * The group's writes in one transaction. Its decision rows are queued and inserted together at
   * the end, and each user's account state is read once (see TradingService.riskStateWithin):
   * one statement per table rather than one per instance.
   */
  private async recordTogether(tx: Repositories, entries: readonly Prepared[]): Promise<void> {
    const decisions = tx.decisions.deferred()
    const batched: Repositories = { ...tx, decisions: { ...tx.decisions, append: decisions.append } }
    const ids = await this.storeCandles(batched, entries)
    const risk = new Map<string, RiskState>()
    for (const entry of entries) await this.record(batched, entry, ids, risk)
    await decisions.flush()
  }

  /**
   * Every batch's candles and indicators in three statements for the whole group, however many
   * instances it holds; returns the stored candles' ids (see seriesCandleKey).
   */
  private async storeCandles(tx: Repositories, entries: readonly Prepared[]): Promise<Map<string, string>> {
    // Instances on the same market share its candles; one statement may name a row once only (PostgreSQL's rule for upserts).
    const candles = new Map<string, BatchItem['candle']>()
    const indicators = new Map<string, IndicatorSnapshot>()
    for (const { run, items } of entries) {
      for (const { candle, indicators: values } of items) {
        const key = seriesCandleKey(run.instrument, run.series, candle.ts)
        if (!candles.has(key)) candles.set(key, candle)
        const earlier = indicators.get(key)
        indicators.set(key, {
          symbol: run.instrument,
          timeframe: run.series,
          ts: candle.ts,
          indicators: { ...earlier?.indicators, ...values },
          marketSnapshotId: null,
        })
      }
    }
    await tx.marketSnapshots.insertMany([...candles.values()])
    const ids = await tx.marketSnapshots.idsAt(
      entries.map(({ run, items }) => ({
        symbol: run.instrument,
        timeframe: run.series,
        timestamps: items.map((item) => item.candle.ts),
      })),
    )
    await tx.indicatorSnapshots.upsertMany(
      [...indicators].map(([key, snapshot]) => ({ ...snapshot, marketSnapshotId: ids.get(key) ?? null })),
    )
    return ids
  }

  /** `risk` holds each user's account state for this transaction, read at the first proposal. */
  private async record(
    tx: Repositories,
    job: Prepared,
    ids: Map<string, string>,
    risk: Map<string, RiskState>,
  ): Promise<void> {
    const { run, items, service, waiting } = job
    const last = items.at(-1) as BatchItem
    const intervalMs = TIMEFRAME_MS[run.config.timeframe as Timeframe]
    if (run.config.feed === 'csv') await tx.settings.set(cursorKey(run.strategyId), last.candle.ts)
    for (const item of items) {
      for (const [id, { idea, candleTs }] of waiting) {
        if (candleTs !== null && item.candle.ts <= candleTs) continue
        const waited =
          candleTs === null
            ? run.config.ideaExpiryCandles
            : Math.round((Date.parse(item.candle.ts) - Date.parse(candleTs)) / intervalMs)
        const stale = staleness(idea, item.candle, waited, run.config.ideaExpiryCandles)
        if (!stale) continue
        waiting.delete(id)
        if (await service.withdrawWithin(tx, run.userId, idea, stale.action, stale.rationale)) job.withdrawn = true
      }
      if (item.ideas.length === 0 || !atLiveEdge(item.candle.ts, intervalMs, this.now())) continue
      for (const signal of item.ideas) {
        const price = (value: number) => formatPrice(value, run.config.priceDecimals)
        if (signal.stopLoss <= 0 || signal.takeProfit <= 0) {
          await tx.serviceLogs.append({
            userId: run.userId,
            strategyId: run.strategyId,
            level: 'warn',
            message: `Skipped a ${signal.direction} idea at ${price(signal.entry)}: its stop-loss or take-profit is not above zero.`,
          })
          continue
        }
        // Counted only for an instance with a cap of its own: every other idea costs no query.
        const capped = Number((run.config as Record<string, unknown>).maxOpenTrades ?? 0)
          ? openTradesCapReached(
              (await tx.positions.listOpen(run.userId)).filter((position) => position.strategyId === run.strategyId)
                .length,
              run.config as Record<string, unknown>,
            )
          : null
        const withheld = job.withheld?.get(item.candle.ts) ?? capped
        if (withheld) {
          await tx.decisions.append(run.userId, {
            action: 'idea_withheld',
            actor: 'ai',
            symbol: run.instrument,
            strategyId: run.strategyId,
            snapshotId: ids.get(seriesCandleKey(run.instrument, run.series, item.candle.ts)) ?? null,
            confidence: signal.confidence,
            rationale: `${signal.direction === 'long' ? 'Long' : 'Short'} ${run.instrument} at ${price(signal.entry)} withheld: ${withheld}. ${signal.rationale}`,
          })
          continue
        }
        const sized =
          job.sizer === undefined ? run.config.orderSize : (job.sizer?.(signal.entry, signal.stopLoss) ?? null)
        if (sized === null) continue
        const size = cappedSize(sized, run.config as Record<string, unknown>)
        if (!(Number(size) > 0)) {
          await tx.serviceLogs.append({
            userId: run.userId,
            strategyId: run.strategyId,
            level: 'warn',
            message: `Skipped a ${signal.direction} idea at ${price(signal.entry)}: risking ${run.config.riskPerTrade} with the stop at ${price(signal.stopLoss)} buys less than one step of ${run.instrument}.`,
          })
          continue
        }
        const range = entryRange(signal.entry, signal.stopLoss, run.config.entryToleranceR)
        let state = risk.get(run.userId)
        if (!state) risk.set(run.userId, (state = await service.riskStateWithin(tx, run.userId)))
        const result = await service.proposeWithin(
          tx,
          run.userId,
          {
            replacing: [...waiting.values()].map((entry) => entry.idea),
            strategyId: run.strategyId,
            snapshotId: ids.get(seriesCandleKey(run.instrument, run.series, item.candle.ts)) ?? null,
            symbol: run.instrument,
            direction: signal.direction,
            entryPrice: price(signal.entry),
            entryRangeLow: price(range.low),
            entryRangeHigh: price(range.high),
            stopLoss: price(signal.stopLoss),
            takeProfit: price(signal.takeProfit),
            size,
            rationale: job.clearOf ? `${signal.rationale} ${job.clearOf}` : signal.rationale,
            confidence: signal.confidence,
            expiresAt: approvalDeadline(
              item.candle.ts,
              intervalMs,
              run.config.ideaExpiryCandles,
              this.now(),
              run.config.ideaExpiryMinutes,
            ).toISOString(),
          },
          state,
        )
        // The new idea replaced the instance's waiting one (proposeWithin recorded that).
        waiting.clear()
        if (result.idea.status === 'needs_approval')
          waiting.set(result.idea.id, { idea: result.idea, candleTs: item.candle.ts })
        job.proposed.push(result)
      }
    }
  }

  /**
   * An instance sized by risk with ideas at the live edge reads its venue's equity now, outside the commit: the
   * paper account's, or the exchange account's in the instrument's settlement currency. When it cannot be read,
   * the ideas are skipped with a warning rather than sized from a guess.
   */
  private async loadSizing(entry: Prepared): Promise<void> {
    const { run } = entry
    if (run.config.sizing !== 'risk') return
    const intervalMs = TIMEFRAME_MS[run.config.timeframe as Timeframe]
    if (!entry.items.some((item) => item.ideas.length > 0 && atLiveEdge(item.candle.ts, intervalMs, this.now()))) return
    const venue = run.venue ?? PAPER_VENUE
    try {
      const broker = this.deps.trading.brokerFor(run.userId, venue)
      const account = broker.sizing
        ? await broker.sizing(run.instrument)
        : { equity: (await entry.service.book.account(run.userId)).equity, wholeSteps: paperSteps }
      entry.sizer = (entryPrice, stop) =>
        account.wholeSteps(sizeForRisk(riskBudget(run.config.riskPerTrade, account.equity), entryPrice, stop))
    } catch (error) {
      entry.sizer = null
      await this.store.serviceLogs.append({
        userId: run.userId,
        strategyId: run.strategyId,
        level: 'warn',
        message: `Could not read the account's equity to size by risk (${errorMessage(error)}); this candle's ideas were skipped.`,
      })
    }
  }

  /** For an instance that avoids calendar events or news, the events near each of its live candles with ideas. */
  private async loadWithholding(entry: Prepared): Promise<void> {
    const avoidance = avoidanceOf(entry.run.config as Record<string, unknown>)
    if (!avoidance) return
    const intervalMs = TIMEFRAME_MS[entry.run.config.timeframe as Timeframe]
    entry.withheld = new Map()
    entry.clearOf = clearOf(entry.run.instrument, avoidance)
    for (const item of entry.items) {
      if (item.ideas.length === 0 || !atLiveEdge(item.candle.ts, intervalMs, this.now())) continue
      const closedAt = Date.parse(item.candle.ts) + intervalMs
      const { from, to } = eventWindow(closedAt, avoidance)
      const events = {
        calendar: await this.store.marketEvents.calendarBetween(from, to, { highOnly: true }),
        news: await this.store.marketEvents.newsBetween(from, to),
      }
      const why = withheldBy(entry.run.instrument, closedAt, avoidance, events)
      if (why) entry.withheld.set(item.candle.ts, why)
    }
  }

  /** Each batch's instance's ideas in the approval queue, with the candle each was proposed on: one query per user. */
  private async loadWaiting(entries: readonly Prepared[]): Promise<void> {
    const byUser = new Map<string, Prepared[]>()
    for (const entry of entries) byUser.set(entry.run.userId, [...(byUser.get(entry.run.userId) ?? []), entry])
    for (const [userId, group] of byUser) {
      const waiting = await this.store.tradeIdeas.waitingOf(userId, [
        ...new Set(group.map((entry) => entry.run.strategyId)),
      ])
      for (const entry of group)
        entry.waiting = new Map(
          waiting.filter(({ idea }) => idea.strategyId === entry.run.strategyId).map((item) => [item.idea.id, item]),
        )
    }
  }
}
