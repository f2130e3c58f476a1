import Decimal from 'decimal.js'
import { BINANCE_USDM } from './capabilities'
import type { Exchange, Order } from 'ccxt'
import { binanceOrderBasics, readyBinanceClient } from '../binance/client'
import {
  classifyFailure,
  readAfterTaken,
  linearMarket,
  marketForOrder,
  orderTypeOf,
  triggerParams,
  text,
  type ExchangeOrderState,
  type ExchangeOrders,
  type Holdings,
} from '../order-venue'
import { BINANCE_OUTCOME_UNKNOWN, measuredAndCorrected } from '../binance/client'

/** Conditional orders live in Binance's algo service under ids of their own; Tradedeck keeps them apart by this prefix. */
const ALGO = 'algo-'

const ALGO_STATUS: Record<string, ExchangeOrderState['status']> = {
  NEW: 'open',
  TRIGGERING: 'open',
  TRIGGERED: 'open',
  FINISHED: 'filled',
  CANCELED: 'cancelled',
  EXPIRED: 'cancelled',
  REJECTED: 'rejected',
}

/**
 * Binance USDⓈ-M futures through ccxt, in a one-way account: the client id is Binance's
 * `newClientOrderId`, looked up with `origClientOrderId`. An order does not carry its fees on
 * Binance; they are summed from the order's trades (userTrades), in the settlement asset.
 * Stop-loss and take-profit are reduce-only conditional orders in Binance's algo service
 * (clientAlgoId); once one triggers, the market order it placed says what filled.
 */
export async function binanceFuturesVenue(exchange: Exchange): Promise<ExchangeOrders> {
  const { notFound } = await readyBinanceClient(exchange)

  async function stateOf(order: Order): Promise<ExchangeOrderState> {
    const info = order.info as Record<string, unknown>
    const market = linearMarket(exchange, BINANCE_USDM.label, String(info.symbol))
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
      ...binanceOrderBasics(order),
      filled: filled.toString(),
      average: Number(info.avgPrice ?? order.average ?? 0) > 0 ? text(info.avgPrice ?? order.average) : null,
      fee: fee.abs().toString(),
    }
  }

  /** A conditional order: open until it triggers, then as far along as the market order it placed. */
  async function algoStateOf(symbol: string, info: Record<string, unknown>): Promise<ExchangeOrderState> {
    const identity = {
      id: `${ALGO}${String(info.algoId)}`,
      clientOrderId: String(info.clientAlgoId ?? ''),
      instrument: String(info.symbol),
    }
    const actual =
      info.actualOrderId !== undefined && info.actualOrderId !== null && info.actualOrderId !== ''
        ? String(info.actualOrderId)
        : null
    // The market order a trigger placed may not be readable for a moment (-2013): until it is, the stop is on its way.
    const placed = actual ? await exchange.fetchOrder(actual, symbol).catch(notFound(null)) : null
    if (placed) return { ...(await stateOf(placed)), ...identity }
    return {
      ...identity,
      status: actual ? 'open' : (ALGO_STATUS[String(info.algoStatus)] ?? 'open'),
      amount: text(info.quantity),
      filled: '0',
      average: null,
      fee: '0',
    }
  }

  async function fetch(instrument: string, id: string): Promise<ExchangeOrderState> {
    const market = linearMarket(exchange, BINANCE_USDM.label, instrument)
    if (id.startsWith(ALGO))
      return algoStateOf(
        market.symbol,
        (await exchange.fetchOrder(id.slice(ALGO.length), market.symbol, { trigger: true })).info as Record<
          string,
          unknown
        >,
      )
    return stateOf(await exchange.fetchOrder(id, market.symbol))
  }

  return {
    async place(request) {
      const market = marketForOrder(exchange, BINANCE_USDM.label, request)
      if (request.trigger) {
        const order = await exchange.createOrder(
          market.symbol,
          'market',
          request.side,
          Number(request.quantity),
          undefined,
          { clientOrderId: request.clientOrderId, reduceOnly: true, ...triggerParams(request) },
        )
        return readAfterTaken(BINANCE_USDM.label, String(order.id), () =>
          algoStateOf(market.symbol, order.info as Record<string, unknown>),
        )
      }
      const { type, price, params } = orderTypeOf(exchange, market, request)
      const order = await exchange.createOrder(market.symbol, type, request.side, Number(request.quantity), price, {
        clientOrderId: request.clientOrderId,
        ...(request.reduceOnly ? { reduceOnly: true } : {}),
        ...params,
      })
      return readAfterTaken(BINANCE_USDM.label, String(order.id), () => stateOf(order))
    },
    /** An ordinary order by origClientOrderId, else a conditional one by clientAlgoId. */
    async findByClientId(instrument, clientOrderId) {
      const market = linearMarket(exchange, BINANCE_USDM.label, instrument)
      const ordinary = await exchange
        .fetchOrder(undefined as unknown as string, market.symbol, { clientOrderId })
        .catch(notFound(null))
      if (ordinary) return [await stateOf(ordinary)]
      const conditional = await exchange
        .fetchOrder(undefined as unknown as string, market.symbol, { clientOrderId, trigger: true })
        .catch(notFound(null))
      return conditional ? [await algoStateOf(market.symbol, conditional.info as Record<string, unknown>)] : []
    },
    fetch,
    async cancel(instrument, id) {
      const market = linearMarket(exchange, BINANCE_USDM.label, instrument)
      const conditional = id.startsWith(ALGO)
      // One that triggered or filled first cannot be cancelled; its state says how it ended.
      await exchange
        .cancelOrder(conditional ? id.slice(ALGO.length) : id, market.symbol, conditional ? { trigger: true } : {})
        .catch(notFound(null))
      return fetch(instrument, id)
    },
    async holdings(): Promise<Holdings> {
      const held = await exchange.fetchPositions()
      const positions = held
        .map((position) => ({ position, info: position.info as Record<string, unknown> }))
        .filter(({ info }) => !new Decimal(text(info.positionAmt)).isZero())
        .map(({ position, info }) => {
          const size = new Decimal(text(info.positionAmt))
          return {
            instrument: String(info.symbol),
            direction: size.isNegative() ? ('short' as const) : ('long' as const),
            quantity: size.abs().toString(),
            averagePrice: text(info.entryPrice ?? position.entryPrice),
            markPrice: info.markPrice === undefined ? null : text(info.markPrice),
          }
        })
      return { kind: 'positions', positions }
    },
    clockSkewMs: () => measuredAndCorrected(exchange),
    classify: (error) => classifyFailure(error, BINANCE_OUTCOME_UNKNOWN),
  }
}
