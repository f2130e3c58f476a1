import Decimal from 'decimal.js'
import type { BacktestStats } from '../../../../shared/domain'

const YEAR_MS = 365 * 86_400_000

/** Rounds for storage and display: the figures stay byte-identical for the same inputs either way. */
const round = (value: number, places = 6) => Math.round(value * 10 ** places) / 10 ** places

/**
 * The run's figures, gathered candle by candle in constant memory: the
 * equity path (drawdowns, per-candle returns for Sharpe and Sortino, time in
 * the market) and the closed trades.
 */
export class StatsAccumulator {
  private candles = 0
  private inMarket = 0
  private peak: number
  private previous: number
  private maxDrawdown = 0
  private maxDrawdownPct = 0
  private returns = 0
  private returnsSquared = 0
  private downsideSquared = 0
  private underwaterSince: number | null = null
  private underwaterCandles = 0
  private longestCandles = 0
  private longestMs = 0
  private lastTs = ''
  private wins = 0
  private losses = 0
  private grossWin = new Decimal(0)
  private lossSum = new Decimal(0)

  constructor(
    private readonly startingEquity: number,
    private readonly intervalMs: number,
  ) {
    this.peak = startingEquity
    this.previous = startingEquity
  }

  /** A closed trade's net P&L (a break-even trade counts as a loss). */
  trade(net: Decimal): void {
    if (net.gt(0)) {
      this.wins++
      this.grossWin = this.grossWin.plus(net)
    } else {
      this.losses++
      this.lossSum = this.lossSum.plus(net)
    }
  }

  /**
   * Equity at a candle's close; returns the drawdown % from the peak so far.
   * The time stays text until a drawdown starts or ends: parsing it on each of a million candles costs more than the rest.
   */
  candle(ts: string, equity: number, positionOpen: boolean): number {
    this.candles++
    if (positionOpen) this.inMarket++
    const change = this.previous > 0 ? equity / this.previous - 1 : 0
    this.returns += change
    this.returnsSquared += change * change
    if (change < 0) this.downsideSquared += change * change
    this.previous = equity
    this.lastTs = ts
    if (equity >= this.peak) {
      this.peak = equity
      this.closeUnderwater(ts)
      return 0
    }
    if (this.underwaterSince === null) this.underwaterSince = Date.parse(ts)
    this.underwaterCandles++
    const drawdown = this.peak - equity
    const drawdownPct = this.peak > 0 ? (drawdown / this.peak) * 100 : 0
    if (drawdown > this.maxDrawdown) this.maxDrawdown = drawdown
    if (drawdownPct > this.maxDrawdownPct) this.maxDrawdownPct = drawdownPct
    return drawdownPct
  }

  private closeUnderwater(ts: string): void {
    if (this.underwaterSince === null) return
    if (this.underwaterCandles > this.longestCandles) {
      this.longestCandles = this.underwaterCandles
      this.longestMs = Date.parse(ts) - this.underwaterSince
    }
    this.underwaterSince = null
    this.underwaterCandles = 0
  }

  finish(realized: Decimal, startingEquity: string): BacktestStats {
    const trades = this.wins + this.losses
    // A drawdown still open at the end counts up to the last candle.
    if (this.underwaterSince !== null && this.underwaterCandles > this.longestCandles) {
      this.longestCandles = this.underwaterCandles
      this.longestMs = Date.parse(this.lastTs) + this.intervalMs - this.underwaterSince
    }
    const { wins, losses, grossWin, lossSum } = this
    const grossLoss = lossSum.abs()
    const n = this.candles
    const mean = n > 0 ? this.returns / n : 0
    const variance = n > 1 ? (this.returnsSquared - n * mean * mean) / (n - 1) : 0
    const downside = n > 0 ? Math.sqrt(this.downsideSquared / n) : 0
    const perYear = Math.sqrt(YEAR_MS / this.intervalMs)
    const std = Math.sqrt(Math.max(0, variance))
    return {
      startingEquity,
      endingEquity: realized.plus(startingEquity).toString(),
      netPnl: realized.toString(),
      returnPct: round(realized.div(startingEquity).times(100).toNumber()),
      tradeCount: trades,
      winRate: trades > 0 ? round(wins / trades) : null,
      profitFactor: grossLoss.gt(0) ? round(grossWin.div(grossLoss).toNumber()) : null,
      maxDrawdown: new Decimal(this.maxDrawdown).toDecimalPlaces(8).toString(),
      maxDrawdownPct: round(this.maxDrawdownPct),
      sharpe: std > 0 ? round((mean / std) * perYear) : null,
      sortino: downside > 0 ? round((mean / downside) * perYear) : null,
      exposure: n > 0 ? round(this.inMarket / n) : 0,
      averageWin: wins > 0 ? grossWin.div(wins).toDecimalPlaces(8).toString() : null,
      averageLoss: losses > 0 ? lossSum.div(losses).toDecimalPlaces(8).toString() : null,
      longestDrawdownCandles: this.longestCandles,
      longestDrawdownMs: this.longestMs,
    }
  }
}
