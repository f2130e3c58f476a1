import Decimal from 'decimal.js'
import type { Exchange, Market } from 'ccxt'
import { BrokerError } from '../trading/broker'
import { ccxtLibrary, marketOf } from './exchange-client'
import type { Candle } from '../../platform/store/repositories/market-snapshots'
import { decimalsOfStep, type Precision } from '../../../../shared/money'

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
  /** Fees paid so far, in the settlement currency (a fee taken in another coin is valued at its fill's price). */
  fee: string
  /** A resting trigger order's trigger as the exchange now has it: a trailing stop's moves with the price. */
  triggerPrice?: string
  /** The part of `filled` the exchange kept as its fee (a spot buy pays it in the coin bought): the account holds `filled` minus this. */
  feeFromFilled?: string
}

export interface ExchangePosition {
  instrument: string
  direction: 'long' | 'short'
  quantity: string
  averagePrice: string
  markPrice: string | null
}

/**
 * What an account holds, as its exchange can say it: derivatives venues report positions; a spot
 * wallet reports balances per coin, of which the desk's holdings are only a part.
 */
export type Holdings =
  | { kind: 'positions'; positions: ExchangePosition[] }
  | { kind: 'wallet'; balances: Record<string, string>; coinOf(instrument: string): string | null }

export interface PlaceRequest {
  instrument: string
  side: 'buy' | 'sell'
  quantity: string
  clientOrderId: string
  /** Closes (part of) a position the desk holds: reduce-only on derivatives; on spot, a sale of the holding. */
  reduceOnly: boolean
  /**
   * A protective order held by the exchange: a market order once the price reaches `price`. With `trailBy`, a stop
   * whose trigger the exchange moves itself, that far behind the price's best since it was placed (only where the
   * exchange trails by a price distance: see ExchangeCapabilities.nativeTrailing).
   */
  trigger?: { kind: 'stop_loss' | 'take_profit'; price: string; trailBy?: string }
  /**
   * A limit order resting at `price` (rounded to the instrument's tick), always post-only: where it would take
   * at once, the exchange refuses it or cancels it instead (Deribit's reject_post_only, Binance's LIMIT_MAKER and
   * GTX, Bybit's PostOnly).
   */
  limit?: { price: string }
}

/** How a request that failed may have ended on the exchange's side. */
export type FailureKind = 'rate_limited' | 'unknown_outcome' | 'refused'

/**
 * What the exchange broker needs from an exchange, on top of ccxt: one market
 * order with a client id, the lookup by that id, order state, cancel and holdings. Written for Deribit, Binance spot, Binance USDⓈ-M futures and Bybit, each verified
 * against a stand-in of its wire protocol.
 */
export interface ExchangeOrders {
  /** Fails as refused or rate limited only when the exchange did not take the order (see `readAfterTaken`). */
  place(request: PlaceRequest): Promise<ExchangeOrderState>
  /** Every order carrying the client id, newest last; empty when the exchange never took one. */
  findByClientId(instrument: string, clientOrderId: string): Promise<ExchangeOrderState[]>
  fetch(instrument: string, id: string): Promise<ExchangeOrderState>
  /** Cancels one order; answers with its state after the cancel. */
  cancel(instrument: string, id: string): Promise<ExchangeOrderState>
  /**
   * Moves a resting stop or take order's trigger in place, under its own id, where the exchange can (Deribit's
   * private/edit, Bybit's order/amend); answers with its state after. Absent where the exchange cannot (Binance's
   * conditional orders are cancelled and placed again).
   */
  amendTrigger?(instrument: string, id: string, quantity: string, triggerPrice: string): Promise<ExchangeOrderState>
  holdings(): Promise<Holdings>
  /** The exchange's clock minus this machine's, in ms, measured over one round trip. */
  clockSkewMs(): Promise<number>
  classify(error: unknown): Promise<FailureKind>
}

/** What the account holds in the currency an instrument settles in. */
export interface Funds {
  currency: string
  total: string
  free: string
  /** The most leverage the instrument allows (1 on spot): the least margin any order on it can need is its worth divided by this. */
  maxLeverage: number
}

/** An exchange's orders, and what every exchange offers alike through ccxt. */
export interface OrderVenue extends ExchangeOrders {
  /** The instrument's one-minute candles that closed since `sinceMs`: what the venue's watcher checks watched exits against. */
  closedMinuteCandles(instrument: string, sinceMs: number): Promise<Candle[]>
  /** The account's funds in the instrument's settlement currency (a contract's settle coin, a spot pair's quote). */
  funds(instrument: string): Promise<Funds>
  /** A size rounded down to a whole number of the instrument's steps, by ccxt's precision rules; "0" below one step. */
  wholeSteps(instrument: string, quantity: string): string
  /** The places of the instrument's tick and step, from its loaded market; null for an instrument it does not list. */
  precision(instrument: string): Precision | null
  /** How far off the exchange's clock a signed request may be before the exchange refuses it. */
  receiveWindowMs: number
  /** The smallest size the exchange takes for the instrument, as its market says; null where it says none. */
  minimumQuantity(instrument: string): string | null
  /** The smallest worth of an order (Binance's MIN_NOTIONAL), as its market says; null where it says none. */
  minimumCost(instrument: string): string | null
  /**
   * The lowest price the exchange takes a buy limit at, as a fraction of the current price (Binance's PERCENT_PRICE
   * band); null where the market says none.
   */
  lowestBuyRatio(instrument: string): number | null
}

