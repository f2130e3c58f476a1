import Decimal from 'decimal.js'
import type { Order, Position } from '../../platform/store/repositories/execution'

/** A stop-loss or take-profit level the exchange should hold for a position. */
export interface ProtectiveLevel {
  reason: 'stop_loss' | 'take_profit'
  price: string
  /** A stop the exchange trails itself, this far behind the price's best: its trigger moves there, not here. */
  trailBy?: string
}

/** One protective order to place: for which level, what it replaces once it rests, and why, in words (null for a position's first). */
export interface ProtectionStep {
  level: ProtectiveLevel
  replaces: Order[]
  why: string | null
}

export const LIVE_ORDER_STATUSES = ['pending', 'open', 'partially_filled'] as const

/** An order still on its way to the exchange, resting there, or filling. */
export const isLive = (order: Pick<Order, 'status'>) =>
  (LIVE_ORDER_STATUSES as readonly string[]).includes(order.status)

/** The levels a position should have resting on an exchange that holds the kinds given; `trailBy` makes its stop a trailing one. */
export function wantedLevels(
  position: Pick<Position, 'stopLoss' | 'takeProfit'>,
  holds: { nativeStopLoss: boolean; nativeTakeProfit: boolean },
  trailBy?: string,
): ProtectiveLevel[] {
  return [
    ...(position.stopLoss && holds.nativeStopLoss
      ? [{ reason: 'stop_loss' as const, price: position.stopLoss, ...(trailBy ? { trailBy } : {}) }]
      : []),
    ...(position.takeProfit && holds.nativeTakeProfit
      ? [{ reason: 'take_profit' as const, price: position.takeProfit }]
      : []),
  ]
}

const LEVEL_NAME = { stop_loss: 'stop-loss', take_profit: 'take-profit' } as const

/** What became of the last order for a level that no longer rests, in words. */
function fateOf(order: Order): string {
  const error = typeof order.metadata.error === 'string' ? `: ${order.metadata.error}` : ''
  if (order.status === 'cancelled') return 'was cancelled or expired on the exchange'
  if (order.status === 'rejected') return 'was rejected by the exchange'
  return `could not be placed${error}`
}

/**
 * What keeps a position protected: for each level, an order for the position's whole quantity at the
 * level's price must rest (or be on its way). A level with none gets one; a level whose resting order is
 * for another quantity or price gets a new one that replaces it, so the new order rests before the old
 * goes. `natives` are the position's protective orders, live and ended, oldest first.
 */
const fitsLevel = (position: Pick<Position, 'quantity'>, level: ProtectiveLevel) => (order: Order) =>
  new Decimal(order.quantity).eq(position.quantity) &&
  (level.trailBy
    ? order.metadata.trailBy === level.trailBy
    : order.metadata.trailBy === undefined && new Decimal(String(order.metadata.triggerPrice)).eq(level.price))

/**
 * Orders resting for a level beside the one that fits it, once that one rests on the exchange: left over from a
 * replacement whose old order could not be cancelled then (its new one's reply was late, or the cancel failed).
 */
export function surplusProtection(
  position: Pick<Position, 'quantity'>,
  levels: readonly ProtectiveLevel[],
  natives: readonly Order[],
): Order[] {
  return levels.flatMap((level) => {
    const live = natives.filter((order) => order.metadata.reason === level.reason && isLive(order))
    const resting = live.some(
      (order) => fitsLevel(position, level)(order) && order.brokerOrderId && order.status !== 'pending',
    )
    return resting ? live.filter((order) => !fitsLevel(position, level)(order) && order.brokerOrderId) : []
  })
}

export function planProtection(
  position: Pick<Position, 'quantity' | 'symbol'>,
  levels: readonly ProtectiveLevel[],
  natives: readonly Order[],
): ProtectionStep[] {
  const steps: ProtectionStep[] = []
  for (const level of levels) {
    const ofLevel = natives.filter((order) => order.metadata.reason === level.reason)
    const live = ofLevel.filter(isLive)
    if (live.some(fitsLevel(position, level))) continue
    const name = LEVEL_NAME[level.reason]
    const resting = live[0]
    const last = ofLevel.at(-1)
    const why = resting
      ? level.trailBy
        ? `The ${name} of ${position.quantity} ${position.symbol} now trails the price by ${level.trailBy} on the exchange itself: its trailing stop, placed before the one resting at ${String(resting.metadata.triggerPrice)} is cancelled.`
        : resting.metadata.trailBy
          ? `The ${name} of ${position.quantity} ${position.symbol} no longer trails by ${String(resting.metadata.trailBy)}: a stop at ${level.price} replaces the trailing one, placed before it is cancelled.`
          : `The ${name} resting for ${resting.quantity} ${position.symbol} at ${String(resting.metadata.triggerPrice)} no longer matches the position (${position.quantity} at ${level.price}): a new one replaces it, placed before the old one is cancelled.`
      : last
        ? `The ${name} of ${position.quantity} ${position.symbol} at ${level.price} ${fateOf(last)}, leaving the position without it: placed again.`
        : null
    steps.push({ level, replaces: live, why })
  }
  return steps
}
