import Decimal from 'decimal.js'
import { BYBIT } from './capabilities'
import type { Exchange } from 'ccxt'
import { ccxtLibrary } from '../exchange-client'
import {
  classifyFailure,
  readAfterTaken,
  linearMarket,
  marketForOrder,
  orderTypeOf,
  triggerParams,
  measureClockSkew,
  text,
  type ExchangeOrderState,
  type ExchangeOrders,
  type Holdings,
} from '../order-venue'

type RawCall = (params: Record<string, unknown>) => Promise<{ result?: { list?: Record<string, unknown>[] } }>

const BYBIT_STATUS: Record<string, ExchangeOrderState['status']> = {
  New: 'open',
  PartiallyFilled: 'open',
  Untriggered: 'open',
  Triggered: 'open',
  Filled: 'filled',
  Cancelled: 'cancelled',
  PartiallyFilledCanceled: 'cancelled',
  Deactivated: 'cancelled',
  Rejected: 'rejected',
}

/** Bybit's linear contracts settle in one of these; the position list is asked per settle coin. */
const SETTLE_COINS = ['USDT', 'USDC']

/**
 * Bybit's linear perpetuals through ccxt, in a unified trading account and one-way mode: the client id
 * is Bybit's `orderLinkId`. Bybit answers a new order with its ids only, and keeps open orders
 * (order/realtime) apart from finished ones (order/history), so an order's state is read from both.
 * Its fees come with the order (cumExecFee). Stop-loss and take-profit are reduce-only conditional market
 * orders, which Bybit lists with the others (Untriggered until the price reaches them).
 */
/**
 * Bybit's answers that leave an order's fate open (Bybit v5 docs, "Error Codes"): 10016 "System error.
 * Please try again later.", and 110072 "OrderLinkedID is duplicate", which proves the order exists.
 */
export const BYBIT_OUTCOME_UNKNOWN: readonly RegExp[] = [/"retCode"\s*:\s*(10016|110072)\b/]

export async function bybitVenue(exchange: Exchange): Promise<ExchangeOrders> {
  const ccxt = await ccxtLibrary()
  await exchange.loadMarkets()
  const raw = exchange as unknown as Record<string, RawCall>

  const stateOf = (order: Record<string, unknown>): ExchangeOrderState => ({
    id: String(order.orderId),
    clientOrderId: String(order.orderLinkId ?? ''),
    instrument: String(order.symbol),
    status: BYBIT_STATUS[String(order.orderStatus)] ?? 'open',
    amount: text(order.qty),
    filled: text(order.cumExecQty),
    average: Number(order.avgPrice ?? 0) > 0 ? text(order.avgPrice) : null,
    fee: new Decimal(text(order.cumExecFee)).abs().toString(),
  })

  /**
   * Every order matching the filter, open and finished, oldest first. The open list is read first: an
   * order that finishes between the two reads is then in the finished list, whose state is the later one.
   */
  async function orders(
    instrument: string,
    filter: { orderId: string } | { orderLinkId: string },
  ): Promise<ExchangeOrderState[]> {
    const request = { category: 'linear', symbol: instrument, ...filter }
    const open = await raw.privateGetV5OrderRealtime!(request)
    const finished = await raw.privateGetV5OrderHistory!(request)
    const byId = new Map<string, Record<string, unknown>>()
    for (const order of [...(open.result?.list ?? []), ...(finished.result?.list ?? [])])
      byId.set(String(order.orderId), order)
    return [...byId.values()].sort((a, b) => Number(a.createdTime) - Number(b.createdTime)).map(stateOf)
  }

  async function byId(instrument: string, id: string): Promise<ExchangeOrderState> {
    const found = (await orders(instrument, { orderId: id })).at(-1)
    if (!found) throw new ccxt.OrderNotFound(`bybit has no order ${id} on ${instrument}`)
    return found
  }

  return {
    async place(request) {
      const market = marketForOrder(exchange, BYBIT.label, request)
      // A stop-loss or take-profit is a conditional market order: ccxt sets its trigger price and direction.
      const trigger = triggerParams(request)
      const { type, price, params } = orderTypeOf(exchange, market, request)
      const placed = await exchange.createOrder(market.symbol, type, request.side, Number(request.quantity), price, {
        clientOrderId: request.clientOrderId,
        positionIdx: 0,
        ...(request.reduceOnly ? { reduceOnly: true } : {}),
        ...trigger,
        ...params,
      })
      return readAfterTaken(BYBIT.label, String(placed.id), () => byId(String(market.id), String(placed.id)))
    },
    async findByClientId(instrument, clientOrderId) {
      const market = linearMarket(exchange, BYBIT.label, instrument)
      return orders(String(market.id), { orderLinkId: clientOrderId })
    },
    async fetch(instrument, id) {
      return byId(String(linearMarket(exchange, BYBIT.label, instrument).id), id)
    },
    async cancel(instrument, id) {
      const market = linearMarket(exchange, BYBIT.label, instrument)
      try {
        await raw.privatePostV5OrderCancel!({ category: 'linear', symbol: String(market.id), orderId: id })
      } catch (error) {
        // "Too late to cancel": it finished first, and its state says how.
        if (!(error instanceof ccxt.OrderNotFound)) throw error
      }
      return byId(String(market.id), id)
    },
    async amendTrigger(instrument, id, _quantity, triggerPrice) {
      const market = linearMarket(exchange, BYBIT.label, instrument)
      await raw.privatePostV5OrderAmend!({
        category: 'linear',
        symbol: String(market.id),
        orderId: id,
        triggerPrice: exchange.priceToPrecision(market.symbol, Number(triggerPrice)),
      })
      return byId(String(market.id), id)
    },
    async holdings(): Promise<Holdings> {
      const lists = await Promise.all(
        SETTLE_COINS.map((settleCoin) => raw.privateGetV5PositionList!({ category: 'linear', settleCoin })),
      )
      const positions = lists
        .flatMap((response) => response.result?.list ?? [])
        .filter((position) => !new Decimal(text(position.size)).isZero())
        .map((position) => ({
          instrument: String(position.symbol),
          direction: position.side === 'Sell' ? ('short' as const) : ('long' as const),
          quantity: text(position.size),
          averagePrice: text(position.avgPrice),
          markPrice: position.markPrice ? text(position.markPrice) : null,
        }))
      return { kind: 'positions', positions }
    },
    clockSkewMs: () => measureClockSkew(exchange),
    classify: (error) => classifyFailure(error, BYBIT_OUTCOME_UNKNOWN),
  }
}
