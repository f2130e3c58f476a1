import Decimal from 'decimal.js'
import type { Exchange, Order } from 'ccxt'
import { BrokerError } from '../trading/broker'
import { ccxtLibrary } from './exchange-client'
import { classifyFailure, linearMarket, measureClockSkew, ORDER_STATUS, text, type ExchangeOrderState, type OrderVenue } from './order-venue'

/**
 * Binance USDⓈ-M futures through ccxt, in a one-way account: the client id is Binance's
 * `newClientOrderId`, looked up with `origClientOrderId`. An order does not carry its fees on
 * Binance; they are summed from the order's trades (userTrades), in the settlement asset.
 * Stop-loss and take-profit are not sent: Binance keeps conditional orders in a separate algo
 * service, so Tradedeck watches them itself on each closed candle.
 */
export async function binanceFuturesVenue(exchange: Exchange): Promise<OrderVenue> {
  const ccxt = await ccxtLibrary()
  // A signed request more than recvWindow off the exchange's clock is refused; ccxt corrects for the measured difference.
  exchange.options['adjustForTimeDifference'] = true
  ;(exchange.options['fetchOpenOrders'] as Record<string, unknown>)['warnWithoutSymbol'] = false
  await exchange.loadMarkets()

  async function stateOf(order: Order): Promise<ExchangeOrderState> {
    const info = order.info as Record<string, unknown>
    const market = linearMarket(exchange, 'binanceusdm', String(info.symbol))
    const filled = new Decimal(text(info.executedQty ?? order.filled))
    let fee = new Decimal(0)
    if (filled.gt(0)) {
      const trades = await exchange.fetchMyTrades(market.symbol, undefined, undefined, { orderId: order.id })
      for (const trade of trades) {
        const raw = trade.info as Record<string, unknown>
        if (String(raw.commissionAsset ?? market.settleId) === market.settleId) fee = fee.plus(text(raw.commission))
      }
    }
    return {
      id: String(info.orderId ?? order.id),
      clientOrderId: String(info.clientOrderId ?? order.clientOrderId ?? ''),
      instrument: String(info.symbol),
      status: ORDER_STATUS[order.status ?? ''] ?? 'open',
      amount: text(info.origQty ?? order.amount),
      filled: filled.toString(),
      average: Number(info.avgPrice ?? order.average ?? 0) > 0 ? text(info.avgPrice ?? order.average) : null,
      fee: fee.abs().toString(),
    }
  }

  return {
    async place(request) {
      if (request.trigger) throw new BrokerError('Tradedeck does not send stop-loss or take-profit orders to Binance; it watches them itself.')
      const market = linearMarket(exchange, 'binanceusdm', request.instrument)
      const precise = String(exchange.amountToPrecision(market.symbol, Number(request.quantity)))
      if (!new Decimal(precise).eq(request.quantity)) throw new BrokerError(`The size ${request.quantity} is not a multiple of ${request.instrument}'s step ${market.precision.amount}; nothing was sent.`)
      const order = await exchange.createOrder(market.symbol, 'market', request.side, Number(request.quantity), undefined, { clientOrderId: request.clientOrderId, ...(request.reduceOnly ? { reduceOnly: true } : {}) })
      return stateOf(order)
    },
    async findByClientId(instrument, clientOrderId) {
      const market = linearMarket(exchange, 'binanceusdm', instrument)
      try {
        return [await stateOf(await exchange.fetchOrder(undefined as unknown as string, market.symbol, { clientOrderId }))]
      } catch (error) {
        if (error instanceof ccxt.OrderNotFound) return []
        throw error
      }
    },
    async fetch(instrument, id) {
      const market = linearMarket(exchange, 'binanceusdm', instrument)
      return stateOf(await exchange.fetchOrder(id, market.symbol))
    },
    async cancel(instrument, id) {
      const market = linearMarket(exchange, 'binanceusdm', instrument)
      await exchange.cancelOrder(id, market.symbol)
      return stateOf(await exchange.fetchOrder(id, market.symbol))
    },
    async positions() {
      const held = await exchange.fetchPositions()
      return held
        .map((position) => ({ position, info: position.info as Record<string, unknown> }))
        .filter(({ info }) => !new Decimal(text(info.positionAmt)).isZero())
        .map(({ position, info }) => {
          const size = new Decimal(text(info.positionAmt))
          return { instrument: String(info.symbol), direction: size.isNegative() ? ('short' as const) : ('long' as const), quantity: size.abs().toString(), averagePrice: text(info.entryPrice ?? position.entryPrice), markPrice: info.markPrice === undefined ? null : text(info.markPrice) }
        })
    },
    /** Binance cancels all open orders one symbol at a time: every symbol with an open order is cleared. */
    async cancelAll() {
      const open = await exchange.fetchOpenOrders()
      const symbols = [...new Set(open.map((order) => order.symbol))]
      for (const symbol of symbols) await exchange.cancelAllOrders(symbol)
      return open.length
    },
    clockSkewMs: () => measureClockSkew(exchange),
    classify: classifyFailure,
  }
}
