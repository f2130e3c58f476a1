import Decimal from 'decimal.js'
import type { Repositories, Store } from '../../platform/store/store'
import type { Order, Position } from '../../platform/store/repositories/execution'
import type { Candle } from '../../platform/store/repositories/market-snapshots'
import {
  BrokerError,
  type Broker,
  type CandleDriven,
  type ClosePositionOptions,
  type FillEvent,
  type OrderIntent,
} from '../trading/broker'
import { exitOnCandle, exitSide, money } from '../trading/fill-rules'
import { errorMessage } from '../../../../shared/errors'
import { EXCHANGES, type ExchangeId } from './registry'
import { ccxtLibrary, exchangeTiming, type ExchangeEnvironment, type ExchangeTiming } from './exchange-client'
import type { ExchangeOrderState, ExchangePosition, Holdings, OrderVenue } from './order-venue'
import { reconcileHoldings } from './reconciliation'
import { retrying } from './retrying'
import { clientOrderIdOf } from './client-order-ids'
import { StoredBroker } from '../trading/stored-broker'
import { closedTrade, closePart } from '../trading/closed-trade'
import { followTrail, nativeTrailBy, trailOf, watcherTrails } from '../trading/position-trail'
import type { ExitReason } from '../../platform/store/repositories/execution'
import type { Precision } from '../../../../shared/money'
import {
  isLive,
  LIVE_ORDER_STATUSES as LIVE_STATUSES,
  planProtection,
  surplusProtection,
  wantedLevels,
  type ProtectionStep,
} from './protection'

const MINUTE_MS = 60_000

/** Tries before a rate-limited or unanswered order is given up as not placed. */
const SEND_ATTEMPTS = 5
/** Reconciliations tried in a row while each meets a passing fault (a 429, a lost reply). */
const RECONCILE_TRIES = 4
/** How long after a fill an exchange's position read may still not show it (no more than a poll or two, seen). */
const POSITION_READ_LAG_MS = 500

export interface ReconcileReport {
  exchange: ExchangeId
  environment: ExchangeEnvironment
  /** What differed between the desk and the exchange, one sentence each; empty when they agreed. */
  differences: string[]
  /** The exchange's clock minus this machine's. */
  clockSkewMs: number
  receiveWindowMs: number
}

export interface ExchangeBrokerOptions {
  store: () => Store
  userId: string
  exchange: ExchangeId
  environment: ExchangeEnvironment
  /** The exchange with this profile's sealed key, opened on first use. */
  venue: () => Promise<OrderVenue>
  /** Runs inside each fill's transaction (the idea becomes executed, with its decision row). */
  withinFill: (tx: Repositories, fill: FillEvent) => Promise<void>
  /** Runs inside the transaction in which an entry order ends unfilled (the idea fails, with its decision row). */
  withinUnfilled: (tx: Repositories, order: Order, reason: string) => Promise<void>
  /** After each sync: the day's limits checked against this venue's account, which may halt the profile. */
  afterSync?: () => Promise<unknown>
  /** Tells the trader that a position's protection changed or broke (a stop placed again, resized, or watched instead). */
  onProtection?: (notice: { title: string; body: string }) => void
  now?: () => Date
  sleep?: (ms: number) => Promise<void>
  /** Else read from the environment when the broker is made. */
  timing?: ExchangeTiming
}

/**
 * A broker on a real exchange through ccxt. Orders are placed exactly once: each
 * carries a client id derived from its idea, is stored as pending before it is
 * sent, and is looked up by that id before any resend, after a lost reply, and
 * after a restart. What the exchange reports is mapped onto fills, positions and
 * trades. Stop-loss and take-profit go to the exchange as reduce-only trigger
 * orders where it holds them; otherwise Tradedeck watches them on each closed
 * candle and closes with a reduce-only market order.
 */
/** What flattening one venue did: orders of this desk cancelled, positions closed, and each close that failed. */
export interface VenueFlatten {
  cancelled: number
  closed: number
  failed: { symbol: string; reason: string }[]
}

export class ExchangeBroker extends StoredBroker implements Broker, CandleDriven {
  readonly name: string
  readonly environment: ExchangeEnvironment
  /** Client ids with a request in flight from this process: a sync must not judge them before their reply. */
  private readonly inFlight = new Set<string>()
  private poller: NodeJS.Timeout | null = null
  /** One sync at a time: two overlapping reads of the same order state must not both record its fill. */
  private syncing: Promise<void> = Promise.resolve()
  private waitingSync: Promise<void> | null = null
  /** Orders the exchange took but could not find when last read by id, said once each. */
  private readonly unfound = new Set<string>()
  private venueWork: Promise<unknown> = Promise.resolve()
  private protecting: Promise<void> = Promise.resolve()
  /** Counts fills and new prices, so the venue's limits are checked after a sync only when the account moved. */
  private accountMoves = 0
  private accountChecked = -1
  /** Per instrument, when the next one-minute candle the watcher has not seen closes. */
  private readonly watchedUntil = new Map<string, number>()
  private readonly now: () => Date
  private readonly sleep: (ms: number) => Promise<void>
  private readonly timing: ExchangeTiming
  /** The venue once opened: its loaded markets give prices and sizes their places without a round trip. */
  private openedVenue: OrderVenue | null = null
  /** The exchange's clock against this machine's, as last measured (at reconciliation, then every minute of syncing). */
  private clock: { skewMs: number; measuredAt: number; receiveWindowMs: number } | null = null
  /** When the desk last recorded a fill on this venue (see `holdingsAfterFills`). */
  private lastFillAt = 0

  constructor(private readonly options: ExchangeBrokerOptions) {
    super(options.store, options.userId)
    const openVenue = options.venue
    this.options = {
      ...options,
      venue: async () => {
        this.openedVenue = await openVenue()
        return this.openedVenue
      },
    }
    this.name = options.exchange
    this.environment = options.environment
    this.now = options.now ?? (() => new Date())
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.timing = options.timing ?? exchangeTiming()
  }

  private get store(): Store {
    return this.options.store()
  }

  private get label(): string {
    return `${EXCHANGES[this.options.exchange].label} ${this.environment}`
  }

  async placeOrder(intent: OrderIntent): Promise<void> {
    if (intent.order.type !== 'market')
      throw new BrokerError(`Tradedeck sends market orders only, not ${intent.order.type}.`)
    await this.refuseOffClock()
    if (intent.referencePrice) await this.refuseUnfunded(intent.order, intent.referencePrice)
    const clientOrderId = clientOrderIdOf(intent.order)
    const order = (await this.store.orders.setStatus(this.options.userId, intent.order.id, 'pending', {
      ...intent.order.metadata,
      clientOrderId,
      stopLoss: intent.stopLoss,
      takeProfit: intent.takeProfit,
      exits: 'managed',
      sentAt: this.now().toISOString(),
    })) as Order
    await this.send(order, false)
  }

