import Decimal from 'decimal.js'
import type { Direction, ExitReason } from '../../platform/store/repositories/execution'

/**
 * How a simulated fill is priced, shared by the paper broker and the
 * backtester so that the same candles give the same trades in both.
 */

export interface Costs {
  /** Fraction of the price lost on every fill, e.g. 0.0005 = 5 bp. */
  slippage: string
  /** Fee as a fraction of notional, e.g. 0.0004 = 4 bp. */
  feeRate: string
}

/** What the paper broker and the backtester charge unless told otherwise: 2 bp slippage and 4 bp fees on every fill. */
export const PAPER_COSTS: Costs = { slippage: '0.0002', feeRate: '0.0004' }

/** Decimal places money is rounded to (fees, P&L). */
export const MONEY_SCALE = 8

/** Costs as the fill functions use them, built once per broker or run rather than on every fill. */
export interface PreparedCosts {
  buyFactor: Decimal
  sellFactor: Decimal
  feeRate: Decimal
}

export function prepareCosts(costs: Costs): PreparedCosts {
  const slippage = new Decimal(costs.slippage)
  return {
    buyFactor: new Decimal(1).plus(slippage),
    sellFactor: new Decimal(1).minus(slippage),
    feeRate: new Decimal(costs.feeRate),
  }
}

export function money(value: Decimal, scale = MONEY_SCALE): string {
  return value.toDecimalPlaces(scale, Decimal.ROUND_HALF_EVEN).toString()
}

/** Price after slippage: buying costs more, selling yields less. */
export function slipped(price: string, side: 'buy' | 'sell', costs: PreparedCosts): Decimal {
  return new Decimal(price).times(side === 'buy' ? costs.buyFactor : costs.sellFactor)
}

export const entrySide = (direction: Direction): 'buy' | 'sell' => (direction === 'long' ? 'buy' : 'sell')
export const exitSide = (direction: Direction): 'buy' | 'sell' => (direction === 'long' ? 'sell' : 'buy')

/**
 * Whether a candle closes a position, and at which price (as text, before
 * slippage). When one candle touches both levels the stop is assumed (the
 * pessimistic reading), and a gap through the stop fills at the open.
 * Prices compare as numbers: they are short decimals, whose order doubles keep.
 */
export function exitOnCandle(
  direction: Direction,
  stopLoss: string | null,
  takeProfit: string | null,
  candle: { open: string; high: string; low: string },
  /** The same candle already as numbers, when the caller has them. */
  parsed: { open: number; high: number; low: number } = {
    open: Number(candle.open),
    high: Number(candle.high),
    low: Number(candle.low),
  },
): { price: string; reason: ExitReason } | null {
  const long = direction === 'long'
  const { high, low } = parsed
  if (stopLoss !== null) {
    const stop = Number(stopLoss)
    if (long ? low <= stop : high >= stop) {
      const open = parsed.open
      const gapped = long ? open < stop : open > stop
      return { price: gapped ? candle.open : stopLoss, reason: 'stop_loss' }
    }
  }
  if (takeProfit !== null) {
    const target = Number(takeProfit)
    if (long ? high >= target : low <= target) return { price: takeProfit, reason: 'take_profit' }
  }
  return null
}

export interface EntryFill {
  price: string
  fee: string
}

/** A market order filled at a price (the next candle's open), slipped, with its fee. */
export function fillEntry(
  direction: Direction,
  openPrice: string,
  quantity: string,
  costs: PreparedCosts,
  scale = MONEY_SCALE,
): EntryFill {
  const price = slipped(openPrice, entrySide(direction), costs)
  return { price: price.toString(), fee: money(price.times(quantity).times(costs.feeRate), scale) }
}

export interface ExitFill {
  exitPrice: string
  exitFee: string
  /** Price move times quantity, before fees. */
  realizedPnl: string
  /** Entry and exit fees together. */
  fees: string
  /** realizedPnl less fees, as a number type callers can keep adding to. */
  net: Decimal
}

export function fillExit(
  position: { direction: Direction; averagePrice: string; quantity: string; entryFee: string },
  exitPriceText: string,
  costs: PreparedCosts,
  scale = MONEY_SCALE,
): ExitFill {
  const exitPrice = slipped(exitPriceText, exitSide(position.direction), costs)
  const quantity = new Decimal(position.quantity)
  const move = exitPrice.minus(position.averagePrice).times(quantity)
  const exitFee = exitPrice.times(quantity).times(costs.feeRate).toDecimalPlaces(scale, Decimal.ROUND_HALF_EVEN)
  const realized = (position.direction === 'long' ? move : move.negated()).toDecimalPlaces(
    scale,
    Decimal.ROUND_HALF_EVEN,
  )
  const fees = exitFee.plus(position.entryFee)
  return {
    exitPrice: exitPrice.toString(),
    exitFee: exitFee.toString(),
    realizedPnl: realized.toString(),
    fees: fees.toString(),
    net: realized.minus(fees),
  }
}
