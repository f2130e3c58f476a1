import { loosens } from './position-rules'
import Decimal from 'decimal.js'
import type { RiskConfig, RiskDecision, RiskReason, RoutedStatus } from '../../../../shared/domain'

export {
  REASON_CODES,
  type ReasonCode,
  type RiskDecision,
  type RiskReason,
  type Route,
  type RoutedStatus,
} from '../../../../shared/domain'

/**
 * The risk engine: a pure function from an idea and the account's situation to
 * a route. No I/O and no clock, so the same inputs always give the same decision
 * and the rules can be checked exhaustively by property tests.
 *
 * Rules, in order (the first that decides wins; notes from later rules still apply):
 *  1. invalid idea (non-positive prices or size, stop-loss not on the losing side,
 *     take-profit not on the winning side, confidence outside 0..1) → reject
 *  2. trading halted → reject (halted_by_risk)
 *  3. size above max_lot_size, or the order's worth (size × entry) above the cap per order,
 *     or the day's orders and this one together above the cap per day → reject
 *  4. open positions ≥ max_concurrent_trades → reject
 *  5. today's realised P&L ≥ daily_profit_target with stop_after_target → reject, halt for the day
 *  6. drawdown from the day's peak equity ≥ max_drawdown_amount with halt_on_drawdown → halt and reject
 *  6b. the day's realised plus unrealised loss ≥ max_daily_loss → halt and reject
 *  7. a symbol off the watchlist never auto-executes unless allow_off_watchlist_autotrade
 *  8. auto_execute only if AI trading is enabled and confidence ≥ min_confidence_threshold;
 *     needs_approval in every other case
 */

export interface RiskIdea {
  symbol: string
  direction: 'long' | 'short'
  entryPrice: string
  stopLoss: string
  takeProfit: string
  size: string
  confidence: number
  /** Where the price must be for the idea to mean what its strategy priced; none for ideas without a range. */
  entryRangeLow?: string | null
  entryRangeHigh?: string | null
}

/** The parts of a user's risk config the rules read. */
export type RiskLimits = Pick<
  RiskConfig,
  | 'aiTradingEnabled'
  | 'minConfidenceThreshold'
  | 'maxLotSize'
  | 'maxConcurrentTrades'
  | 'dailyProfitTarget'
  | 'stopAfterTarget'
  | 'maxDrawdownAmount'
  | 'maxOrderNotional'
  | 'maxDailyNotional'
  | 'maxDailyLoss'
  | 'haltOnDrawdown'
  | 'allowOffWatchlistAutotrade'
  | 'watchlist'
  | 'halted'
  | 'lastHaltReason'
>

export interface RiskAccountState {
  /** Realised P&L since the start of the user's trading day. */
  realisedPnlToday: string
  /** Open P&L of the positions held now; none when absent. */
  unrealisedPnl?: string
  equity: string
  /** Highest equity seen since the start of the user's trading day. */
  dayPeakEquity: string
  /** The market's last price for the idea's symbol, when the broker has seen one. */
  lastPrice?: string | null
  /** What the orders placed since the start of the trading day were worth (size × price); none when absent. */
  orderedNotionalToday?: string
  /** The exchange the idea would trade on, when it holds no shorts (spot). */
  longOnlyVenue?: string | null
}

export interface RiskOpenPosition {
  symbol: string
}

function positiveDecimal(value: string): Decimal | null {
  try {
    const parsed = new Decimal(value)
    return parsed.isFinite() && parsed.gt(0) ? parsed : null
  } catch {
    return null
  }
}

function validate(idea: RiskIdea): string[] {
  const problems: string[] = []
  const entry = positiveDecimal(idea.entryPrice)
  const stop = positiveDecimal(idea.stopLoss)
  const target = positiveDecimal(idea.takeProfit)
  if (!entry) problems.push('the entry price is not a positive number')
  if (!stop) problems.push('the stop-loss is not a positive number')
  if (!target) problems.push('the take-profit is not a positive number')
  if (!positiveDecimal(idea.size)) problems.push('the size is not a positive number')
  if (!(Number.isFinite(idea.confidence) && idea.confidence >= 0 && idea.confidence <= 1))
    problems.push('the confidence is not between 0 and 1')
  if (entry && stop && (idea.direction === 'long' ? !stop.lt(entry) : !stop.gt(entry))) {
    problems.push(
      `the stop-loss ${idea.stopLoss} is not ${idea.direction === 'long' ? 'below' : 'above'} the entry ${idea.entryPrice} of a ${idea.direction}`,
    )
  }
  if (entry && target && (idea.direction === 'long' ? !target.gt(entry) : !target.lt(entry))) {
    problems.push(
      `the take-profit ${idea.takeProfit} is not ${idea.direction === 'long' ? 'above' : 'below'} the entry ${idea.entryPrice} of a ${idea.direction}`,
    )
  }
  return problems
}