  private async measureClock(venue: OrderVenue): Promise<number> {
    const skewMs = await venue.clockSkewMs()
    this.clock = { skewMs, measuredAt: this.now().getTime(), receiveWindowMs: venue.receiveWindowMs }
    return skewMs
  }

  /**
   * What the account holds, read once any fill the desk has just recorded can show in it: an exchange's position
   * and balance reads may lag its fills, and a read from before one would be taken as a difference.
   */
  private async holdingsAfterFills(venue: OrderVenue): Promise<Holdings> {
    const lagMs = Math.max(POSITION_READ_LAG_MS, 2 * this.timing.pollMs)
    const wait = this.lastFillAt + lagMs - this.now().getTime()
    if (wait > 0) await this.sleep(wait)
    return venue.holdings()
  }

  /** The clock as last measured, for a reconciliation that failed after measuring it; null before the first. */
  lastClock(): { skewMs: number; receiveWindowMs: number } | null {
    return this.clock ? { skewMs: this.clock.skewMs, receiveWindowMs: this.clock.receiveWindowMs } : null
  }

  /**
   * An entry is refused before anything is sent while this machine's clock is further off the exchange's than
   * the exchange accepts: it would refuse the signed request, or worse, refuse the stop that should follow the
   * fill. Closes and stops are never held back by this: the exchange is their judge.
   */
  private async refuseOffClock(): Promise<void> {
    const venue = await this.options.venue()
    const skewMs = this.clock ? this.clock.skewMs : await this.measureClock(venue)
    if (Math.abs(skewMs) < venue.receiveWindowMs) return
    throw new BrokerError(
      `This machine's clock is ${(Math.abs(skewMs) / 1000).toFixed(1)} s ${skewMs > 0 ? 'behind' : 'ahead of'} ${this.label}'s, and ${this.label} refuses a request more than ${venue.receiveWindowMs / 1000} s off: nothing was sent. Turn on automatic (network) time in the system's settings, then try again.`,
    )
  }

  /**
   * An entry the account's free funds cannot carry is refused before anything is sent: on spot its whole worth; on
   * contracts the least margin it could need, its worth at the instrument's highest leverage (the exchange asks more
   * at lower leverage, and refuses it then itself).
   */
  private async refuseUnfunded(order: Order, price: string): Promise<void> {
    const funds = await (await this.options.venue()).funds(order.symbol)
    const worth = new Decimal(order.quantity).times(price)
    const needed = worth.div(funds.maxLeverage)
    if (new Decimal(funds.free).gte(needed)) return
    const basis =
      funds.maxLeverage > 1
        ? `its worth ${worth.toString()} at the most leverage allowed, ${funds.maxLeverage}×`
        : `${order.quantity} × ${price}`
    throw new BrokerError(
      `${this.label} has ${funds.free} ${funds.currency} free; this order needs at least ${needed.toDecimalPlaces(8).toString()} ${funds.currency} (${basis}). Nothing was sent.`,
    )
  }

  /**
   * Sends the order unless the exchange already has it, then records what the exchange says of it. When
   * recording fails (the database busy, say), the order stays pending and the poll records it later: an
   * order the exchange holds is never marked failed.
   */
  private async send(order: Order, reduceOnly: boolean): Promise<void> {
    const clientOrderId = order.metadata.clientOrderId as string
    this.inFlight.add(clientOrderId)
    try {
      const state = await this.sendOnce(order, reduceOnly)
      if (state)
        await this.adopt(order, state).catch((error: unknown) =>
          console.error(
            `Recording order ${order.id} (${clientOrderId}) failed; the poll records it again: ${errorMessage(error)}`,
          ),
        )
      if (state) await this.afterAdopted(order)
    } finally {
      this.inFlight.delete(clientOrderId)
      this.pollWhileOpen()
    }
  }

  /**
   * Looks the order up by its client id and sends it only when the exchange has none; a 429 is tried again. Once a
   * send may have reached the exchange (its reply lost, a 5xx), it is only looked up. Null when the outcome stays
   * unknown: no later answer (a refusal, a 429 on a lookup, a lookup that finds nothing) can prove nothing was
   * placed, so the order stays pending until the poll settles it by its client id.
   */
  private async sendOnce(order: Order, reduceOnly: boolean): Promise<ExchangeOrderState | null> {
    const clientOrderId = order.metadata.clientOrderId as string
    const venue = await this.options.venue()
    let mayHaveArrived = false
    for (let attempt = 1; ; attempt++) {
      let sending = false
      try {
        const existing = await this.taken(venue, order)
        if (existing) return existing
        // Once a send may have reached the exchange, a lookup that finds nothing may only lag behind its matching:
        // the order is looked up again, never sent again (a Deribit label is not unique, nor is a Binance client id
        // once its order has filled, so a second send could fill twice).
        if (mayHaveArrived) {
          if (attempt >= SEND_ATTEMPTS) return null
          await this.sleep(this.timing.backoffMs * 2 ** (attempt - 1))
          continue
        }
        // When this send was made is what the poll later judges "never taken" by.
        await this.store.orders.setStatus(this.options.userId, order.id, 'pending', {
          ...order.metadata,
          sentAt: this.now().toISOString(),
        })
        const trigger = order.metadata.native
          ? {
              kind: order.metadata.reason as 'stop_loss' | 'take_profit',
              price: order.metadata.triggerPrice as string,
              ...(typeof order.metadata.trailBy === 'string' ? { trailBy: order.metadata.trailBy } : {}),
            }
          : undefined
        sending = true
        return await venue.place({
          instrument: order.symbol,
          side: order.side,
          quantity: order.quantity,
          clientOrderId,
          reduceOnly,
          ...(trigger ? { trigger } : {}),
        })
      } catch (error) {
        const kind = await venue.classify(error)
        if (sending && kind === 'unknown_outcome') mayHaveArrived = true
        // An earlier send may be on the exchange (a refusal now may even be because of it): only a lookup settles it.
        if (mayHaveArrived && (kind === 'refused' || attempt >= SEND_ATTEMPTS)) return null
        if (kind === 'refused')
          throw new BrokerError(`${this.label} refused the order: ${errorMessage(error)}. Nothing was placed.`)
        if (attempt >= SEND_ATTEMPTS) {
          // No send got through, and the last answer was a 429: it is certain that nothing was placed.
          if (kind === 'rate_limited')
            throw new BrokerError(
              `${this.label} kept limiting requests (${attempt} tries, ${errorMessage(error)}). Nothing was placed.`,
            )
          return null
        }
        await this.sleep(this.timing.backoffMs * 2 ** (attempt - 1))
      }
    }
  }

