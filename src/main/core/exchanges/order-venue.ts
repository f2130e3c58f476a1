import Decimal from 'decimal.js'
import type { Exchange, Market } from 'ccxt'
import { BrokerError } from '../trading/broker'
import { EXCHANGES, type ExchangeId } from './capabilities'
import { ccxtLibrary } from './exchange-client'

/** An order as the exchange reports it, in Tradedeck's terms (the instrument is the exchange's market id). */
export interface ExchangeOrderState {
  id: string
  clientOrderId: string
  instrument: string
  status: 'open' | 'filled' | 'cancelled' | 'rejected'
  amount: string
  filled: string
  /** Average price of what has filled; null before the first fill. */
  average: string | null
  /** Fees paid so far, in the settlement currency. */
  fee: string
}

export interface ExchangePosition {
  instrument: string
  direction: 'long' | 'short'
  quantity: string
  averagePrice: string
  markPrice: string | null
}

export interface PlaceRequest {
  instrument: string
  side: 'buy' | 'sell'
  quantity: string
  clientOrderId: string
  reduceOnly: boolean
  /** A protective order held by the exchange: a market order once the price reaches `price`. */
  trigger?: { kind: 'stop_loss' | 'take_profit'; price: string }
}

/** How a request that failed may have ended on the exchange's side. */
export type FailureKind = 'rate_limited' | 'unknown_outcome' | 'refused'

/**
 * What the exchange broker needs from an exchange, on top of ccxt: one market
 * order with a client id, the lookup by that id, order state, positions and
 * cancel-all. Only Deribit's is written and verified (against the stand-in).
 */
export interface OrderVenue {
  place(request: PlaceRequest): Promise<ExchangeOrderState>
  /** Every order carrying the client id, newest last; empty when the exchange never took one. */
  findByClientId(instrument: string, clientOrderId: string): Promise<ExchangeOrderState[]>
  fetch(instrument: string, id: string): Promise<ExchangeOrderState>
  /** Cancels one order; answers with its state after the cancel. */
  cancel(instrument: string, id: string): Promise<ExchangeOrderState>
  positions(): Promise<ExchangePosition[]>
  cancelAll(): Promise<number>
  /** The exchange's clock minus this machine's, in ms, measured over one round trip. */
  clockSkewMs(): Promise<number>
  classify(error: unknown): Promise<FailureKind>
}

const STATUS: Record<string, ExchangeOrderState['status']> = { open: 'open', closed: 'filled', canceled: 'cancelled', cancelled: 'cancelled', rejected: 'rejected', expired: 'cancelled' }

const text = (value: unknown, fallback = '0') => (value === undefined || value === null || value === '' ? fallback : new Decimal(String(value)).toString())

/** The ccxt market of an instrument, refused unless its sizes and P&L are linear like Tradedeck's. */
function linearMarket(exchange: Exchange, id: ExchangeId, instrument: string): NonNullable<Market> {
  const market = exchange.markets_by_id?.[instrument]?.[0] ?? exchange.markets?.[instrument]
  if (!market) throw new BrokerError(`${EXCHANGES[id].label} has no instrument ${instrument}.`)
  if (market.inverse) throw new BrokerError(`${instrument} is an inverse contract, sized in USD and settled in the coin; Tradedeck sizes and values positions linearly. Use the USDC-margined contract (e.g. BTC_USDC-PERPETUAL).`)
  return market
}

/** Deribit through ccxt: the client id is Deribit's `label`, looked up with private/get_order_state_by_label. */
export async function deribitVenue(exchange: Exchange): Promise<OrderVenue> {
  const ccxt = await ccxtLibrary()
  await exchange.loadMarkets()
  const stateOf = (order: { id: string; clientOrderId?: string | undefined; status?: string | undefined; amount?: number | undefined; filled?: number | undefined; average?: number | undefined; fee?: { cost?: number | undefined } | undefined; info: Record<string, unknown> }): ExchangeOrderState => ({
    id: order.id,
    clientOrderId: String(order.info.label ?? order.clientOrderId ?? ''),
    instrument: String(order.info.instrument_name),
    status: STATUS[order.status ?? ''] ?? 'open',
    amount: text(order.info.amount ?? order.amount),
    filled: text(order.info.filled_amount ?? order.filled),
    average: Number(order.info.average_price ?? order.average ?? 0) > 0 ? text(order.info.average_price ?? order.average) : null,
    fee: new Decimal(text(order.info.commission ?? order.fee?.cost)).abs().toString(),
  })
  const call = exchange as unknown as Record<string, (params: Record<string, unknown>) => Promise<{ result?: unknown }>>
  return {
    async place(request) {
      const market = linearMarket(exchange, 'deribit', request.instrument)
      const precise = String(exchange.amountToPrecision(market.symbol, Number(request.quantity)))
      if (!new Decimal(precise).eq(request.quantity)) throw new BrokerError(`The size ${request.quantity} is not a multiple of ${request.instrument}'s step ${market.precision.amount}; nothing was sent.`)
      const trigger = request.trigger ? { [request.trigger.kind === 'stop_loss' ? 'stopLossPrice' : 'takeProfitPrice']: Number(request.trigger.price) } : {}
      const order = await exchange.createOrder(market.symbol, 'market', request.side, Number(request.quantity), undefined, { label: request.clientOrderId, ...(request.reduceOnly ? { reduceOnly: true } : {}), ...trigger })
      return stateOf(order as never)
    },
    async findByClientId(instrument, clientOrderId) {
      const market = linearMarket(exchange, 'deribit', instrument)
      const response = await call.privateGetGetOrderStateByLabel!({ currency: market.settleId ?? market.baseId, label: clientOrderId })
      const raw = Array.isArray(response.result) ? (response.result as Record<string, unknown>[]) : []
      return exchange.parseOrders(raw as never, market).map((order) => stateOf(order as never))
    },
    async fetch(instrument, id) {
      const market = linearMarket(exchange, 'deribit', instrument)
      return stateOf((await exchange.fetchOrder(id, market.symbol)) as never)
    },
    async cancel(instrument, id) {
      const market = linearMarket(exchange, 'deribit', instrument)
      await exchange.cancelOrder(id, market.symbol)
      return stateOf((await exchange.fetchOrder(id, market.symbol)) as never)
    },
    async positions() {
      const held = await exchange.fetchPositions()
      return held
        .filter((position) => Number(position.contracts ?? 0) !== 0)
        .map((position) => {
          const info = position.info as Record<string, unknown>
          const size = new Decimal(String(info.size ?? position.contracts))
          return { instrument: String(info.instrument_name), direction: size.isNegative() ? ('short' as const) : ('long' as const), quantity: size.abs().toString(), averagePrice: text(info.average_price ?? position.entryPrice), markPrice: position.markPrice === undefined ? null : String(position.markPrice) }
        })
    },
    async cancelAll() {
      const response = (await call.privateGetCancelAll!({})) as { result?: unknown }
      return Number(response.result ?? 0)
    },
    async clockSkewMs() {
      const sent = Date.now()
      const serverTime = await exchange.fetchTime()
      const received = Date.now()
      return Number(serverTime) - Math.round((sent + received) / 2)
    },
    async classify(error) {
      if (error instanceof BrokerError) return 'refused'
      if (error instanceof ccxt.DDoSProtection) return 'rate_limited'
      // A timeout or a cut connection says nothing about whether the order was taken.
      if (error instanceof ccxt.NetworkError) return 'unknown_outcome'
      return 'refused'
    },
  }
}