export function minimumQuantityOf(exchange: Exchange, instrument: string): string | null {
  const min = marketOf(exchange, instrument)?.limits?.amount?.min
  return min === undefined || min === null ? null : text(min)
}

export function minimumCostOf(exchange: Exchange, instrument: string): string | null {
  const min = marketOf(exchange, instrument)?.limits?.cost?.min
  return min === undefined || min === null ? null : text(min)
}

/**
 * Binance's PERCENT_PRICE filter (USDⓈ-M futures: multiplierDown) and PERCENT_PRICE_BY_SIDE (spot:
 * bidMultiplierDown) bound how far below the price a buy limit may rest ("Filters" in Binance's docs). ccxt does not
 * map them, so they are read from the market's own filters; the other exchanges' markets carry none.
 */
export function lowestBuyRatioOf(exchange: Exchange, instrument: string): number | null {
  const filters = (marketOf(exchange, instrument)?.info as { filters?: Record<string, unknown>[] } | undefined)?.filters
  for (const filter of Array.isArray(filters) ? filters : []) {
    const ratio =
      filter.filterType === 'PERCENT_PRICE'
        ? Number(filter.multiplierDown)
        : filter.filterType === 'PERCENT_PRICE_BY_SIDE'
          ? Number(filter.bidMultiplierDown)
          : NaN
    if (ratio > 0 && ratio < 1) return ratio
  }
  return null
}

/**
 * Binance and Bybit check each signed request's timestamp against a receive window (ccxt's `recvWindow`: 10 s
 * on Binance, 5 s on Bybit). Deribit's docs name none for its signatures; the harsher reading is Bybit's 5 s.
 */
const DEFAULT_RECEIVE_WINDOW_MS = 5_000

export function receiveWindowOf(exchange: Exchange): number {
  return Number((exchange.options as Record<string, unknown> | undefined)?.recvWindow) || DEFAULT_RECEIVE_WINDOW_MS
}

/** ccxt's TICK_SIZE precision mode: the market's precision is a tick (0.5), not a number of places. */
const CCXT_TICK_SIZE = 4

export function precisionOf(exchange: Exchange, instrument: string): Precision | null {
  const market = marketOf(exchange, instrument)
  const places = (value: number | undefined) =>
    value === undefined || value === null
      ? null
      : exchange.precisionMode === CCXT_TICK_SIZE
        ? decimalsOfStep(value)
        : Number(value)
  const price = places(market?.precision?.price)
  if (price === null) return null
  const tick = market?.precision?.price
  // A tick like 0.5 is not a number of places: said as it is, so a price is put on it rather than on the places.
  const offPowerOfTen =
    exchange.precisionMode === CCXT_TICK_SIZE && typeof tick === 'number' && !new Decimal(10).pow(-price).eq(tick)
  return {
    price,
    quantity: places(market?.precision?.amount),
    ...(offPowerOfTen ? { priceTick: text(tick) } : {}),
  }
}

export async function fundsOf(exchange: Exchange, instrument: string): Promise<Funds> {
  const market = marketOf(exchange, instrument)
  if (!market) throw new BrokerError(`The exchange has no instrument ${instrument}.`)
  const currency = String(market.contract ? market.settle : market.quote)
  const balance = await exchange.fetchBalance()
  const amount = (side: 'total' | 'free') =>
    text(((balance[side] ?? {}) as unknown as Record<string, number | undefined>)[currency])
  const maxLeverage = market.contract ? Number(market.limits?.leverage?.max ?? 1) || 1 : 1
  return { currency, total: amount('total'), free: amount('free'), maxLeverage }
}

export function wholeStepsOf(exchange: Exchange, instrument: string, quantity: string): string {
  const market = marketOf(exchange, instrument)
  if (!market) throw new BrokerError(`The exchange has no instrument ${instrument}.`)
  try {
    // ccxt truncates amounts to the market's precision: never a step more than asked.
    return text(exchange.amountToPrecision(market.symbol, Number(quantity)))
  } catch {
    // ccxt refuses an amount below one step: as a size, that is none.
    return '0'
  }
}

export const ORDER_STATUS: Record<string, ExchangeOrderState['status']> = {
  open: 'open',
  closed: 'filled',
  canceled: 'cancelled',
  cancelled: 'cancelled',
  rejected: 'rejected',
  expired: 'cancelled',
}

export const text = (value: unknown, fallback = '0') =>
  value === undefined || value === null || value === '' ? fallback : new Decimal(String(value)).toString()

