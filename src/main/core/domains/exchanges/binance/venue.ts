import Decimal from 'decimal.js'
import type { Exchange, Market, Order } from 'ccxt'
import { BrokerError } from '../../trading/broker'
import { BINANCE_SPOT } from './capabilities'
import { ccxtLibrary, marketOf } from '../exchange-client'
import { binanceOrderBasics, readyBinanceClient } from './client'
import {
  classifyFailure,
  readAfterTaken,
  inWholeSteps,
  orderTypeOf,
  text,
  type ExchangeOrderState,
  type Holdings,
  type ExchangeOrders,
  type PlaceRequest,
} from '../order-venue'
import { BINANCE_OUTCOME_UNKNOWN, measuredAndCorrected } from './client'

const LABEL = BINANCE_SPOT.label

/** A spot pair of the exchange, refused when the instrument names none. */
function spotMarket(exchange: Exchange, instrument: string): NonNullable<Market> {
  const market = marketOf(exchange, instrument)
  if (!market) throw new BrokerError(`${LABEL} has no pair ${instrument}.`)
  if (!market.spot)
    throw new BrokerError(
      `${instrument} on ${LABEL} is not a spot pair; trade contracts through Binance USD-M futures.`,
    )
  return market
}

/**
 * Binance spot through ccxt. Spot is long-only: an entry buys the coin, and a close sells what the
 * desk holds of it; a sell that opens a position is refused before anything leaves. The client id is
 * `newClientOrderId`, looked up with `origClientOrderId`. A buy's fee is taken in the coin bought,
 * so the account holds less than was bought: the fee is reported both as coin kept (`feeFromFilled`)
 * and valued in the quote currency at its fill's price. A close sells the holding rounded down to
 * the pair's step; what is left below one step stays in the wallet as dust. Stop-loss and
 * take-profit are watched by Tradedeck: a resting stop order locks the whole holding on spot, so a
 * stop and a target cannot both rest. The wallet is shared with the trader's own coins, so holdings
 * are balances.
 */
export async function binanceSpotVenue(exchange: Exchange): Promise<ExchangeOrders> {
  const { notFound } = await readyBinanceClient(exchange)

  async function stateOf(order: Order): Promise<ExchangeOrderState> {
    const info = order.info as Record<string, unknown>
    const market = spotMarket(exchange, String(info.symbol))
    const filled = new Decimal(text(info.executedQty ?? order.filled))
    const quoteSpent = new Decimal(text(info.cummulativeQuoteQty ?? order.cost))
    let fee = new Decimal(0)
    let feeFromFilled = new Decimal(0)
    if (filled.gt(0)) {
      const trades = await exchange.fetchMyTrades(market.symbol, undefined, undefined, { orderId: order.id })
      // The trades list may lag the order (a fill counted in executedQty, its trade not listed yet): its fee would be
      // missed, and a close would try to sell coin the fee took. The read is reported as not yet complete instead.
      const listed = trades.reduce((sum, trade) => sum.plus(text(trade.amount)), new Decimal(0))
      if (listed.lt(filled))
        throw new (await ccxtLibrary()).NetworkError(
          `${LABEL} lists ${listed.toString()} of order ${order.id}'s ${filled.toString()} filled among its trades so far`,
        )
      for (const trade of trades) {
        const raw = trade.info as Record<string, unknown>
        const commission = new Decimal(text(raw.commission)).abs()
        if (raw.commissionAsset === market.quoteId) fee = fee.plus(commission)
        else if (raw.commissionAsset === market.baseId) {
          feeFromFilled = feeFromFilled.plus(commission)
          fee = fee.plus(commission.times(text(raw.price)))
        }
      }
    }
    return {
      ...binanceOrderBasics(order),
      filled: filled.toString(),
      average: filled.gt(0) && quoteSpent.gt(0) ? quoteSpent.div(filled).toString() : null,
      fee: fee.toString(),
      feeFromFilled: feeFromFilled.toString(),
    }
  }

  /** The quantity a request sends: an entry exactly as sized; a close, the holding rounded down to the pair's step. */
  function quantityOf(market: NonNullable<Market>, request: PlaceRequest): string {
    if (!request.reduceOnly) {
      inWholeSteps(exchange, market, request)
      return request.quantity
    }
    const sellable = String(exchange.amountToPrecision(market.symbol, Number(request.quantity)))
    if (!new Decimal(sellable).gt(0))
      throw new BrokerError(
        `The holding ${request.quantity} ${market.base} is smaller than ${request.instrument}'s step ${market.precision.amount}; nothing was sent.`,
      )
    return sellable
  }

  async function fetch(instrument: string, id: string): Promise<ExchangeOrderState> {
    return stateOf(await exchange.fetchOrder(id, spotMarket(exchange, instrument).symbol))
  }

  return {
    async place(request) {
      const market = spotMarket(exchange, request.instrument)
      if (request.trigger)
        throw new BrokerError(`Tradedeck watches stop-loss and take-profit on ${LABEL} itself; nothing was sent.`)
      if (request.side === 'sell' && !request.reduceOnly)
        throw new BrokerError(
          `${LABEL} is long-only: a short would sell ${market.base} the desk does not hold. Nothing was sent.`,
        )
      if (request.side === 'buy' && request.reduceOnly)
        throw new BrokerError(`${LABEL} holds no shorts to buy back; nothing was sent.`)
      const { type, price, params } = orderTypeOf(exchange, market, request)
      const order = await exchange.createOrder(
        market.symbol,
        type,
        request.side,
        Number(quantityOf(market, request)),
        price,
        { clientOrderId: request.clientOrderId, ...params },
      )
      return readAfterTaken(LABEL, String(order.id), () => stateOf(order))
    },
    async findByClientId(instrument, clientOrderId) {
      const market = spotMarket(exchange, instrument)
      const found = await exchange
        .fetchOrder(undefined as unknown as string, market.symbol, { clientOrderId })
        .catch(notFound(null))
      return found ? [await stateOf(found)] : []
    },
    fetch,
    async cancel(instrument, id) {
      // One that filled first cannot be cancelled; its state says how it ended.
      await exchange.cancelOrder(id, spotMarket(exchange, instrument).symbol).catch(notFound(null))
      return fetch(instrument, id)
    },
    async holdings(): Promise<Holdings> {
      const balance = await exchange.fetchBalance()
      const totals = (balance.total ?? {}) as unknown as Record<string, number | undefined>
      const balances = Object.fromEntries(
        Object.entries(totals)
          .filter(([, total]) => typeof total === 'number')
          .map(([coin, total]) => [coin, text(total)]),
      )
      return { kind: 'wallet', balances, coinOf: (instrument) => marketOf(exchange, instrument)?.base ?? null }
    },
    clockSkewMs: () => measuredAndCorrected(exchange),
    classify: (error) => classifyFailure(error, BINANCE_OUTCOME_UNKNOWN),
  }
}
