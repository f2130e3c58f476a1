import type Decimal from 'decimal.js'
import type { ExitReason, Order, Position } from '../../platform/store/repositories/execution'
import type { Repositories } from '../../platform/store/store'
import type { Candle } from '../../platform/store/repositories/market-snapshots'
import type { Precision } from '../../../../shared/money'

export interface OrderIntent {
  order: Order
  /** Protective levels the broker attaches to the position the order opens. */
  stopLoss: string | null
  takeProfit: string | null
  /** The price the order is expected near (its idea's entry): what the funds it needs are counted at. */
  referencePrice?: string
}

export interface FillEvent {
  userId: string
  orderId: string
  tradeIdeaId: string | null
  price: string
  quantity: string
  fee: string
  filledAt: string
}

export class BrokerError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BrokerError'
  }
}

/**
 * What the core needs from any broker. A paper broker implements it today; a
 * live exchange adapter (e.g. ccxt) implements the same interface later.
 */
export interface Broker {
  readonly name: string
  readonly environment: 'live' | 'testnet' | 'paper'
  /** Accepts an order for execution; throws BrokerError when the broker refuses it. */
  placeOrder(intent: OrderIntent): Promise<void>
  cancelOrder(orderId: string): Promise<boolean>
  getPositions(): Promise<Position[]>
  getBalance(): Promise<string>
  onFill(listener: (fill: FillEvent) => void): () => void
  /** The last traded price the broker has seen for a symbol. */
  lastPrice(symbol: string): string | null
  /**
   * Closes a position, or `quantity` of it, at market; `within` runs in the transaction that records the close (its
   * decision row). Paper closes at the last price seen, recorded `at` the candle a strategy's exit names.
   */
  closePosition(position: Position, reason: ExitReason, options?: ClosePositionOptions): Promise<void>
  /** The places of a symbol's tick and step where the venue knows them (an exchange's markets); paper does not. */
  precision?(symbol: string): Precision | null
  /** Where the venue has an account of its own (an exchange): its equity for a symbol, and sizes in its steps. */
  sizing?(symbol: string): Promise<{ equity: string; wholeSteps(quantity: Decimal): string }>
}

export interface ClosePositionOptions {
  quantity?: string
  within?: (tx: Repositories, closingOrderId: string) => Promise<void>
  /** The candle a strategy's exit closes on (paper records the close at it). */
  at?: string
}

/** Market data a simulated broker executes against. */
export interface CandleDriven {
  onCandle(candle: Candle): Promise<void>
}
