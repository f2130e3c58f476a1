import Decimal from 'decimal.js'
import type { Repositories, Store } from '../store/store'
import type { Direction, ExitReason, Order, Position } from '../store/repositories/execution'
import type { Candle } from '../store/repositories/market-snapshots'
import { BrokerError, type Broker, type CandleDriven, type FillEvent, type OrderIntent } from './broker'

export interface PaperBrokerOptions {
  /** Fraction of the price lost on every fill, e.g. 0.0005 = 5 bp. */
  slippage?: string
  /** Fee as a fraction of notional, e.g. 0.0004 = 4 bp. */
  feeRate?: string
  /** Decimal places money is rounded to (fees, P&L). */
  moneyScale?: number
  /** Runs inside each fill's transaction, so the caller's records (decision row, idea status) commit with it. */
  withinFill?: (tx: Repositories, fill: FillEvent) => Promise<void>
  /** Runs inside each position close's transaction. */
  withinClose?: (tx: Repositories, trade: { positionId: string; realizedPnl: string; fees: string; closedAt: string }) => Promise<void>
}

/**
 * A simulated broker for one user. It keeps no state of its own: pending
 * orders and open positions live in the store, so a restart loses nothing.
 * Market orders fill at the next candle's open (plus slippage); stop-loss and
 * take-profit are checked on every later candle, and when one candle touches
 * both, the stop-loss is assumed (the pessimistic reading).
 */
export class PaperBroker implements Broker, CandleDriven {
  readonly name = 'paper'
  readonly environment = 'paper' as const
  private readonly listeners = new Set<(fill: FillEvent) => void>()
  private readonly lastPrices = new Map<string, string>()
  /**
   * Symbols with an open order or position, loaded from the store once. Only
   * this broker opens orders and positions for its user, so it keeps the set
   * current and a candle for an idle symbol costs no query at all.
   */
  private busySymbols: Set<string> | null = null
  private readonly slippage: Decimal
  private readonly feeRate: Decimal
  private readonly moneyScale: number

  constructor(
    private readonly store: Store,
    private readonly userId: string,
    private readonly options: PaperBrokerOptions = {},
  ) {
    this.slippage = new Decimal(options.slippage ?? '0')
    this.feeRate = new Decimal(options.feeRate ?? '0')
    this.moneyScale = options.moneyScale ?? 8
  }

  async placeOrder(intent: OrderIntent): Promise<void> {
    if (intent.order.type !== 'market') throw new BrokerError(`The paper broker only fills market orders, not ${intent.order.type}.`)
    await this.store.orders.setStatus(this.userId, intent.order.id, 'open', { ...intent.order.metadata, stopLoss: intent.stopLoss, takeProfit: intent.takeProfit })
    ;(await this.busy()).add(intent.order.symbol)
  }

  private async busy(): Promise<Set<string>> {
    if (!this.busySymbols) {
      const [positions, orders] = await Promise.all([this.getPositions(), this.store.orders.list(this.userId, { statuses: ['open'] })])
      this.busySymbols = new Set([...positions.map((position) => position.symbol), ...orders.filter((order) => order.broker === this.name).map((order) => order.symbol)])
    }
    return this.busySymbols
  }

  async cancelOrder(orderId: string): Promise<boolean> {
    const order = await this.store.orders.get(this.userId, orderId)
    if (!order || order.status !== 'open') return false
    await this.store.orders.setStatus(this.userId, orderId, 'cancelled')
    return true
  }

  getPositions(): Promise<Position[]> {
    return this.store.positions.listOpen(this.userId, { broker: this.name, environment: this.environment })
  }

  async getBalance(): Promise<string> {
    const trades = await this.store.trades.all(this.userId, { broker: this.name })
    return trades.reduce((sum, trade) => sum.plus(trade.realizedPnl).minus(trade.fees), new Decimal(0)).toString()
  }

