import type { Exchange, Order } from 'ccxt'
import { ccxtLibrary } from '../exchange-client'
import { measureClockSkew, ORDER_STATUS, text, type ExchangeOrderState } from '../order-venue'

/**
 * Binance's answers that leave an order's fate open (Binance API docs, "Error Codes"): -1000 UNKNOWN,
 * -1001 DISCONNECTED, -1006 UNEXPECTED_RESP ("execution status unknown"), -1007 TIMEOUT ("send status
 * unknown; execution status unknown"), and the duplicate client order id refusals, which prove the order
 * exists: -4116 on USD-M futures, "Duplicate order sent." (-2010) on spot. ccxt maps some of these to
 * ExchangeError or InvalidOrder, depending on the endpoint, so they are matched by code.
 */
export const BINANCE_OUTCOME_UNKNOWN: readonly RegExp[] = [
  /"code"\s*:\s*-(1000|1001|1006|1007|4116)\b/,
  /Duplicate order sent/i,
]

/**
 * A ccxt Binance client (spot or USD-M futures) readied for signed order requests, with the
 * handler both venues use for a lookup or cancel that finds no such order.
 */
export async function readyBinanceClient(
  exchange: Exchange,
): Promise<{ notFound: <T>(fallback: T) => (error: unknown) => T }> {
  const ccxt = await ccxtLibrary()
  // A signed request more than recvWindow off the exchange's clock is refused; ccxt corrects for the measured difference.
  exchange.options['adjustForTimeDifference'] = true
  ;(exchange.options['fetchOpenOrders'] as Record<string, unknown>)['warnWithoutSymbol'] = false
  await exchange.loadMarkets()
  return {
    notFound: (fallback) => (error) => {
      if (error instanceof ccxt.OrderNotFound) return fallback
      throw error
    },
  }
}

/** An order's identity and state as Binance reports it, on spot and USD-M alike; fills, prices and fees are each venue's. */
export function binanceOrderBasics(
  order: Order,
): Pick<ExchangeOrderState, 'id' | 'clientOrderId' | 'instrument' | 'status' | 'amount'> {
  const info = order.info as Record<string, unknown>
  return {
    id: String(info.orderId ?? order.id),
    clientOrderId: String(info.clientOrderId ?? order.clientOrderId ?? ''),
    instrument: String(info.symbol),
    status: ORDER_STATUS[order.status ?? ''] ?? 'open',
    amount: text(info.origQty ?? order.amount),
  }
}

/**
 * The exchange's clock minus this machine's, measured now; ccxt's correction of signed requests follows it, so a
 * clock that moved since the markets were loaded (corrected once then) is corrected again.
 */
export async function measuredAndCorrected(exchange: Exchange): Promise<number> {
  const skew = await measureClockSkew(exchange)
  // ccxt signs with its clock minus timeDifference: this machine's time less the exchange's.
  exchange.options['timeDifference'] = -skew
  return skew
}
