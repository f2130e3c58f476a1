import type { TradeIdea } from '../../platform/store/repositories/trade-ideas'
import type { WithdrawAction } from './trading-service'

/** The prices of a candle the queue is checked against. */
export interface CandlePrices {
  ts: string
  high: string
  low: string
  close: string
}

export interface Staleness {
  action: Extract<WithdrawAction, 'idea_invalidated' | 'idea_expired'>
  rationale: string
}

/**
 * Whether a waiting idea is still one a person can act on after this candle
 * (a later one than the idea's own). It is not once the market has touched
 * its stop-loss or take-profit, closed outside its entry range, or once more
 * candles have closed than the idea may wait.
 */
export function staleness(
  idea: Pick<TradeIdea, 'direction' | 'stopLoss' | 'takeProfit' | 'entryRangeLow' | 'entryRangeHigh'>,
  candle: CandlePrices,
  candlesWaited: number,
  expiryCandles: number,
): Staleness | null {
  const high = Number(candle.high)
  const low = Number(candle.low)
  const close = Number(candle.close)
  const long = idea.direction === 'long'
  const at = `at ${candle.ts}`
  if (long ? low <= Number(idea.stopLoss) : high >= Number(idea.stopLoss)) {
    return {
      action: 'idea_invalidated',
      rationale: `The market reached the stop-loss ${idea.stopLoss} before anyone decided (${long ? `low ${candle.low}` : `high ${candle.high}`} ${at}); approving now would open a trade that is already stopped out.`,
    }
  }
  if (long ? high >= Number(idea.takeProfit) : low <= Number(idea.takeProfit)) {
    return {
      action: 'idea_invalidated',
      rationale: `The market reached the take-profit ${idea.takeProfit} before anyone decided (${long ? `high ${candle.high}` : `low ${candle.low}`} ${at}); the move this idea was after has happened.`,
    }
  }
  if (
    idea.entryRangeLow !== null &&
    idea.entryRangeHigh !== null &&
    (close < Number(idea.entryRangeLow) || close > Number(idea.entryRangeHigh))
  ) {
    return {
      action: 'idea_invalidated',
      rationale: `The price left the entry range ${idea.entryRangeLow}–${idea.entryRangeHigh}: it closed at ${candle.close} ${at}, so the entry this idea was priced for has gone.`,
    }
  }
  if (candlesWaited >= expiryCandles) {
    return {
      action: 'idea_expired',
      rationale: `${candlesWaited} candles closed without a decision (it may wait ${expiryCandles}).`,
    }
  }
  return null
}

/**
 * The entry range of a strategy's idea: the trader's tolerance, in R (the
 * distance from the entry to the stop), on either side of the entry. Within
 * it the stop, the target and the size still mean roughly what the strategy
 * priced; beyond it they do not, and the idea is withdrawn.
 */
export function entryRange(entry: number, stopLoss: number, toleranceR: number): { low: number; high: number } {
  const slack = Math.abs(entry - stopLoss) * toleranceR
  return { low: entry - slack, high: entry + slack }
}

/**
 * When a waiting idea really ends: whichever comes first of its minutes and
 * its candle count. The candle check runs when a candle closes, and the
 * candle `expiryCandles` after the idea's own closes that many intervals after
 * the idea's candle closed; so this is the time the trader can count down to.
 */
export function approvalDeadline(
  candleTs: string,
  intervalMs: number,
  expiryCandles: number,
  proposedAt: Date,
  expiryMinutes: number,
): Date {
  const byCandles = Date.parse(candleTs) + (expiryCandles + 1) * intervalMs
  const byMinutes = proposedAt.getTime() + expiryMinutes * 60_000
  return new Date(Math.min(byCandles, byMinutes))
}