  /** The exchange's order for this client id that is or was live; a rejected or cancelled-unfilled one does not count as placed. */
  private async taken(venue: OrderVenue, order: Order): Promise<ExchangeOrderState | null> {
    const found = await venue.findByClientId(order.symbol, order.metadata.clientOrderId as string)
    return (
      found
        .filter((state) => state.status === 'open' || state.status === 'filled' || new Decimal(state.filled).gt(0))
        .at(-1) ?? null
    )
  }

  /**
   * Records what the exchange says of an order, in one transaction: the part filled since the last look becomes
   * a fill (so a state seen twice records nothing twice), the position opens, grows or closes, and the order's
   * status follows the exchange's.
   */
  private async adopt(order: Order, state: ExchangeOrderState): Promise<void> {
    const { userId } = this.options
    const fills: FillEvent[] = []
    await this.store.transaction(async (tx) => {
      const current = (await tx.orders.get(userId, order.id)) as Order
      if (current.brokerOrderId !== state.id) await tx.orders.setBrokerOrderId(userId, order.id, state.id)
      const recorded = await tx.orders.fills(userId, order.id)
      const recordedQuantity = recorded.reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0))
      const recordedValue = recorded.reduce(
        (sum, fill) => sum.plus(new Decimal(fill.price).times(fill.quantity)),
        new Decimal(0),
      )
      const recordedFees = recorded.reduce((sum, fill) => sum.plus(fill.fee), new Decimal(0))
      const filled = new Decimal(state.filled)
      const delta = filled.minus(recordedQuantity)
      if (delta.gt(0) && state.average !== null) {
        const price = money(new Decimal(state.average).times(filled).minus(recordedValue).div(delta))
        const fee = money(Decimal.max(0, new Decimal(state.fee).minus(recordedFees)))
        const filledAt = this.now().toISOString()
        this.lastFillAt = this.now().getTime()
        await tx.orders.addFill(userId, {
          orderId: order.id,
          broker: this.name,
          symbol: order.symbol,
          side: order.side,
          quantity: delta.toString(),
          price,
          fee,
          filledAt,
        })
        const fill: FillEvent = {
          userId,
          orderId: order.id,
          tradeIdeaId: order.tradeIdeaId,
          price,
          quantity: delta.toString(),
          fee,
          filledAt,
        }
        // A fee kept from the coin bought (spot) was never held: the position is what the account received.
        if (!current.metadata.closes)
          await this.opened(tx, current, state, filled.minus(state.feeFromFilled ?? '0'), fee, filledAt)
        await this.options.withinFill(tx, fill)
        fills.push(fill)
      }
      const status = state.status === 'open' ? (filled.gt(0) ? 'partially_filled' : 'open') : state.status
      const ended = state.status !== 'open' && isLive(current)
      if (current.metadata.closes && ended && filled.gt(0)) await this.closed(tx, current, state, filled)
      if (status !== current.status) await tx.orders.setStatus(userId, order.id, status)
      // A part that filled before a cancel stays a position; only an order that ended with nothing filled fails its idea.
      if (
        (status === 'cancelled' || status === 'rejected') &&
        filled.eq(0) &&
        current.status !== status &&
        !current.metadata.closes
      ) {
        await this.options.withinUnfilled(
          tx,
          current,
          `${this.label} ${status} the order ${state.id} before anything filled.`,
        )
      }
    })
    if (fills.length > 0) this.accountMoves++
    this.announce(fills)
  }

  /** An entry's fill: the position opens on the first part and grows with each later one, to what the account holds of it. */
  private async opened(
    tx: Repositories,
    order: Order,
    state: ExchangeOrderState,
    held: Decimal,
    fee: string,
    filledAt: string,
  ): Promise<void> {
    const { userId } = this.options
    const existing = (await tx.positions.listOpen(userId, { broker: this.name, environment: this.environment })).find(
      (position) => position.metadata.orderId === order.id,
    )
    const average = state.average as string
    if (existing) {
      const entryFee = new Decimal((existing.metadata.entryFee as string | undefined) ?? '0').plus(fee).toString()
      await tx.positions.resize(userId, existing.id, {
        quantity: held.toString(),
        averagePrice: average,
        metadata: { ...existing.metadata, entryFee },
      })
      return
    }
    await tx.positions.open(userId, {
      strategyId: order.strategyId,
      broker: this.name,
      environment: this.environment,
      symbol: order.symbol,
      direction: order.side === 'buy' ? 'long' : 'short',
      quantity: held.toString(),
      averagePrice: average,
      stopLoss: (order.metadata.stopLoss as string | null) ?? null,
      takeProfit: (order.metadata.takeProfit as string | null) ?? null,
      openedAt: filledAt,
      metadata: { entryFee: fee, tradeIdeaId: order.tradeIdeaId, orderId: order.id, exits: 'managed' },
    })
  }

  /**
   * A close that ended on the exchange with something filled: the position closes, its trade recorded net of
   * both fees; a close that filled only in part (then was cancelled or expired) closes that part, and the rest
   * stays open, its protection resized to it by the next check.
   */
  private async closed(tx: Repositories, order: Order, state: ExchangeOrderState, filled: Decimal): Promise<void> {
    const { userId } = this.options
    const position = await tx.positions.get(userId, order.metadata.closes as string)
    if (!position || position.status !== 'open') return
    const closedAt = this.now().toISOString()
    const exit = {
      broker: this.name,
      price: state.average as string,
      fee: state.fee,
      reason: (order.metadata.reason as ExitReason | undefined) ?? 'manual',
      closedAt,
    }
    // A close that filled is the whole close (on spot, what is left below one step stays in the wallet as dust),
    // unless it was asked for a part.
    if (filled.lt(position.quantity) && (state.status !== 'filled' || order.metadata.part)) {
      await closePart(tx, position, { ...exit, quantity: filled })
      return
    }
    if (!(await tx.positions.close(userId, position.id, closedAt))) return
    await tx.trades.record(userId, closedTrade(position, { ...exit, quantity: filled.toString() }))
  }

  /**
   * What follows an order's new state: a filled entry gets its stop-loss and take-profit placed on the
   * exchange, and a filled protective order has its sibling cancelled (the exchange does not link them).
   */
  private async afterAdopted(order: Order): Promise<void> {
    const current = await this.store.orders.get(this.options.userId, order.id)
    if (!current) return
    if (current.metadata.closes) {
      // A part closed leaves the rest open: its stop and target stay, and are resized to it (new before old).
      if (current.metadata.part) await this.keepProtected()
      else if (current.status === 'filled') await this.cancelSiblings(current)
      return
    }
    // An entry protects what has filled at once, a part as much as the whole.
    if (current.status !== 'pending' && current.status !== 'open') await this.keepProtected()
  }

  /**
   * The protection invariant, checked after every sync and reconciliation and whenever an entry fills: each
   * open position of the desk on this venue has its stop-loss and take-profit resting on the exchange for its
   * whole quantity, where the exchange holds them, or is watched by this broker. A level with no order
   * resting (the first time, or because the last one was cancelled on the exchange, expired, failed or was
   * never taken) gets one; a resting order for another size gets a replacement, placed before the old one is
   * cancelled. A repair is recorded as a `protection_changed` row and told to the trader. A position whose
   * protective order the exchange refuses is watched instead, and the trader told so. Positions the trader
   * opened outside Tradedeck are theirs and left alone. One check at a time.
   */
  keepProtected(): Promise<void> {
    const next = this.protecting.then(() => this.keepProtectedOnce())
    this.protecting = next.catch(() => undefined)
    return next
  }

  private async keepProtectedOnce(): Promise<void> {
    const holds = EXCHANGES[this.options.exchange]
    const live = await this.ownLiveOrders()
    for (const position of await this.getPositions()) {
      // The trader's own (until they ask), and those whose protective order the exchange refused (watched instead), are left as they are.
      if ((position.metadata.outside && !position.metadata.protectedOnRequest) || position.metadata.watched) continue
      const own = live.filter((order) => order.metadata.closes === position.id)
      // A close on its way settles the position; a protective order still in flight is judged once answered.
      if (own.some((order) => !order.metadata.native)) continue
      if (own.some((order) => this.inFlight.has(order.metadata.clientOrderId as string))) continue
      const natives = (await this.ordersOf(this.store, position)).filter((order) => order.metadata.native)
      const levels = wantedLevels(position, holds, await this.trailByNow(position, natives))
      if (levels.length === 0) continue
      const steps = planProtection(position, levels, natives)
      if (steps.length > 0) await this.protect(position, steps)
      else await this.cancelReplaced(surplusProtection(position, levels, natives))
    }
  }

  /**
   * The distance the exchange trails this position's stop by. A trailing order for another size (a part was closed)
   * is not resized: a new one would start from the price, looser than where the old one had trailed to. The watcher
   * takes the stop back at its last trailed level instead, and hands it over again once a close tightens it.
   */
  private async trailByNow(position: Position, natives: readonly Order[]): Promise<string | undefined> {
    const trailBy = nativeTrailBy(position)
    if (!trailBy) return undefined
    const resized = natives.some(
      (order) => isLive(order) && order.metadata.trailBy && !new Decimal(order.quantity).eq(position.quantity),
    )
    if (!resized) return trailBy
    await this.store.positions.setLevels(this.options.userId, position.id, {
      stopLoss: position.stopLoss,
      takeProfit: position.takeProfit,
      metadata: { ...position.metadata, trail: { ...trailOf(position), engaged: false } },
    })
    return undefined
  }

  /** Orders a replacement has taken over from are cancelled on the exchange; one that fails to go is tried at the next check. */
  private async cancelReplaced(orders: Order[]): Promise<void> {
    if (orders.length === 0) return
    const venue = await this.options.venue()
    for (const old of orders)
      try {
        await this.adopt(old, await venue.cancel(old.symbol, old.brokerOrderId as string))
      } catch (error) {
        console.error(`Cancelling the replaced order ${old.id} failed: ${errorMessage(error)}`)
      }
  }

  /** Every order that closes or protects a position, live and ended, oldest first: read by its idea, else by its symbol. */
  private async ordersOf(tx: Repositories, position: Position): Promise<Order[]> {
    const tradeIdeaId = position.metadata.tradeIdeaId as string | undefined
    return (
      await tx.orders.list(this.options.userId, tradeIdeaId ? { tradeIdeaId } : { symbol: position.symbol })
    ).filter((order) => order.metadata.closes === position.id)
  }

  /**
   * Where the exchange amends a trigger order in place, a level that only moved (one order resting for the whole
   * position at another price) is amended rather than replaced. An amend that fails, whatever its reply, falls back
   * to the replacement: a new order resting before the old one is cancelled leaves one order at the new level whether
   * or not the amend went through. Answers the steps still to place.
   */
  private async amendInPlace(position: Position, steps: ProtectionStep[]): Promise<ProtectionStep[]> {
    const venue = await this.options.venue()
    if (!venue.amendTrigger) return steps
    const { userId } = this.options
    const left: ProtectionStep[] = []
    for (const step of steps) {
      const [old] = step.replaces
      // A trailing stop, or a stop to become one, is replaced: an amend moves a trigger, not how it is set.
      if (
        step.level.trailBy ||
        old?.metadata.trailBy ||
        step.replaces.length !== 1 ||
        !old?.brokerOrderId ||
        old.status !== 'open' ||
        !new Decimal(old.quantity).eq(position.quantity)
      ) {
        left.push(step)
        continue
      }
      const from = String(old.metadata.triggerPrice)
      try {
        const state = await venue.amendTrigger(position.symbol, old.brokerOrderId, old.quantity, step.level.price)
        if (state.status !== 'open') throw new Error(`it reads ${state.status} after the amend`)
      } catch (error) {
        console.error(`Amending ${old.id} on ${this.label} failed; it is replaced instead: ${errorMessage(error)}`)
        left.push(step)
        continue
      }
      const name = step.level.reason === 'take_profit' ? 'take-profit' : 'stop-loss'
      await this.store.transaction(async (tx) => {
        await tx.orders.setStatus(userId, old.id, old.status, { ...old.metadata, triggerPrice: step.level.price })
        await tx.decisions.append(userId, {
          action: 'protection_changed',
          actor: 'system',
          symbol: position.symbol,
          strategyId: position.strategyId,
          orderId: old.id,
          rationale: `The ${name} of ${position.quantity} ${position.symbol} resting on ${this.label} was amended in place from ${from} to ${step.level.price}.`,
          occurredAt: this.now().toISOString(),
        })
      })
    }
    return left
  }

  /** Places the protective orders the plan asks for, each exactly once, then cancels what each replaces. */
  private async protect(position: Position, planned: ProtectionStep[]): Promise<void> {
    const steps = await this.amendInPlace(position, planned)
    if (steps.length === 0) return
    const { userId } = this.options
    const why = steps.map((step) => step.why).filter((line): line is string => line !== null)
    const protective = await this.store.transaction(async (tx) => {
      const current = await tx.positions.get(userId, position.id)
      if (current?.status !== 'open') return []
      await tx.positions.resize(userId, position.id, {
        quantity: current.quantity,
        averagePrice: current.averagePrice,
        metadata: { ...current.metadata, exits: 'native' },
      })
      const orders: Order[] = []
      for (const step of steps) {
        const order = await tx.orders.create(userId, {
          strategyId: position.strategyId,
          tradeIdeaId: (position.metadata.tradeIdeaId as string | null | undefined) ?? null,
          broker: this.name,
          environment: this.environment,
          symbol: position.symbol,
          side: exitSide(position.direction),
          quantity: current.quantity,
          metadata: {
            closes: position.id,
            reason: step.level.reason,
            native: true,
            triggerPrice: step.level.price,
            ...(step.level.trailBy ? { trailBy: step.level.trailBy } : {}),
            // A later order for the same level needs a client id of its own: the first is the position's.
            ...(step.why ? { replacement: true } : {}),
          },
        })
        orders.push(
          (await tx.orders.setStatus(userId, order.id, 'pending', {
            ...order.metadata,
            clientOrderId: clientOrderIdOf(order),
            sentAt: this.now().toISOString(),
          })) as Order,
        )
      }
      if (why.length > 0)
        await tx.decisions.append(userId, {
          action: 'protection_changed',
          actor: 'system',
          symbol: position.symbol,
          strategyId: position.strategyId,
          orderId: orders[0]?.id ?? null,
          rationale: why.join(' '),
          occurredAt: this.now().toISOString(),
        })
      return orders
    })
    // Each is in flight from now on: a poll meanwhile must not send the ones still waiting their turn here.
    for (const order of protective) this.inFlight.add(order.metadata.clientOrderId as string)
    if (why.length > 0)
      this.options.onProtection?.({
        title: `${position.symbol} on ${this.label}: protection placed again`,
        body: why.join(' '),
      })
    try {
      for (const [index, order] of protective.entries()) {
        try {
          await this.send(order, true)
        } catch (error) {
          await this.watchInstead(position, order, errorMessage(error))
          continue
        }
        const placed = await this.store.orders.get(userId, order.id)
        if (!placed?.brokerOrderId || !['open', 'partially_filled'].includes(placed.status)) continue
        await this.cancelReplaced(steps[index]!.replaces.filter((old) => old.brokerOrderId))
      }
    } finally {
      // One not sent because an earlier step failed is the poll's to send: left in flight, no poll would ever look.
      for (const order of protective) this.inFlight.delete(order.metadata.clientOrderId as string)
    }
  }

  private async resendProtective(order: Order): Promise<void> {
    try {
      await this.send(order, true)
    } catch (error) {
      const position = await this.store.positions.get(this.options.userId, order.metadata.closes as string)
      if (position?.status === 'open') await this.watchInstead(position, order, errorMessage(error))
      else
        await this.store.orders.setStatus(this.options.userId, order.id, 'failed', {
          ...order.metadata,
          error: errorMessage(error),
        })
    }
  }

  /** A protective order the exchange would not take: the order fails, and Tradedeck watches the position itself. */
  private async watchInstead(position: Position, order: Order, reason: string): Promise<void> {
    const { userId } = this.options
    const name = order.metadata.reason === 'take_profit' ? 'take-profit' : 'stop-loss'
    const rationale = `${this.label} did not take the ${name} of ${position.quantity} ${position.symbol} at ${String(order.metadata.triggerPrice)} (${reason}). Tradedeck watches the position instead and closes it at market when the price reaches it, while the app runs.`
    await this.store.transaction(async (tx) => {
      await tx.orders.setStatus(userId, order.id, 'failed', { ...order.metadata, error: reason })
      const current = await tx.positions.get(userId, position.id)
      if (current?.status !== 'open') return
      await tx.positions.resize(userId, position.id, {
        quantity: current.quantity,
        averagePrice: current.averagePrice,
        metadata: { ...current.metadata, exits: 'managed', watched: true },
      })
      await tx.decisions.append(userId, {
        action: 'protection_changed',
        actor: 'system',
        symbol: position.symbol,
        strategyId: position.strategyId,
        orderId: order.id,
        rationale,
        occurredAt: this.now().toISOString(),
      })
    })
    this.options.onProtection?.({ title: `${position.symbol} on ${this.label}: watched by Tradedeck`, body: rationale })
  }

  /** Once one protective order has closed the position, the other is cancelled on the exchange. */
  private async cancelSiblings(filled: Order): Promise<void> {
    const siblings = (await this.store.orders.list(this.options.userId, { statuses: [...LIVE_STATUSES] })).filter(
      (order) => order.id !== filled.id && order.metadata.closes === filled.metadata.closes && order.brokerOrderId,
    )
    if (siblings.length === 0) return
    const venue = await this.options.venue()
    for (const sibling of siblings)
      await this.adopt(sibling, await venue.cancel(sibling.symbol, sibling.brokerOrderId as string))
  }

  /** Protective orders left live for a position the desk no longer holds (reconciliation closed it) are cancelled. */
  private async cancelOrphans(venue: OrderVenue): Promise<void> {
    const { userId } = this.options
    for (const order of await this.store.orders.list(userId, { statuses: [...LIVE_STATUSES] })) {
      if (
        order.broker !== this.name ||
        order.environment !== this.environment ||
        !order.metadata.native ||
        !order.brokerOrderId
      )
        continue
      const position = await this.store.positions.get(userId, order.metadata.closes as string)
      if (position?.status !== 'open') await this.adopt(order, await venue.cancel(order.symbol, order.brokerOrderId))
    }
  }

  /**
   * Closes a position, or `quantity` of it, with a reduce-only market order placed exactly once like any other.
   * `within` runs in the transaction that records the order (the decision row of the action that asked for it).
   * Refused in words while another close of the position is on its way.
   */
  async closePosition(position: Position, reason: ExitReason, options: ClosePositionOptions = {}): Promise<void> {
    const { userId } = this.options
    const closing = await this.store.transaction(async (tx) => {
      const current = await tx.positions.get(userId, position.id)
      if (current?.status !== 'open') return null
      // A close already on its way is the close; a stop or target resting on the exchange is not.
      const closes = (await this.ordersOf(tx, current)).filter((order) => !order.metadata.native)
      if (closes.some(isLive)) return null
      const quantity = options.quantity ?? current.quantity
      if (new Decimal(quantity).gt(current.quantity)) return null
      const part = new Decimal(quantity).lt(current.quantity)
      const order = await tx.orders.create(userId, {
        strategyId: current.strategyId,
        tradeIdeaId: (current.metadata.tradeIdeaId as string | null | undefined) ?? null,
        broker: this.name,
        environment: this.environment,
        symbol: current.symbol,
        side: exitSide(current.direction),
        quantity,
        // A close after an earlier one, or of a part, needs a client id of its own (its order's): the first whole
        // close's is the position's.
        metadata: {
          closes: current.id,
          reason,
          ...(closes.length > 0 || part ? { replacement: true } : {}),
          ...(part ? { part: true } : {}),
        },
      })
      await options.within?.(tx, order.id)
      return (await tx.orders.setStatus(userId, order.id, 'pending', {
        ...order.metadata,
        clientOrderId: clientOrderIdOf(order),
        sentAt: this.now().toISOString(),
      })) as Order
    })
    if (!closing) {
      if (!options.within) return
      throw new BrokerError(
        `A close of the ${position.symbol} position is already on its way, or it closed meanwhile; nothing more was sent.`,
      )
    }
    try {
      await this.send(closing, true)
    } catch (error) {
      // Refused: nothing was placed, so the close is over (a later one may be asked for), and the position keeps its protection.
      if (error instanceof BrokerError) await this.closeRefused(closing, error.message)
      throw error
    }
  }

  private async closeRefused(order: Order, reason: string): Promise<void> {
    const { userId } = this.options
    await this.store.transaction(async (tx) => {
      await tx.orders.setStatus(userId, order.id, 'failed', { ...order.metadata, error: reason })
      await tx.decisions.append(userId, {
        action: 'order_failed',
        actor: 'system',
        symbol: order.symbol,
        strategyId: order.strategyId,
        tradeIdeaId: order.tradeIdeaId,
        orderId: order.id,
        rationale: reason,
        occurredAt: this.now().toISOString(),
      })
    })
  }

  /**
   * Brings every order this desk has live on the exchange up to date. An order sent
   * long enough ago that the exchange has no record of was never taken: it fails,
   * and its idea may be retried.
   */
  sync(): Promise<void> {
    // A sync still waiting its turn reads everything this one would, so callers share it: polls that come faster than
    // a slow exchange answers never pile up, and a flatten or reconciliation never waits behind a backlog of them.
    if (this.waitingSync) return this.waitingSync
    const next = this.syncing.then(() => {
      this.waitingSync = null
      return this.syncOnce()
    })
    this.waitingSync = next
    this.syncing = next.catch(() => undefined)
    return next
  }

  private async syncOnce(): Promise<void> {
    // The clock is measured with the syncs, once a minute: a clock that drifts is caught before the next entry.
    if (!this.clock || this.now().getTime() - this.clock.measuredAt >= MINUTE_MS)
      await this.measureClock(await this.options.venue())
    await this.syncOrders()
    // A stop or target whose cancel failed after its position closed (a flatten meeting a 5xx) goes at the next poll.
    await this.cancelOrphans(await this.options.venue())
    await this.keepProtected()
    await this.watchExits()
    // The venue's account moves only with a fill or a new price: between them there is nothing new to check.
    if (this.accountMoves !== this.accountChecked) {
      this.accountChecked = this.accountMoves
      await this.options.afterSync?.()
    }
  }

  /**
   * The venue's watcher: positions whose exits the exchange does not hold are checked against each one-minute
   * candle that closes on the exchange, whether or not the instance that opened them runs. It runs with the
   * poll, which runs while the desk has a position open here.
   */
  private async watchExits(): Promise<void> {
    const watched = (await this.getPositions()).filter(
      (position) =>
        (position.metadata.exits !== 'native' || watcherTrails(position)) &&
        (!position.metadata.outside || position.metadata.protectedOnRequest) &&
        (position.stopLoss || position.takeProfit),
    )
    if (watched.length === 0) return
    const venue = await this.options.venue()
    const now = this.now().getTime()
    for (const symbol of new Set(watched.map((position) => position.symbol))) {
      const opened = Math.min(...watched.filter((p) => p.symbol === symbol).map((p) => Date.parse(p.openedAt)))
      const since = Math.max(this.watchedUntil.get(symbol) ?? 0, opened)
      // No candle has closed since the last look: nothing to ask the exchange.
      if (now < since) continue
      const candles = await venue.closedMinuteCandles(symbol, since)
      for (const candle of candles) await this.onCandle(candle)
      const last = candles.at(-1)
      // Asked again once the next candle has closed: the one after the last seen, else the one forming now.
      this.watchedUntil.set(
        symbol,
        last ? Date.parse(last.ts) + 2 * MINUTE_MS : (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS,
      )
    }
  }

  private async syncOrders(): Promise<void> {
    const { userId } = this.options
    const live = await this.ownLiveOrders()
    if (live.length === 0) return
    const venue = await this.options.venue()
    for (const order of live) {
      const clientOrderId = (order.metadata.clientOrderId as string | undefined) ?? clientOrderIdOf(order)
      if (this.inFlight.has(clientOrderId)) continue
      let state: ExchangeOrderState | null
      if (order.brokerOrderId) {
        state = await this.readById(venue, order.symbol, order.brokerOrderId)
        // The exchange took it, but cannot find it yet: read again at the next poll, never taken for "never placed".
        if (!state) {
          if (!this.unfound.has(order.id))
            console.error(
              `${this.label} cannot find order ${order.brokerOrderId} (${clientOrderId}) yet; it is read again at each poll.`,
            )
          this.unfound.add(order.id)
          continue
        }
        this.unfound.delete(order.id)
      } else state = await this.taken(venue, { ...order, metadata: { ...order.metadata, clientOrderId } })
      if (state) {
        await this.adopt(order, state)
        await this.afterAdopted(order)
        if (order.metadata.trailBy && state.status === 'open' && state.triggerPrice)
          await this.recordTrailed(order, state.triggerPrice)
        continue
      }
      const sentAt = Date.parse((order.metadata.sentAt as string | undefined) ?? order.createdAt)
      // A stop or target the exchange has no record of is sent again (with the same client id) once five polls have
      // passed: the position must not wait bare for long, but a lookup may lag the exchange's matching, and a second
      // send of a stop that did arrive would rest twice where client ids are not unique (Deribit's labels).
      if (order.metadata.native) {
        if (this.now().getTime() - sentAt >= 5 * this.timing.pollMs) await this.resendProtective(order)
        continue
      }
      if (this.now().getTime() - sentAt < this.timing.unansweredAfterMs) continue
      await this.store.transaction(async (tx) => {
        const reason = `${this.label} has no order labelled ${clientOrderId}: it was never taken (the app stopped or lost the connection while sending). Nothing was placed; the idea can be retried.`
        await tx.orders.setStatus(userId, order.id, 'failed', { ...order.metadata, error: reason })
        if (!order.metadata.closes) await this.options.withinUnfilled(tx, order, reason)
      })
    }
  }

  /**
   * An order the exchange took, by its id; null while the exchange answers that it has none (Binance -2013, Deribit
   * 10004, Bybit 110001): an order's reads may lag its placing by a moment, so "not found" there is "not yet".
   */
  private async readById(venue: OrderVenue, symbol: string, id: string): Promise<ExchangeOrderState | null> {
    const ccxt = await ccxtLibrary()
    return venue.fetch(symbol, id).catch((error: unknown) => {
      if (error instanceof ccxt.OrderNotFound) return null
      throw error
    })
  }

  /**
   * Where the exchange's own trailing stop has moved its trigger, the position's stop-loss follows, with its
   * decision row in the same transaction: what the desk shows and risks is where the exchange would close it.
   */
  private async recordTrailed(order: Order, triggerPrice: string): Promise<void> {
    const { userId } = this.options
    await this.store.transaction(async (tx) => {
      const position = await tx.positions.get(userId, order.metadata.closes as string)
      if (position?.status !== 'open' || position.stopLoss === null || !nativeTrailBy(position)) return
      const tighter =
        position.direction === 'long'
          ? new Decimal(triggerPrice).gt(position.stopLoss)
          : new Decimal(triggerPrice).lt(position.stopLoss)
      if (!tighter) return
      await tx.positions.setLevels(userId, position.id, {
        stopLoss: triggerPrice,
        takeProfit: position.takeProfit,
        metadata: position.metadata,
      })
      const resting = await tx.orders.get(userId, order.id)
      if (resting) await tx.orders.setStatus(userId, order.id, resting.status, { ...resting.metadata, triggerPrice })
      await tx.decisions.append(userId, {
        action: 'position_modified',
        actor: 'system',
        symbol: position.symbol,
        strategyId: position.strategyId,
        tradeIdeaId: (position.metadata.tradeIdeaId as string | null | undefined) ?? null,
        orderId: order.id,
        rationale: `The trailing stop resting on ${this.label}, ${String(order.metadata.trailBy)} behind the price, has moved the stop-loss of the ${position.direction} ${position.quantity} ${position.symbol} ${position.stopLoss} → ${triggerPrice}.`,
        occurredAt: this.now().toISOString(),
      })
    })
  }

  /**
   * At start and after a reconnect: orders brought up to date (an order sent before a crash is found
   * by its client id), then positions made to match the exchange's, each difference a `reconciled`
   * decision row; and the exchange's clock measured against this machine's.
   */
  reconcile(): Promise<ReconcileReport> {
    // Each step stands on its own (what is recorded is what the exchange said), so a passing fault midway is
    // ridden out by reconciling again: an instance must not fail to resume after a restart on one 429.
    return this.exclusively(() =>
      retrying(() => this.reconcileOnce(), {
        transient: async (error) => {
          const venue = await this.options.venue().catch(() => null)
          return venue !== null && (await venue.classify(error)) !== 'refused'
        },
        waitMs: (attempt) => this.timing.backoffMs * 2 ** (attempt - 1),
        tries: RECONCILE_TRIES,
      }),
    )
  }

  /**
   * A position the exchange holds less of than the desk, with its stop or target resting in the desk's books, was most
   * likely closed by that order. An exchange's order reads may lag its position reads, so the orders read before the
   * position may not show the fill yet: they are read again once it can show, and adopted, before reconciliation
   * judges the difference (which would otherwise close the position at a guessed price, as nobody's).
   */
  private async settleVanishedProtection(held: ExchangePosition[]): Promise<void> {
    const smaller = (await this.getPositions()).filter((position) => {
      const theirs = held.find((on) => on.instrument === position.symbol)
      return !theirs || theirs.direction !== position.direction || new Decimal(theirs.quantity).lt(position.quantity)
    })
    if (smaller.length === 0) return
    const protecting = (await this.ownLiveOrders()).filter(
      (order) => order.metadata.native && smaller.some((position) => position.id === order.metadata.closes),
    )
    if (protecting.length === 0) return
    await this.sleep(POSITION_READ_LAG_MS)
    await this.sync()
  }

  /**
   * One reconciliation or flatten at a time per venue: two windows starting instances on it together
   * must not both adopt the same position the exchange holds.
   */
  private exclusively<T>(run: () => Promise<T>): Promise<T> {
    const next = this.venueWork.then(run)
    this.venueWork = next.catch(() => undefined)
    return next
  }

  private async reconcileOnce(): Promise<ReconcileReport> {
    const venue = await this.options.venue()
    // The clock first, with a public request: past the exchange's window its signed ones are refused (and on Binance
    // ccxt's correction of them follows this measurement), so a failing reconciliation still says why.
    const clockSkewMs = await this.measureClock(venue)
    await this.sync()
    const holdings = await this.holdingsAfterFills(venue)
    if (holdings.kind === 'positions') await this.settleVanishedProtection(holdings.positions)
    // The exchange's marks price the venue's open P&L (what its daily loss and drawdown read) until the next candle.
    if (holdings.kind === 'positions')
      for (const held of holdings.positions)
        if (held.markPrice && this.lastPrices.get(held.instrument) !== held.markPrice) {
          this.lastPrices.set(held.instrument, held.markPrice)
          this.accountMoves++
        }
    const differences = await reconcileHoldings(
      {
        store: this.store,
        userId: this.options.userId,
        broker: this.name,
        environment: this.environment,
        label: this.label,
        now: this.now,
        lastPrice: (symbol) => this.lastPrice(symbol),
      },
      holdings,
    )
    if (differences.length > 0) this.accountMoves++
    await this.cancelOrphans(venue)
    await this.keepProtected()
    this.pollWhileOpen()
    return {
      exchange: this.options.exchange,
      environment: this.environment,
      differences,
      clockSkewMs,
      receiveWindowMs: venue.receiveWindowMs,
    }
  }

  /**
   * Closes every position of this desk on the exchange with reduce-only market orders. Only this
   * desk's own orders are cancelled (the trader's own orders on the account, and another profile's on a
   * shared key, stay), and a position's stop and target go only once its close has filled: a close that
   * fails leaves the position protected, and is reported with its reason.
   */
  flatten(): Promise<VenueFlatten> {
    return this.exclusively(() => this.flattenOnce())
  }

  private async flattenOnce(): Promise<VenueFlatten> {
    const venue = await this.options.venue()
    const liveBefore = await this.ownLiveOrders()
    await this.cancelOwnEntries(venue, liveBefore)
    await this.reconcileOnce()
    const open = await this.getPositions()
    const failed: VenueFlatten['failed'] = []
    for (const position of open)
      await this.closePosition(position, 'manual').catch((error: unknown) =>
        failed.push({ symbol: position.symbol, reason: errorMessage(error) }),
      )
    // A filled close cancels its position's stop and target; any left of a closed position go here. Those still open keep theirs.
    await this.cancelOrphans(venue)
    const stillOpen = await this.getPositions()
    for (const position of stillOpen)
      if (open.some((before) => before.id === position.id) && !failed.some((entry) => entry.symbol === position.symbol))
        failed.push({
          symbol: position.symbol,
          reason: 'its close has not filled yet; its stop stays on the exchange until it does',
        })
    let cancelled = 0
    for (const order of liveBefore)
      if ((await this.store.orders.get(this.options.userId, order.id))?.status === 'cancelled') cancelled++
    return { cancelled, closed: open.length - stillOpen.length, failed }
  }

  private async ownLiveOrders(): Promise<Order[]> {
    return (await this.store.orders.list(this.options.userId, { statuses: [...LIVE_STATUSES] })).filter(
      (order) => order.broker === this.name && order.environment === this.environment,
    )
  }

  /** Cancels this desk's live orders that open positions (entries); closes, stops and targets are left to the flatten. */
  private async cancelOwnEntries(venue: OrderVenue, live: Order[]): Promise<void> {
    for (const order of live)
      if (!order.metadata.closes && order.brokerOrderId)
        await this.adopt(order, await venue.cancel(order.symbol, order.brokerOrderId))
  }

  /** Polls the exchange while this desk has an order live on it or a position open: each poll checks the protection of every position. */
  private pollWhileOpen(): void {
    if (this.poller) return
    this.poller = setInterval(() => {
      void this.sync()
        .then(async () => {
          if ((await this.ownLiveOrders()).length === 0 && (await this.getPositions()).length === 0) this.stopPolling()
        })
        .catch(() => undefined)
    }, this.timing.pollMs)
    this.poller.unref()
  }

  stopPolling(): void {
    if (this.poller) clearInterval(this.poller)
    this.poller = null
  }

  /**
   * The trader asks Tradedeck to protect a position they opened outside it: the stop must be on the losing side of
   * the market's last closed price (and a target on the winning side), or nothing changes. The levels and the
   * decision row are written together; the stop and target then go to the exchange like any position's.
   */
  async protectOnRequest(
    positionId: string,
    levels: { stopLoss: string; takeProfit: string | null },
    actor: `human:${string}`,
  ): Promise<void> {
    const { userId } = this.options
    const position = await this.store.positions.get(userId, positionId)
    if (position?.status !== 'open' || position.broker !== this.name || position.environment !== this.environment)
      throw new BrokerError('This position is no longer open on this exchange.')
    if (!position.metadata.outside || position.metadata.protectedOnRequest)
      throw new BrokerError('Tradedeck already protects this position; nothing was changed.')
    const venue = await this.options.venue()
    const last = (await venue.closedMinuteCandles(position.symbol, this.now().getTime() - 3 * MINUTE_MS)).at(-1)
    const price = last?.close ?? this.lastPrice(position.symbol)
    if (!price) throw new BrokerError(`No recent price for ${position.symbol} could be read; nothing was changed.`)
    const long = position.direction === 'long'
    const losing = long ? new Decimal(levels.stopLoss).lt(price) : new Decimal(levels.stopLoss).gt(price)
    if (!losing)
      throw new BrokerError(
        `A stop at ${levels.stopLoss} would close this ${position.direction} at once: the market is at ${price}. Put it ${long ? 'below' : 'above'} the market; nothing was changed.`,
      )
    if (
      levels.takeProfit &&
      (long ? new Decimal(levels.takeProfit).lte(price) : new Decimal(levels.takeProfit).gte(price))
    )
      throw new BrokerError(
        `A target at ${levels.takeProfit} is already reached: the market is at ${price}. Put it ${long ? 'above' : 'below'} the market; nothing was changed.`,
      )
    await this.store.transaction(async (tx) => {
      const changed = await tx.positions.setLevels(userId, position.id, {
        stopLoss: levels.stopLoss,
        takeProfit: levels.takeProfit,
        metadata: { ...position.metadata, protectedOnRequest: true, exits: 'managed' },
      })
      if (!changed) throw new BrokerError('This position closed meanwhile; nothing was changed.')
      await tx.decisions.append(userId, {
        action: 'protection_changed',
        actor,
        symbol: position.symbol,
        strategyId: position.strategyId,
        rationale: `The trader asked Tradedeck to protect their ${position.direction} ${position.quantity} ${position.symbol} (opened outside Tradedeck): stop-loss ${levels.stopLoss}${levels.takeProfit ? `, take-profit ${levels.takeProfit}` : ''}, with the market at ${price}.`,
        occurredAt: this.now().toISOString(),
      })
    })
    this.lastPrices.set(position.symbol, price)
    await this.keepProtected()
    this.pollWhileOpen()
  }

  precision(symbol: string): Precision | null {
    return this.openedVenue?.precision(symbol) ?? null
  }

  /** Rounds a size down to a whole number of the symbol's steps on this exchange, by ccxt's precision rules. */
  async stepsOf(symbol: string): Promise<(quantity: Decimal) => string> {
    const venue = await this.options.venue()
    return (quantity) => venue.wholeSteps(symbol, quantity.toString())
  }

  /** The symbol's tick and step, reaching the exchange first when it has not been opened yet (a fresh CLI run). */
  async marketPrecision(symbol: string): Promise<Precision | null> {
    return (await this.options.venue()).precision(symbol)
  }

  /** What sizing by risk reads here: the account's equity in the instrument's settlement currency, and its step. */

  async sizing(symbol: string): Promise<{ equity: string; wholeSteps(quantity: Decimal): string }> {
    const venue = await this.options.venue()
    const funds = await venue.funds(symbol)
    return { equity: funds.total, wholeSteps: (quantity) => venue.wholeSteps(symbol, quantity.toString()) }
  }

  async cancelOrder(orderId: string): Promise<boolean> {
    const order = await this.store.orders.get(this.options.userId, orderId)
    if (!order?.brokerOrderId || !['open', 'partially_filled'].includes(order.status)) return false
    const venue = await this.options.venue()
    await this.adopt(order, await venue.cancel(order.symbol, order.brokerOrderId))
    return true
  }

  /** Tradedeck-managed exits: a closed candle that reaches a position's stop-loss or take-profit closes it at market. */
  async onCandle(candle: Candle): Promise<void> {
    if (this.lastPrices.get(candle.symbol) !== candle.close) this.accountMoves++
    this.lastPrices.set(candle.symbol, candle.close)
    for (const position of await this.getPositions()) {
      // Only a candle wholly after the fill can say the stop was reached while the position was held; the exchange watches native ones.
      if (position.symbol !== candle.symbol || candle.ts < position.openedAt || position.metadata.exits === 'native')
        continue
      const exit = exitOnCandle(position.direction, position.stopLoss, position.takeProfit, candle)
      if (exit) await this.closePosition(position, exit.reason)
    }
    // A trail the trader set on a position moves its stop after the candle; the protection check then moves the order.
    let trailed = false
    for (const position of await this.getPositions())
      if (position.symbol === candle.symbol && candle.ts >= position.openedAt)
        trailed =
          (await followTrail(this.store, this.options.userId, position, candle.close, this.label)) !== null || trailed
    if (trailed) await this.keepProtected()
  }
}
