import Decimal from 'decimal.js'
import type { Position } from '../../platform/store/repositories/execution'

/*
 * What a trader may do to one open position, decided without I/O so the rules can be checked exhaustively: how much
 * a close takes, and whether a stop or target may move where it was asked to.
 */

/** How much of a position a close takes: all of it, a percentage, or a quantity. */
export type ClosePart = { kind: 'all' } | { kind: 'percent'; percent: string } | { kind: 'quantity'; quantity: string }

export class PositionRuleError extends Error {}

/**
 * The quantity a close sends: the part asked for rounded down to the market's step (`wholeSteps`), the whole
 * position when the part is all of it, or when what would be left is less than one step (it could never be closed
 * on its own). Refused in words when the part is nothing, more than the position, or smaller than one step.
 */
export function closeQuantity(
  position: Pick<Position, 'quantity' | 'symbol'>,
  part: ClosePart,
  wholeSteps: (quantity: Decimal) => string,
): { quantity: string; whole: boolean } {
  const held = new Decimal(position.quantity)
  if (part.kind === 'all') return { quantity: held.toString(), whole: true }
  const asked = part.kind === 'percent' ? held.times(part.percent).div(100) : new Decimal(part.quantity)
  if (!asked.gt(0)) throw new PositionRuleError('A close must take more than nothing of the position.')
  if (asked.gt(held))
    throw new PositionRuleError(
      `The position holds ${held.toString()} ${position.symbol}; a close cannot take ${asked.toString()}.`,
    )
  const rounded = new Decimal(wholeSteps(asked))
  if (!rounded.gt(0))
    throw new PositionRuleError(
      `${asked.toString()} ${position.symbol} is less than one step of the market: close a larger part.`,
    )
  const left = held.minus(rounded)
  if (left.eq(0) || new Decimal(wholeSteps(left)).eq(0)) return { quantity: held.toString(), whole: true }
  return { quantity: rounded.toString(), whole: false }
}

export interface LevelsMove {
  /** The new stop-loss; undefined leaves it as it is. A position always keeps a stop: it cannot be removed. */
  stopLoss?: string
  /** The new take-profit, or null to remove it; undefined leaves it as it is. */
  takeProfit?: string | null
}

/** Where a level sits against the price: a stop or target on the wrong side would close the position at once. */
export type LevelsVerdict =
  { kind: 'move'; stopLoss: string | null; takeProfit: string | null } | { kind: 'closes_at_once'; why: string }

/**
 * A stop-loss must stay on the losing side of the price and a take-profit on the winning side: a long's stop below
 * the price, its target above. A move that would put either on the other side would close the position at once;
 * that is said, so the trader can close it instead. With no price seen yet, the levels are checked against the
 * entry. Prices must be positive.
 */
export function checkLevelsMove(
  position: Pick<Position, 'direction' | 'stopLoss' | 'takeProfit' | 'averagePrice' | 'symbol'>,
  price: string | null,
  move: LevelsMove,
): LevelsVerdict {
  const stopLoss = move.stopLoss === undefined ? position.stopLoss : move.stopLoss
  const takeProfit = move.takeProfit === undefined ? position.takeProfit : move.takeProfit
  for (const [name, level] of [
    ['stop-loss', move.stopLoss],
    ['take-profit', move.takeProfit],
  ] as const)
    if (level !== undefined && level !== null && !new Decimal(level).gt(0))
      throw new PositionRuleError(`A ${name} must be a price above 0, not ${level}.`)
  if (move.stopLoss === undefined && move.takeProfit === undefined)
    throw new PositionRuleError('Say which level to move: the stop-loss, the take-profit, or both.')
  const against = new Decimal(price ?? position.averagePrice)
  const long = position.direction === 'long'
  const where = price === null ? `the entry ${position.averagePrice}` : `the price ${price}`
  if (stopLoss !== null && move.stopLoss !== undefined) {
    const wrongSide = long ? new Decimal(stopLoss).gte(against) : new Decimal(stopLoss).lte(against)
    if (wrongSide)
      return {
        kind: 'closes_at_once',
        why: `A stop-loss at ${stopLoss} is ${long ? 'at or above' : 'at or below'} ${where}: the ${position.direction} ${position.symbol} would close at once.`,
      }
  }
  if (takeProfit !== null && move.takeProfit !== undefined && move.takeProfit !== null) {
    const wrongSide = long ? new Decimal(takeProfit).lte(against) : new Decimal(takeProfit).gte(against)
    if (wrongSide)
      return {
        kind: 'closes_at_once',
        why: `A take-profit at ${takeProfit} is ${long ? 'at or below' : 'at or above'} ${where}: the ${position.direction} ${position.symbol} would close at once.`,
      }
  }
  return { kind: 'move', stopLoss, takeProfit }
}

/** Whether a new stop-loss risks more than the position's: further from the price than the stop it replaces. */
export function loosens(position: Pick<Position, 'direction' | 'stopLoss'>, stopLoss: string | null): boolean {
  if (position.stopLoss === null || stopLoss === null) return false
  return position.direction === 'long'
    ? new Decimal(stopLoss).lt(position.stopLoss)
    : new Decimal(stopLoss).gt(position.stopLoss)
}
