import Decimal from 'decimal.js'
import type { Repositories, Store } from '../../platform/store/store'
import type { Direction, ExitReason, Order, Position } from '../../platform/store/repositories/execution'
import type { Candle } from '../../platform/store/repositories/market-snapshots'
import {
  BrokerError,
  type Broker,
  type CandleDriven,
  type ClosePositionOptions,
  type FillEvent,
  type OrderIntent,
} from './broker'
import { StoredBroker } from './stored-broker'
import { followTrail } from './position-trail'
import {
  exitOnCandle,
  exitSide,
  fillEntry,
  fillExit,
  MONEY_SCALE,
  PAPER_COSTS,
  prepareCosts,
  type PreparedCosts,
} from './fill-rules'

export interface PaperBrokerOptions {
  /** Fraction of the price lost on every fill, e.g. 0.0005 = 5 bp; PAPER_COSTS when not given. */
  slippage?: string
  /** Fee as a fraction of notional, e.g. 0.0004 = 4 bp; PAPER_COSTS when not given. */
  feeRate?: string
  /** Decimal places money is rounded to (fees, P&L). */
  moneyScale?: number
  /** Runs inside each fill's transaction, so the caller's records (decision row, idea status) commit with it. */
  withinFill?: (tx: Repositories, fill: FillEvent) => Promise<void>
  /** Runs inside each position close's transaction. */
  withinClose?: (
    tx: Repositories,
    trade: { positionId: string; realizedPnl: string; fees: string; closedAt: string },
  ) => Promise<void>
}

/**
 * A simulated broker for one user. It keeps no state of its own: pending
 * orders and open positions live in the store, so a restart loses nothing.
 * Market orders fill at the next candle's open (plus slippage); stop-loss and
 * take-profit are checked on every later candle, and when one candle touches
 * both, the stop-loss is assumed (the pessimistic reading).
 */
export class PaperBroker extends StoredBroker implements Broker, CandleDriven {
  readonly name = 'paper'
  readonly environment = 'paper' as const
  /**
   * Symbols with an open order or position, loaded from the store once. Only
   * this broker opens orders and positions for its user, so it keeps the set
   * current and a candle for an idle symbol costs no query at all.
   */
  private busySymbols: Set<string> | null = null
  private readonly costs: PreparedCosts
  private readonly moneyScale: number

  constructor(
    private readonly store: Store,
    userId: string,
    private readonly options: PaperBrokerOptions = {},
  ) {
    super(() => store, userId)
    this.costs = prepareCosts({
      slippage: options.slippage ?? PAPER_COSTS.slippage,
      feeRate: options.feeRate ?? PAPER_COSTS.feeRate,
    })
    this.moneyScale = options.moneyScale ?? MONEY_SCALE
  }

  async placeOrder(intent: OrderIntent): Promise<void> {
    if (intent.order.type !== 'market')
      throw new BrokerError(`The paper broker only fills market orders, not ${intent.order.type}.`)
    await this.store.orders.setStatus(this.userId, intent.order.id, 'open', {
      ...intent.order.metadata,
      stopLoss: intent.stopLoss,
      takeProfit: intent.takeProfit,
    })
    ;(await this.busy()).add(intent.order.symbol)
  }

  private async busy(): Promise<Set<string>> {
    if (!this.busySymbols) {
      const [positions, orders] = await Promise.all([
        this.getPositions(),
        this.store.orders.list(this.userId, { statuses: ['open'] }),
      ])
      this.busySymbols = new Set([
        ...positions.map((position) => position.symbol),
        ...orders.filter((order) => order.broker === this.name).map((order) => order.symbol),
      ])
    }
    return this.busySymbols
  }

  async cancelOrder(orderId: string): Promise<boolean> {
    const order = await this.store.orders.get(this.userId, orderId)
    if (!order || order.status !== 'open') return false
    await this.store.orders.setStatus(this.userId, orderId, 'cancelled')
    return true
  }

  async onCandle(candle: Candle): Promise<void> {
    const busy = await this.busy()
    if (busy.has(candle.symbol)) {
      // Positions opened before this candle are checked first, so an order filled at this open is not also stopped by it.
      const positions = (await this.getPositions()).filter((position) => position.symbol === candle.symbol)
      let closed = 0
      for (const position of positions) if (await this.checkExit(position, candle)) closed++
      // After the candle's exits, as a strategy's rules are applied: a trail set on a position moves its stop.
      for (const position of positions) await followTrail(this.store, this.userId, position, candle.close, 'paper')
      const orders = (await this.store.orders.list(this.userId, { statuses: ['open'] })).filter(
        (order) => order.broker === this.name && order.symbol === candle.symbol,
      )
      for (const order of orders) await this.fill(order, candle)
      if (orders.length === 0 && closed === positions.length) busy.delete(candle.symbol)
    }
    this.lastPrices.set(candle.symbol, candle.close)
  }

