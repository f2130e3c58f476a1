import Decimal from 'decimal.js'
import type { ExitReason, Position, Trade } from '../../platform/store/repositories/execution'
import { money } from './fill-rules'
import type { Repositories } from '../../platform/store/store'

/**
 * The trade a position becomes when it closes at a known price: gross P&L on the quantity
 * closed, and the fees of both sides (the entry's, kept on the position, and the exit's).
 */
export function closedTrade(
  position: Position,
  exit: { broker: string; price: string; quantity: string; fee: string; reason: ExitReason; closedAt: string },
): Omit<Trade, 'id' | 'userId'> {
  const sign = position.direction === 'long' ? 1 : -1
  return {
    strategyId: position.strategyId,
    positionId: position.id,
    tradeIdeaId: (position.metadata.tradeIdeaId as string | null | undefined) ?? null,
    broker: exit.broker,
    symbol: position.symbol,
    direction: position.direction,
    quantity: exit.quantity,
    entryPrice: position.averagePrice,
    exitPrice: exit.price,
    realizedPnl: money(new Decimal(exit.price).minus(position.averagePrice).times(exit.quantity).times(sign)),
    fees: money(new Decimal((position.metadata.entryFee as string | undefined) ?? '0').plus(exit.fee)),
    exitReason: exit.reason,
    openedAt: position.openedAt,
    closedAt: exit.closedAt,
  }
}

/**
 * Part of a position closed (a close that partly filled, a wallet that holds less): that part becomes a
 * trade with its share of the entry fee, and the rest stays open with the rest of it.
 */
export async function closePart(
  tx: Repositories,
  position: Position,
  exit: { broker: string; price: string; quantity: Decimal; fee: string; reason: ExitReason; closedAt: string },
): Promise<void> {
  const entryFee = new Decimal((position.metadata.entryFee as string | undefined) ?? '0')
  const share = entryFee.times(exit.quantity).div(position.quantity)
  await tx.positions.resize(position.userId, position.id, {
    quantity: new Decimal(position.quantity).minus(exit.quantity).toString(),
    averagePrice: position.averagePrice,
    metadata: { ...position.metadata, entryFee: entryFee.minus(share).toString() },
  })
  await tx.trades.record(
    position.userId,
    closedTrade(
      { ...position, metadata: { ...position.metadata, entryFee: share.toString() } },
      { ...exit, quantity: exit.quantity.toString() },
    ),
  )
}