const reject = (status: RoutedStatus, reason: RiskReason, halt: RiskDecision['halt'] = null): RiskDecision => ({
  route: 'reject',
  status,
  reasons: [reason],
  halt,
})

/** An idea whose stop or target the market already crossed can only lose or no longer win what it promised. */
function pricePassedLevel(idea: RiskIdea, lastPrice: string | null): RiskReason | null {
  if (lastPrice === null) return null
  const price = new Decimal(lastPrice)
  const long = idea.direction === 'long'
  if (long ? price.lte(idea.stopLoss) : price.gte(idea.stopLoss)) {
    return {
      code: 'price_past_stop',
      message: `The market (${lastPrice}) is already at or past the stop-loss of ${idea.stopLoss}; the idea no longer stands.`,
    }
  }
  if (long ? price.gte(idea.takeProfit) : price.lte(idea.takeProfit)) {
    return {
      code: 'price_past_target',
      message: `The market (${lastPrice}) is already at or past the take-profit of ${idea.takeProfit}; nothing is left to gain.`,
    }
  }
  if (idea.entryRangeLow && idea.entryRangeHigh && (price.lt(idea.entryRangeLow) || price.gt(idea.entryRangeHigh))) {
    return {
      code: 'price_left_entry_range',
      message: `The market (${lastPrice}) has left the entry range ${idea.entryRangeLow}–${idea.entryRangeHigh}; the stop, the target and the size no longer mean what was proposed.`,
    }
  }
  return null
}

/**
 * Rules 6 and 6b, on their own: the day's drawdown from its peak, or its realised plus open loss, at its limit.
 * `where` names the venue when the account is one exchange's. Also checked after every exchange sync, so a
 * limit halts trading as soon as it is reached, not at the next idea.
 */
export function dayLimitReached(
  config: Pick<RiskLimits, 'haltOnDrawdown' | 'maxDrawdownAmount' | 'maxDailyLoss'>,
  account: Pick<RiskAccountState, 'equity' | 'dayPeakEquity' | 'realisedPnlToday' | 'unrealisedPnl'>,
  where?: string,
): RiskReason | null {
  const drawdown = new Decimal(account.dayPeakEquity).minus(account.equity)
  if (config.haltOnDrawdown && config.maxDrawdownAmount !== null && drawdown.gte(config.maxDrawdownAmount))
    return {
      code: 'max_drawdown',
      message: `Equity${where ? ` on ${where}` : ''} is ${drawdown.toString()} below today's peak, at or beyond the maximum drawdown of ${config.maxDrawdownAmount}; trading is halted.`,
    }
  const open = account.unrealisedPnl ?? '0'
  const dayLoss = new Decimal(account.realisedPnlToday).plus(open).negated()
  if (config.maxDailyLoss !== null && dayLoss.gte(config.maxDailyLoss))
    return {
      code: 'max_daily_loss',
      message: `Today's loss${where ? ` on ${where}` : ''} is ${dayLoss.toString()} (realised ${account.realisedPnlToday}, open ${open}), at or beyond the maximum daily loss of ${config.maxDailyLoss}; trading is halted.`,
    }
  return null
}

/** A trader's action on a position already open, as the risk engine judges it. */
export type PositionAction =
  | { kind: 'close' }
  | { kind: 'trail' }
  | { kind: 'move'; direction: 'long' | 'short'; stopLoss: string | null; newStopLoss: string | null }

/**
 * The risk engine's rule for an open position: what only lowers the risk (a close, a part close, a trail that only
 * ever tightens, a target moved) is allowed whatever the halt; while trading is halted, a stop may only move towards
 * the price, never further away. Answers the refusal, or null.
 */