  private async fill(order: Order, candle: Candle): Promise<void> {
    const direction: Direction = order.side === 'buy' ? 'long' : 'short'
    const { price: fillPrice, fee } = fillEntry(direction, candle.open, order.quantity, this.costs, this.moneyScale)
    const event = await this.store.transaction(async (tx) => {
      const current = await tx.orders.get(this.userId, order.id)
      if (current?.status !== 'open') return null
      await tx.orders.addFill(this.userId, {
        orderId: order.id,
        broker: this.name,
        symbol: order.symbol,
        side: order.side,
        quantity: order.quantity,
        price: fillPrice,
        fee,
        filledAt: candle.ts,
      })
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
      const fill: FillEvent = {
        userId: this.userId,
        orderId: order.id,
        tradeIdeaId: order.tradeIdeaId,
        price: fillPrice,
        quantity: order.quantity,
        fee,
        filledAt: candle.ts,
      }
      await this.options.withinFill?.(tx, fill)
      return fill
    })
    if (event) this.announce([event])
  }

  /** Closes the position when the candle reaches its stop or target; returns whether it did. */
  private async checkExit(position: Position, candle: Candle): Promise<boolean> {
    const exit = exitOnCandle(position.direction, position.stopLoss, position.takeProfit, candle)
    if (!exit) return false
    return this.closeAt(position, { price: exit.price, reason: exit.reason, at: candle.ts })
  }

  /**
   * Closes a position at market, or `quantity` of it: at the last price the desk saw for it, with the same costs as
   * any exit. `within` runs inside the close's transaction (the decision row of the action that asked for it).
   * Refused in words when no price has been seen since the app started.
   */
  async closePosition(position: Position, reason: ExitReason, options: ClosePositionOptions = {}): Promise<void> {
    const price = this.lastPrice(position.symbol)
    if (price === null)
      throw new BrokerError(
        `no price for ${position.symbol} has been seen since the app started, so it cannot be closed at market yet`,
      )
    const closed = await this.closeAt(position, { price, reason, at: options.at ?? new Date().toISOString() }, options)
    if (!closed) throw new BrokerError(`the ${position.symbol} position was closed meanwhile; nothing more was closed`)
  }

  private async closeAt(
    position: Position,
    exit: { price: string; reason: ExitReason; at: string },
    options: { quantity?: string; within?: (tx: Repositories, closingOrderId: string) => Promise<void> } = {},
  ): Promise<boolean> {
    const candle = { ts: exit.at }
    const side = exitSide(position.direction)
    return this.store.transaction(async (tx) => {
      // Read inside the transaction: a part closed a moment ago has already made the position smaller.
      const current = await tx.positions.get(this.userId, position.id)
      if (current?.status !== 'open') return false
      const quantity = new Decimal(options.quantity ?? current.quantity)
      if (quantity.gt(current.quantity)) return false
      const whole = quantity.eq(current.quantity)
      const entryFee = new Decimal((current.metadata.entryFee as string | undefined) ?? '0')
      const share = whole
        ? entryFee
        : entryFee.times(quantity).div(current.quantity).toDecimalPlaces(this.moneyScale, Decimal.ROUND_HALF_EVEN)
      const {
        exitPrice,
        exitFee,
        realizedPnl: pnl,
        fees,
      } = fillExit(
        { ...current, quantity: quantity.toString(), entryFee: share.toString() },
        exit.price,
        this.costs,
        this.moneyScale,
      )
      if (whole) {
        if (!(await tx.positions.close(this.userId, current.id, candle.ts))) return false
      } else
        await tx.positions.resize(this.userId, current.id, {
          quantity: new Decimal(current.quantity).minus(quantity).toString(),
          averagePrice: current.averagePrice,
          metadata: { ...current.metadata, entryFee: entryFee.minus(share).toString() },
        })
      // The exit is an order and a fill like any other, so the order book tells the whole story.
      const closing = await tx.orders.create(this.userId, {
        strategyId: current.strategyId,
        tradeIdeaId: (current.metadata.tradeIdeaId as string | null | undefined) ?? null,
        broker: this.name,
        environment: this.environment,
        symbol: current.symbol,
        side,
        quantity: quantity.toString(),
        metadata: { closes: current.id, reason: exit.reason, ...(whole ? {} : { part: true }) },
      })
      await tx.orders.addFill(this.userId, {
        orderId: closing.id,
        broker: this.name,
        symbol: current.symbol,
        side,
        quantity: quantity.toString(),
        price: exitPrice,
        fee: exitFee,
        filledAt: candle.ts,
      })
      await tx.orders.setStatus(this.userId, closing.id, 'filled')
      await tx.trades.record(this.userId, {
        strategyId: current.strategyId,
        positionId: current.id,
        tradeIdeaId: (current.metadata.tradeIdeaId as string | null | undefined) ?? null,
        broker: this.name,
        symbol: current.symbol,
        direction: current.direction,
        quantity: quantity.toString(),
        entryPrice: current.averagePrice,
        exitPrice,
        realizedPnl: pnl,
        fees,
        exitReason: exit.reason,
        openedAt: current.openedAt,
        closedAt: candle.ts,
      })
      await options.within?.(tx, closing.id)
      await this.options.withinClose?.(tx, { positionId: current.id, realizedPnl: pnl, fees, closedAt: candle.ts })
      return true
    })
  }
}
