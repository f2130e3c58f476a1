import Decimal from 'decimal.js'
import { paperSteps, riskBudget, sizeForRisk } from '../trading/sizing'
import type { BacktestStats, BacktestTrade, ChartBar, EquityPointTuple } from '../../../../shared/domain'
import type { Candle } from '../../platform/store/repositories/market-snapshots'
import { nextTurn } from '../../platform/next-turn'
import { TIMEFRAME_MS, type Timeframe } from '../strategies/feeds/feed'
import { formatPrice, type AnyStrategyKind, type CommonConfig, type IdeaSignal } from '../strategies/kinds/kind'
import { createStrategyRunner } from '../strategies/strategy-runner'
import { exitOnCandle, fillEntry, fillExit, prepareCosts, type Costs } from '../trading/fill-rules'
import { feesPerUnitOf, managedStop, rulesAreOff, StopTracker } from '../trading/stop-rules'
import { stopRulesOf } from '../strategies/kinds/kind'
import { avoidanceOf, withheldBy } from '../strategies/rules/market-events-rule'
import { timeExitOf, timeExitReached } from '../strategies/rules/time-exit'
import { cappedSize } from '../strategies/rules/strategy-caps'
import type { CalendarEvent, NewsItem } from '../../platform/store/repositories/market-events'
import { ChartSeries } from './chart-series'
import { StatsAccumulator } from './stats'

export interface BacktestInput {
  kind: AnyStrategyKind
  config: CommonConfig & Record<string, unknown>
  candles: Iterable<Candle> | AsyncIterable<Candle>
  costs: Costs
  startingEquity: string
  /** Called every few thousand candles; the run yields to the event loop there, so Cancel is heard. */
  onProgress?: (candles: number) => void
  signal?: AbortSignal
  /** The symbol, and the calendar and news in force over the run: ideas near an event the settings avoid are withheld. */
  symbol?: string
  events?: { calendar: readonly CalendarEvent[]; news: readonly NewsItem[] }
}

export interface BacktestResult {
  candles: number
  first: string | null
  last: string | null
  trades: BacktestTrade[]
  equity: EquityPointTuple[]
  bars: ChartBar[]
  stats: BacktestStats
}

export class BacktestCancelled extends Error {
  constructor() {
    super('The backtest was cancelled.')
    this.name = 'BacktestCancelled'
  }
}

const YIELD_EVERY = 16_384
const CHART_POINTS = 2000

interface OpenPosition {
  direction: 'long' | 'short'
  quantity: string
  quantityNumber: number
  averagePrice: string
  averageNumber: number
  entryFee: string
  entryTs: string
  stopLoss: string
  /** The stop it opened with: one R from the entry, for break-even. */
  initialStop: string
  takeProfit: string
}

/**
 * Replays a strategy over candles as fast as the thread allows, with the
 * paper broker's fill rules: an idea becomes a market order filled at the
 * next candle's open (slipped, with fees), and stop-loss and take-profit are
 * checked from the candle after the fill, the stop first when one candle
 * touches both. One position at a time; ideas while one is open or pending
 * are passed over. Touches no account, queue or history: it only returns.
 */