/** The ccxt market of an instrument, refused unless its sizes and P&L are linear like Tradedeck's. */
export function linearMarket(exchange: Exchange, label: string, instrument: string): NonNullable<Market> {
  const market = marketOf(exchange, instrument)
  if (!market) throw new BrokerError(`${label} has no instrument ${instrument}.`)
  if (!market.contract)
    throw new BrokerError(`${instrument} on ${label} is a spot pair; Tradedeck trades its linear perpetuals there.`)
  if (market.inverse)
    throw new BrokerError(
      `${instrument} is an inverse contract, sized in USD and settled in the coin; Tradedeck sizes and values positions linearly. Use a USDT- or USDC-margined contract (on Deribit, e.g. BTC_USDC-PERPETUAL).`,
    )
  return market
}

/** The market an order goes to, refused before anything is sent when its size is not a whole number of the market's steps. */
export function marketForOrder(exchange: Exchange, label: string, request: PlaceRequest): NonNullable<Market> {
  return inWholeSteps(exchange, linearMarket(exchange, label, request.instrument), request)
}

/** The market, once the order's size is found to be a whole number of its steps; refused before anything is sent otherwise. */
export function inWholeSteps(
  exchange: Exchange,
  market: NonNullable<Market>,
  request: PlaceRequest,
): NonNullable<Market> {
  const precise = String(exchange.amountToPrecision(market.symbol, Number(request.quantity)))
  if (!new Decimal(precise).eq(request.quantity))
    throw new BrokerError(
      `The size ${request.quantity} is not a multiple of ${request.instrument}'s step ${market.precision.amount}; nothing was sent.`,
    )
  return market
}

/**
 * How ccxt is asked for the order: a post-only limit at its price on the instrument's tick (ccxt turns `postOnly`
 * into each exchange's own flag), else a market order.
 */
export function orderTypeOf(
  exchange: Exchange,
  market: NonNullable<Market>,
  request: PlaceRequest,
): { type: 'limit' | 'market'; price: number | undefined; params: { postOnly?: true } } {
  if (!request.limit) return { type: 'market', price: undefined, params: {} }
  return {
    type: 'limit',
    price: Number(exchange.priceToPrecision(market.symbol, Number(request.limit.price))),
    params: { postOnly: true },
  }
}

/** The ccxt parameters of a stop-loss or take-profit order: ccxt turns them into each exchange's trigger order. */
export function triggerParams(request: PlaceRequest): Record<string, number> {
  if (!request.trigger) return {}
  if (request.trigger.trailBy)
    throw new Error('This exchange does not trail a stop by a price distance; Tradedeck watches the trail instead.')
  return { [request.trigger.kind === 'stop_loss' ? 'stopLossPrice' : 'takeProfitPrice']: Number(request.trigger.price) }
}

/**
 * An order the exchange has taken, read further (its fills, its state). That read failing says nothing of whether
 * the order was placed, which it was: a 429 or a refusal on it must not read as "not placed", so any failure is
 * reported as an unknown outcome (a ccxt NetworkError), and the broker finds the order by its client id.
 */
export async function readAfterTaken<T>(label: string, id: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    const ccxt = await ccxtLibrary()
    throw new ccxt.NetworkError(
      `${label} took order ${id}, but its state could not be read yet: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}

/** The exchange's clock minus this machine's, in ms, over one round trip to its time endpoint. */
export async function measureClockSkew(exchange: Exchange): Promise<number> {
  const sent = Date.now()
  const serverTime = await exchange.fetchTime()
  const received = Date.now()
  return Number(serverTime) - Math.round((sent + received) / 2)
}

/**
 * How a failed request may have ended. Only an answer that proves the exchange did not act
 * (a refusal, a 429) says nothing was placed. A timeout, a cut connection, a 5xx, a reply
 * that could not be read, an exchange reporting itself unavailable, and each exchange's own
 * "status unknown" and "duplicate client id" codes (`outcomeUnknown`, matched on the reply
 * ccxt quotes in its message) say the order may be there: the broker looks it up by its
 * client id before anything else is sent, and never reports it as not placed.
 */
export async function classifyFailure(error: unknown, outcomeUnknown: readonly RegExp[] = []): Promise<FailureKind> {
  const ccxt = await ccxtLibrary()
  if (error instanceof BrokerError) return 'refused'
  if (error instanceof ccxt.DDoSProtection || error instanceof ccxt.RateLimitExceeded) return 'rate_limited'
  // A request signed too far off the exchange's clock (Binance -1021, Bybit 10002) is refused before it acts.
  if (error instanceof ccxt.InvalidNonce) return 'refused'
  // NetworkError (timeouts, 5xx, ExchangeNotAvailable) and BadResponse are both OperationFailed.
  if (error instanceof ccxt.OperationFailed) return 'unknown_outcome'
  const said = error instanceof Error ? error.message : String(error)
  if (outcomeUnknown.some((code) => code.test(said))) return 'unknown_outcome'
  return 'refused'
}
