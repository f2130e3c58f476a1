import Decimal from 'decimal.js'
import type { ExitReason, Position, Trade } from '../../platform/store/repositories/execution'
import { money } from './fill-rules'

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