export async function runBacktest(input: BacktestInput): Promise<BacktestResult> {
  const { kind, config } = input
  const intervalMs = TIMEFRAME_MS[config.timeframe as Timeframe]
  const runner = createStrategyRunner(kind, config)
  // Trailing stop and break-even as forward running applies them (CandleProcessor), after fills, at each close.
  const rules = stopRulesOf(config)
  const tracker = rulesAreOff(rules) ? null : new StopTracker(rules)
  const costs = prepareCosts(input.costs)
  const price = (value: number) => formatPrice(value, config.priceDecimals)
  const avoidance = avoidanceOf(config)
  const timeExit = timeExitOf(config)
  const withheld = (ts: string) =>
    avoidance && input.events && input.symbol
      ? withheldBy(input.symbol, Date.parse(ts) + intervalMs, avoidance, input.events) !== null
      : false
  const stats = new StatsAccumulator(Number(input.startingEquity), intervalMs)
  const chart = new ChartSeries(CHART_POINTS)
  const trades: BacktestTrade[] = []
  let realized = new Decimal(0)
  let cash = Number(input.startingEquity)
  let position: OpenPosition | null = null
  let pending: IdeaSignal | null = null
  let count = 0
  let first: string | null = null
  let lastCandle: Candle | null = null

  const close = (open: OpenPosition, exitPriceText: string, ts: string, reason: BacktestTrade['exitReason']) => {
    const exit = fillExit(open, exitPriceText, costs)
    realized = realized.plus(exit.net)
    stats.trade(exit.net)
    cash = Number(input.startingEquity) + realized.toNumber()
    trades.push({
      direction: open.direction,
      quantity: open.quantity,
      entryTs: open.entryTs,
      entryPrice: open.averagePrice,
      exitTs: ts,
      exitPrice: exit.exitPrice,
      exitReason: reason,
      realizedPnl: exit.realizedPnl,
      fees: exit.fees,
      netPnl: exit.net.toString(),
    })
  }

  const step = (candle: Candle) => {
    if (first === null) first = candle.ts
    const numeric = {
      ts: candle.ts,
      open: Number(candle.open),
      high: Number(candle.high),
      low: Number(candle.low),
      close: Number(candle.close),
      volume: Number(candle.volume),
    }
    if (position) {
      const exit = exitOnCandle(position.direction, position.stopLoss, position.takeProfit, candle, numeric)
      if (exit) {
        close(position, exit.price, candle.ts, exit.reason === 'stop_loss' ? 'stop_loss' : 'take_profit')
        position = null
      }
    }
    // Sized as forward running sizes it: the fixed size, or by risk on the run's own equity, in eight decimals as on paper.
    const size = pending
      ? cappedSize(
          config.sizing === 'risk'
            ? paperSteps(sizeForRisk(riskBudget(config.riskPerTrade, cash), pending.entry, pending.stopLoss))
            : config.orderSize,
          config,
        )
      : '0'
    if (pending && !(Number(size) > 0)) pending = null
    if (pending) {
      const fill = fillEntry(pending.direction, candle.open, size, costs)
      position = {
        direction: pending.direction,
        quantity: size,
        quantityNumber: Number(size),
        averagePrice: fill.price,
        averageNumber: Number(fill.price),
        entryFee: fill.fee,
        entryTs: candle.ts,
        stopLoss: price(pending.stopLoss),
        initialStop: price(pending.stopLoss),
        takeProfit: price(pending.takeProfit),
      }
      cash -= Number(fill.fee)
      pending = null
    }
    if (tracker) {
      const atr = tracker.update(numeric)
      const open = position as OpenPosition | null
      const move = open
        ? managedStop(
            {
              direction: open.direction,
              entry: open.averagePrice,
              initialStop: open.initialStop,
              stop: open.stopLoss,
              feesPerUnit: feesPerUnitOf(open.entryFee, open.quantity),
            },
            candle.close,
            rules,
            atr,
            config.priceDecimals,
          )
        : null
      if (open && move) open.stopLoss = move.stop
    }
    if (position && timeExit && timeExitReached(position.entryTs, candle.ts, intervalMs, timeExit)) {
      close(position, candle.close, candle.ts, 'strategy')
      position = null
    }
    const closeNumber = numeric.close
    if (position) {
      // An idea while a position is open would be passed over, so the kind is not asked (its decision is pure).
      runner.warm(numeric)
    } else {
      for (const signal of runner.onCandle(numeric).ideas) {
        if (signal.stopLoss > 0 && signal.takeProfit > 0 && !withheld(candle.ts)) {
          pending = signal
          break
        }
      }
    }
    const unrealised = position
      ? (closeNumber - position.averageNumber) * position.quantityNumber * (position.direction === 'long' ? 1 : -1)
      : 0
    const equity = cash + unrealised
    const drawdownPct = stats.candle(candle.ts, equity, position !== null)
    chart.add(candle.ts, numeric.open, numeric.high, numeric.low, closeNumber, equity, drawdownPct)
    lastCandle = candle
    count++
  }
  // Yields every few thousand candles so progress shows and Cancel is heard; an array or a generator
  // is walked without awaiting each candle, which would cost more than the strategy itself.
  const checkpoint = async () => {
    input.onProgress?.(count)
    await nextTurn()
    if (input.signal?.aborted) throw new BacktestCancelled()
  }
  if (Symbol.asyncIterator in input.candles) {
    for await (const candle of input.candles) {
      step(candle)
      if (count % YIELD_EVERY === 0) await checkpoint()
    }
  } else {
    for (const candle of input.candles) {
      step(candle)
      if (count % YIELD_EVERY === 0) await checkpoint()
    }
  }
  // The loop assigned these inside step(); TypeScript cannot see that.
  const open = position as OpenPosition | null
  const final = lastCandle as Candle | null
  // What is still open is closed at the last close, so the figures count every trade.
  if (open && final) close(open, final.close, final.ts, 'end_of_data')
  input.onProgress?.(count)
  const { equity, bars } = chart.result()
  return {
    candles: count,
    first: first as string | null,
    last: final?.ts ?? null,
    trades,
    equity,
    bars,
    stats: stats.finish(realized, input.startingEquity),
  }
}