  onFill(listener: (fill: FillEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  lastPrice(symbol: string): string | null {
    return this.lastPrices.get(symbol) ?? null
  }

  private money(value: Decimal): string {
    return value.toDecimalPlaces(this.moneyScale, Decimal.ROUND_HALF_EVEN).toString()
  }

  /** Price after slippage: buying costs more, selling yields less. */
  private slipped(price: string, side: 'buy' | 'sell'): Decimal {
    const factor = side === 'buy' ? new Decimal(1).plus(this.slippage) : new Decimal(1).minus(this.slippage)
    return new Decimal(price).times(factor)
  }

  async onCandle(candle: Candle): Promise<void> {
    const busy = await this.busy()
    if (busy.has(candle.symbol)) {
      // Positions opened before this candle are checked first, so an order filled at this open is not also stopped by it.
      const positions = (await this.getPositions()).filter((position) => position.symbol === candle.symbol)
      let closed = 0
      for (const position of positions) if (await this.checkExit(position, candle)) closed++
      const orders = (await this.store.orders.list(this.userId, { statuses: ['open'] })).filter((order) => order.broker === this.name && order.symbol === candle.symbol)
      for (const order of orders) await this.fill(order, candle)
      if (orders.length === 0 && closed === positions.length) busy.delete(candle.symbol)
    }
    this.lastPrices.set(candle.symbol, candle.close)
  }

  private async fill(order: Order, candle: Candle): Promise<void> {
    const price = this.slipped(candle.open, order.side)
    const fee = this.money(price.times(order.quantity).times(this.feeRate))
    const fillPrice = price.toString()
    const direction: Direction = order.side === 'buy' ? 'long' : 'short'
    const event = await this.store.transaction(async (tx) => {
      const current = await tx.orders.get(this.userId, order.id)
      if (current?.status !== 'open') return null
      await tx.orders.addFill(this.userId, { orderId: order.id, broker: this.name, symbol: order.symbol, side: order.side, quantity: order.quantity, price: fillPrice, fee, filledAt: candle.ts })
      await tx.orders.setStatus(this.userId, order.id, 'filled')
      await tx.positions.open(this.userId, {
        strategyId: order.strategyId,
        broker: this.name,
        environment: this.environment,
        symbol: order.symbol,
        direction,
        quantity: order.quantity,
        averagePrice: fillPrice,
        stopLoss: (order.metadata.stopLoss as string | null) ?? null,
        takeProfit: (order.metadata.takeProfit as string | null) ?? null,
        openedAt: candle.ts,
        metadata: { entryFee: fee, tradeIdeaId: order.tradeIdeaId, orderId: order.id },
      })
      const fill: FillEvent = { userId: this.userId, orderId: order.id, tradeIdeaId: order.tradeIdeaId, price: fillPrice, quantity: order.quantity, fee, filledAt: candle.ts }
      await this.options.withinFill?.(tx, fill)
      return fill
    })
    if (event) for (const listener of this.listeners) listener(event)
  }

  private exitFor(position: Position, candle: Candle): { price: string; reason: ExitReason } | null {
    const high = new Decimal(candle.high)
    const low = new Decimal(candle.low)
    const long = position.direction === 'long'
    const stopHit = position.stopLoss !== null && (long ? low.lte(position.stopLoss) : high.gte(position.stopLoss))
    const targetHit = position.takeProfit !== null && (long ? high.gte(position.takeProfit) : low.lte(position.takeProfit))
    if (stopHit) {
      // A gap through the stop fills at the open, not at the stop.
      const open = new Decimal(candle.open)
      const gapped = long ? open.lt(position.stopLoss as string) : open.gt(position.stopLoss as string)
      return { price: gapped ? candle.open : (position.stopLoss as string), reason: 'stop_loss' }
    }
    if (targetHit) return { price: position.takeProfit as string, reason: 'take_profit' }
    return null
  }

  /** Closes the position when the candle reaches its stop or target; returns whether it did. */
  private async checkExit(position: Position, candle: Candle): Promise<boolean> {
    const exit = this.exitFor(position, candle)
    if (!exit) return false
    const side = position.direction === 'long' ? 'sell' : 'buy'
    const exitPrice = this.slipped(exit.price, side)
    const move = exitPrice.minus(position.averagePrice).times(position.quantity)
    const pnl = this.money(position.direction === 'long' ? move : move.negated())
    const exitFee = new Decimal(this.money(exitPrice.times(position.quantity).times(this.feeRate)))
    const entryFee = new Decimal((position.metadata.entryFee as string | undefined) ?? '0')
    return this.store.transaction(async (tx) => {
      if (!(await tx.positions.close(this.userId, position.id, candle.ts))) return false
      // The exit is an order and a fill like any other, so the order book tells the whole story.
      const closing = await tx.orders.create(this.userId, {
        strategyId: position.strategyId,
        tradeIdeaId: (position.metadata.tradeIdeaId as string | null | undefined) ?? null,
        broker: this.name,
        environment: this.environment,
        symbol: position.symbol,
        side,
        quantity: position.quantity,
        metadata: { closes: position.id, reason: exit.reason },
      })
      await tx.orders.addFill(this.userId, { orderId: closing.id, broker: this.name, symbol: position.symbol, side, quantity: position.quantity, price: exitPrice.toString(), fee: exitFee.toString(), filledAt: candle.ts })
      await tx.orders.setStatus(this.userId, closing.id, 'filled')
      await tx.trades.record(this.userId, {
        strategyId: position.strategyId,
        positionId: position.id,
        tradeIdeaId: (position.metadata.tradeIdeaId as string | null | undefined) ?? null,
        broker: this.name,
        symbol: position.symbol,
        direction: position.direction,
        quantity: position.quantity,
        entryPrice: position.averagePrice,
        exitPrice: exitPrice.toString(),
        realizedPnl: pnl,
        fees: entryFee.plus(exitFee).toString(),
        exitReason: exit.reason,
        openedAt: position.openedAt,
        closedAt: candle.ts,
      })
      await this.options.withinClose?.(tx, { positionId: position.id, realizedPnl: pnl, fees: entryFee.plus(exitFee).toString(), closedAt: candle.ts })
      return true
    })
  }
}