export function judgePositionAction(
  config: Pick<RiskLimits, 'halted' | 'lastHaltReason'>,
  action: PositionAction,
): RiskReason | null {
  if (action.kind !== 'move' || !config.halted || !loosens(action, action.newStopLoss)) return null
  return {
    code: 'halted_by_risk',
    message: `Trading is halted${config.lastHaltReason ? ` (${config.lastHaltReason})` : ''}: the stop-loss can only be moved towards the price (it is ${action.stopLoss}), never further away.`,
  }
}

export function evaluate(
  idea: RiskIdea,
  config: RiskLimits,
  account: RiskAccountState,
  openPositions: readonly RiskOpenPosition[],
): RiskDecision {
  const problems = validate(idea)
  if (problems.length > 0)
    return reject('rejected', { code: 'invalid_idea', message: `The idea is invalid: ${problems.join('; ')}.` })

  if (config.halted) {
    return reject('halted_by_risk', {
      code: 'halted_by_risk',
      message: `Trading is halted${config.lastHaltReason ? ` (${config.lastHaltReason})` : ''}; resume it before new trades.`,
    })
  }
  if (account.longOnlyVenue && idea.direction === 'short') {
    return reject('rejected', {
      code: 'venue_long_only',
      message: `${account.longOnlyVenue} is long-only: a short would sell coin the desk does not hold.`,
    })
  }
  if (new Decimal(idea.size).gt(config.maxLotSize)) {
    return reject('rejected', {
      code: 'lot_size_exceeded',
      message: `The size ${idea.size} is above the maximum lot size of ${config.maxLotSize}.`,
    })
  }
  const notional = new Decimal(idea.size).times(idea.entryPrice)
  if (config.maxOrderNotional !== null && notional.gt(config.maxOrderNotional)) {
    return reject('rejected', {
      code: 'order_notional_exceeded',
      message: `The order would be worth ${notional.toString()} (${idea.size} × ${idea.entryPrice}), above the cap of ${config.maxOrderNotional} per order.`,
    })
  }
  const today = new Decimal(account.orderedNotionalToday ?? '0')
  if (config.maxDailyNotional !== null && today.plus(notional).gt(config.maxDailyNotional)) {
    return reject('rejected', {
      code: 'daily_notional_exceeded',
      message: `Today's orders are worth ${today.toString()}; with this one (${notional.toString()}) they would pass the cap of ${config.maxDailyNotional} per day.`,
    })
  }
  if (openPositions.length >= config.maxConcurrentTrades) {
    return reject('rejected', {
      code: 'max_concurrent_trades',
      message: `${openPositions.length} position(s) are open, the maximum is ${config.maxConcurrentTrades}.`,
    })
  }
  if (
    config.stopAfterTarget &&
    config.dailyProfitTarget !== null &&
    new Decimal(account.realisedPnlToday).gte(config.dailyProfitTarget)
  ) {
    const message = `Today's realised P&L of ${account.realisedPnlToday} reached the daily target of ${config.dailyProfitTarget}; trading stops for the rest of the day.`
    return reject('halted_by_risk', { code: 'daily_target_reached', message }, { reason: message })
  }
  const reached = dayLimitReached(config, account)
  if (reached) return reject('halted_by_risk', reached, { reason: reached.message })

  const passed = pricePassedLevel(idea, account.lastPrice ?? null)
  if (passed) return reject('rejected', passed)

  const reasons: RiskReason[] = []
  const offWatchlist = !config.watchlist.includes(idea.symbol)
  if (offWatchlist && !config.allowOffWatchlistAutotrade) {
    reasons.push({
      code: 'off_watchlist',
      message: `${idea.symbol} is not on the watchlist, so it never trades without a person.`,
    })
  }
  if (!config.aiTradingEnabled)
    reasons.push({ code: 'ai_trading_disabled', message: 'AI trading is off, so every idea waits for a person.' })
  if (idea.confidence < config.minConfidenceThreshold) {
    reasons.push({
      code: 'below_confidence_threshold',
      message: `Confidence ${idea.confidence} is below the threshold of ${config.minConfidenceThreshold}.`,
    })
  }
  if (reasons.length > 0) return { route: 'needs_approval', status: 'needs_approval', reasons, halt: null }
  return {
    route: 'auto_execute',
    status: 'auto_executed',
    reasons: [{ code: 'approved_by_rules', message: 'Every rule passed and AI trading is on.' }],
    halt: null,
  }
}
