import type { Order } from '../../platform/store/repositories/execution'

/** Binance and Bybit take client ids of at most 36 characters: an id is carried without its dashes. */
const compact = (id: string) => id.replaceAll('-', '')

/** The client order id an idea's entry order is placed with. */
export const entryClientOrderId = (ideaId: string): string => `td-${compact(ideaId)}`

/**
 * The client order id an order is placed with: derived from the idea for an entry and from the position for its
 * close, so a resend after a timeout, a crash or kill -9 carries the same id and is found before it is sent again.
 */
export function clientOrderIdOf(order: Pick<Order, 'id' | 'tradeIdeaId' | 'metadata'>): string {
  const closes = order.metadata.closes as string | undefined
  if (closes && order.metadata.native)
    // A stop or target placed again for the same position (resized, or after one was cancelled) carries its own order's id.
    return `${order.metadata.reason === 'take_profit' ? 'tdt' : 'tds'}-${compact(order.metadata.replacement ? order.id : closes)}`
  if (closes) return `tdc-${compact(order.metadata.replacement ? order.id : closes)}`
  return entryClientOrderId(order.tradeIdeaId ?? order.id)
}
