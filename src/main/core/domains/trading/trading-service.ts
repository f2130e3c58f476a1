import Decimal from 'decimal.js'
import type { CoreEvents } from '../../platform/events'
import type { Repositories, Store } from '../../platform/store/store'
import type { Decision } from '../../platform/store/repositories/decision-history'
import { closesAPosition, isImported, type Order } from '../../platform/store/repositories/execution'
import { announceLater } from '../notifications/notifier'
import { AccountBook } from './account-book'
import { RiskSettings } from './risk-settings'
import { TradingError } from './trading-error'
import { PAPER_VENUE, type Venue } from './venue'
import type { RiskConfig } from '../../platform/store/repositories/risk-config'
import type { TradeIdea, TradeIdeaStatus } from '../../platform/store/repositories/trade-ideas'
import type { AccountSummary } from './account-state'
import { BrokerError, type Broker } from './broker'
import { dayLimitReached, evaluate, type RiskDecision, type RiskIdea, type RiskOpenPosition } from './risk-engine'
import { errorMessage } from '../../../../shared/errors'
import { EXCHANGES, isExchangeId } from '../exchanges/registry'
import { humanActor } from '../../../../shared/domain'

export interface ProposedIdea extends RiskIdea {
  /** The instance's waiting ideas when the caller has just read them (the strategy runtime has); otherwise read from the queue. */
  replacing?: TradeIdea[]
  strategyId?: string | null
  snapshotId?: string | null
  rationale: string
  expiresAt?: string | null
  entryRangeLow?: string | null
  entryRangeHigh?: string | null
  expectedHold?: string | null
}

/** What a proposal is judged against: see riskStateWithin. */
export interface RiskState {
  config: RiskConfig
  account: AccountSummary
  exposure: RiskOpenPosition[]
  /** What the day's orders are worth, with each idea auto-executed in the same transaction added. */
  orderedNotionalToday: Decimal
}

export type WithdrawAction = 'idea_expired' | 'idea_invalidated' | 'idea_superseded'

export interface TradingServiceOptions {
  now?: () => Date
  /** The broker for a venue; throws BrokerError when no adapter exists for it. */
  brokerFor: (userId: string, venue: Venue) => Broker
  /** Where committed changes are announced to every window; none in tests that watch the store alone. */
  events?: Pick<CoreEvents, 'emit'>
}

/**
 * The idea lifecycle: a strategy proposes, the risk engine routes, a person
 * decides where the config says so, and every transition is written in one
 * transaction together with its decision-history row.
 */
export class TradingService {
  private readonly now: () => Date
  readonly risk: RiskSettings
  readonly book: AccountBook
  private readonly lastVenueSnapshot = new Map<string, { at: number; equity: string }>()

  constructor(
    private readonly store: Store,
    private readonly options: TradingServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date())
    this.risk = new RiskSettings(store, options)
    this.book = new AccountBook(store, { ...options, risk: this.risk })
  }

  /**
   * The account and the open exposure that proposals are judged against. Proposals committed together
   * (one candle across many instances) share one: nothing they do before the commit moves the account,
   * and each auto-executed idea is added to the exposure, so together they still respect the limits.
   */
  async riskStateWithin(tx: Repositories, userId: string): Promise<RiskState> {
    const config = await this.risk.config(userId, tx)
    const account = await this.book.account(userId, tx)
    // Positions and orders imported from another system are that system's record, not this desk's to close or fill.
    const open = (await tx.positions.listOpen(userId)).filter((position) => !isImported(position))
    // An entry on its way counts against the limit as much as the position it will open; a close, or a
    // stop or target resting to close, opens nothing, and its position is already counted.
    const pendingOrders = (await tx.orders.list(userId, { statuses: ['pending', 'open'] })).filter(
      (order) => !isImported(order) && !closesAPosition(order),
    )
    const orderedNotionalToday = await tx.orders.notionalSince(userId, account.dayStartedAt)
    return {
      config,
      account,
      exposure: [...open, ...pendingOrders.map((order) => ({ symbol: order.symbol }))],
      orderedNotionalToday,
    }
  }

  private async assess(
    userId: string,
    idea: RiskIdea & { strategyId?: string | null },
    tx: Repositories,
    shared?: RiskState,
  ): Promise<{ decision: RiskDecision; config: RiskConfig }> {
    const state = shared ?? (await this.riskStateWithin(tx, userId))
    const { config, exposure } = state
    // An exchange instance's idea is judged against that venue's account and prices, never the paper account's.
    const venue = await this.strategyVenue(tx, userId, idea.strategyId)
    const account = venue.broker === PAPER_VENUE.broker ? state.account : await this.venueAccount(tx, userId, venue)
    const lastPrice = this.book.lastPriceOn(userId, venue, idea.symbol)
    const decision = evaluate(
      idea,
      config,
      {
        realisedPnlToday: account.todayRealisedPnl,
        unrealisedPnl: account.unrealisedPnl,
        equity: account.equity,
        dayPeakEquity: account.dayPeakEquity,
        lastPrice,
        orderedNotionalToday: state.orderedNotionalToday.toString(),
        longOnlyVenue: await this.longOnlyVenue(tx, userId, idea.strategyId),
      },
      exposure,
    )
    if (decision.route === 'auto_execute') {
      exposure.push({ symbol: idea.symbol })
      state.orderedNotionalToday = state.orderedNotionalToday.plus(new Decimal(idea.size).times(idea.entryPrice))
    }
    return { decision, config }
  }

  /**
   * The day's limits checked against one exchange venue's account as it stands (after a sync, a fill or a close),
   * not only when an idea comes: a day's loss or a drawdown at its limit halts the profile at once, with its
   * decision row, and the venue's account is snapshotted for its day's peak. True when this check halted trading.
   */
  async checkVenueLimits(userId: string, venue: Venue): Promise<boolean> {
    const halt = await this.store.transaction(async (tx) => {
      const config = await this.risk.config(userId, tx)
      const account = await this.venueAccount(tx, userId, venue)
      if (config.halted) return null
      const label = `${EXCHANGES[venue.broker as keyof typeof EXCHANGES]?.label ?? venue.broker} ${venue.environment}`
      const reached = dayLimitReached(
        config,
        {
          equity: account.equity,
          dayPeakEquity: account.dayPeakEquity,
          realisedPnlToday: account.todayRealisedPnl,
          unrealisedPnl: account.unrealisedPnl,
        },
        label,
      )
      if (reached) await this.risk.haltWithin(tx, userId, reached.message, 'risk', null)
      return reached?.message ?? null
    })
    if (!halt) return false
    this.options.events?.emit('trading:halted', { reason: halt })
    announceLater(this.store, this.options.events, userId, {
      event: 'halt',
      title: 'Trading halted by the risk engine',
      body: halt,
    })
    return true
  }

  /** An exchange venue's account as it stands, snapshotted when due. */
  private async venueAccount(tx: Repositories, userId: string, venue: Venue): Promise<AccountSummary> {
    const account = await this.book.account(userId, tx, venue)
    if (this.snapshotDue(venue, account)) await this.book.recordSnapshot(tx, userId, this.now().toISOString(), venue)
    return account
  }

  /**
   * A venue's account is snapshotted when its equity reaches a new high for the day (the drawdown is measured
   * from it) and otherwise at most once a minute: the poll runs every second while positions are open.
   */
  private snapshotDue(venue: Venue, account: AccountSummary): boolean {
    const key = `${venue.broker}\u0000${venue.environment}`
    const last = this.lastVenueSnapshot.get(key)
    const now = this.now().getTime()
    const due =
      !last ||
      now - last.at >= 60_000 ||
      (account.equity !== last.equity && new Decimal(account.equity).gte(account.dayPeakEquity))
    if (due) this.lastVenueSnapshot.set(key, { at: now, equity: account.equity })
    return due
  }

  /** Where an instance trades; paper for an idea with none. */
  private async strategyVenue(tx: Repositories, userId: string, strategyId: string | null | undefined): Promise<Venue> {
    const strategy = strategyId ? await tx.strategies.get(userId, strategyId) : null
    return strategy ? { broker: strategy.broker, environment: strategy.environment } : PAPER_VENUE
  }

  /** The exchange an instance trades on, when it holds no shorts. */
  private async longOnlyVenue(
    tx: Repositories,
    userId: string,
    strategyId: string | null | undefined,
  ): Promise<string | null> {
    const strategy = strategyId ? await tx.strategies.get(userId, strategyId) : null
    const exchange = strategy && isExchangeId(strategy.broker) ? EXCHANGES[strategy.broker] : null
    return exchange?.longOnly ? exchange.label : null
  }

  /** Routes a strategy's idea and records it; auto-executed ideas go to the broker after the commit. */
  async propose(userId: string, input: ProposedIdea): Promise<{ idea: TradeIdea; decision: RiskDecision }> {
    return this.afterProposal(userId, await this.store.transaction((tx) => this.proposeWithin(tx, userId, input)))
  }

  /**
   * The proposal inside a caller's transaction (the strategy runtime commits a
   * candle and the idea it produced together); the caller then hands the
   * result to afterProposal once committed.
   */
  async proposeWithin(
    tx: Repositories,
    userId: string,
    input: ProposedIdea,
    risk?: RiskState,
  ): Promise<{ idea: TradeIdea; decision: RiskDecision }> {
    // Only the newest idea of an instance on a symbol is worth a person's time.
    const waiting =
      input.replacing ??
      (input.strategyId ? await tx.tradeIdeas.list(userId, { statuses: ['needs_approval'], limit: 10_000 }) : [])
    const replaced = waiting.filter((idea) => idea.strategyId === input.strategyId && idea.symbol === input.symbol)
    for (const idea of replaced) {
      await this.withdrawWithin(
        tx,
        userId,
        idea,
        'idea_superseded',
        `Replaced by a newer ${input.direction} idea from the same strategy on ${input.symbol} at ${input.entryPrice}.`,
      )
    }
    const { decision } = await this.assess(userId, input, tx, risk)
    const occurredAt = this.now().toISOString()
    const idea = await tx.tradeIdeas.create(userId, {
      strategyId: input.strategyId ?? null,
      symbol: input.symbol,
      direction: input.direction,
      entryPrice: input.entryPrice,
      entryRangeLow: input.entryRangeLow ?? null,
      entryRangeHigh: input.entryRangeHigh ?? null,
      stopLoss: input.stopLoss,
      takeProfit: input.takeProfit,
      size: input.size,
      expectedHold: input.expectedHold ?? null,
      rationale: input.rationale,
      confidence: input.confidence,
      status: decision.status,
      snapshotId: input.snapshotId ?? null,
      expiresAt: input.expiresAt ?? null,
    })
    const common = {
      symbol: idea.symbol,
      strategyId: idea.strategyId,
      tradeIdeaId: idea.id,
      snapshotId: idea.snapshotId,
      confidence: idea.confidence,
      riskCheck: decision,
    }
    await tx.decisions.append(userId, {
      ...common,
      action: 'ai_proposed',
      actor: 'ai',
      rationale: idea.rationale,
      occurredAt,
    })
    if (decision.route === 'auto_execute')
      await tx.decisions.append(userId, {
        ...common,
        action: 'ai_auto_executed',
        actor: 'risk',
        rationale: decision.reasons[0]?.message ?? '',
        occurredAt,
      })
    if (decision.route === 'reject')
      await tx.decisions.append(userId, {
        ...common,
        action: 'risk_rejected',
        actor: 'risk',
        rationale: decision.reasons.map((r) => r.message).join(' '),
        occurredAt,
      })
    if (decision.halt) {
      await this.risk.haltWithin(tx, userId, decision.halt.reason, 'risk', {
        symbol: idea.symbol,
        tradeIdeaId: idea.id,
        strategyId: idea.strategyId,
      })
      // The proposals after this one in the same transaction meet the halt.
      if (risk) risk.config = await this.risk.config(userId, tx)
    }
    return { idea, decision }
  }

  /** What follows a committed proposal: a halt is announced, an auto-executed idea goes to the broker. */
  async afterProposal(
    userId: string,
    result: { idea: TradeIdea; decision: RiskDecision },
  ): Promise<{ idea: TradeIdea; decision: RiskDecision }> {
    if (result.decision.halt) {
      this.options.events?.emit('trading:halted', { reason: result.decision.halt.reason })
      announceLater(this.store, this.options.events, userId, {
        event: 'halt',
        title: 'Trading halted by the risk engine',
        body: result.decision.halt.reason,
      })
    }
    if (result.decision.route === 'needs_approval') {
      const { idea } = result
      announceLater(this.store, this.options.events, userId, {
        event: 'idea_waiting',
        title: `${idea.direction} ${idea.symbol} needs your approval`,
        body: `${idea.size} @ ${idea.entryPrice}, stop ${idea.stopLoss}, target ${idea.takeProfit}. ${idea.rationale}`,
        ideaId: idea.id,
      })
    }
    if (result.decision.route === 'auto_execute')
      return { idea: await this.execute(userId, result.idea), decision: result.decision }
    return result
  }

  private illegal(action: string, idea: TradeIdea, allowed: TradeIdeaStatus[]): TradingError {
    return new TradingError(
      'illegal_transition',
      `Cannot ${action} this idea: it is ${idea.status}, and ${action} is only possible from ${allowed.join(' or ')}.`,
    )
  }

  private async load(userId: string, ideaId: string, tx: Repositories = this.store): Promise<TradeIdea> {
    const idea = await tx.tradeIdeas.get(userId, ideaId)
    if (!idea) throw new TradingError('not_found', 'No such trade idea for this user.')
    return idea
  }

  private isExpired(idea: TradeIdea): boolean {
    return idea.expiresAt !== null && idea.expiresAt <= this.now().toISOString()
  }

  /**
   * A person approves: allowed only from needs_approval, idempotent, and
   * re-checked against the current risk state (a halt or full limits refuse it).
   */
  approve(userId: string, ideaId: string, note: string | null = null): Promise<TradeIdea> {
    return this.announced(ideaId, this.approveOnce(userId, ideaId, note))
  }

  reject(userId: string, ideaId: string, note: string | null = null): Promise<TradeIdea> {
    return this.announced(ideaId, this.rejectOnce(userId, ideaId, note))
  }

  /** Retries a failed idea: it goes back to approved (recorded as a human approval) and to the broker. */
  retry(userId: string, ideaId: string): Promise<TradeIdea> {
    return this.announced(ideaId, this.retryOnce(userId, ideaId))
  }

  /** A person's decision changes the queue and may change the account: every window hears of both once it is committed. */
  private async announced(ideaId: string, decided: Promise<TradeIdea>): Promise<TradeIdea> {
    const idea = await decided
    this.options.events?.emit('ideas:changed', { ideaId })
    this.options.events?.emit('account:changed', {})
    return idea
  }

  private async approveOnce(userId: string, ideaId: string, note: string | null = null): Promise<TradeIdea> {
    const before = await this.load(userId, ideaId)
    if (['approved', 'executed'].includes(before.status) && before.decidedBy === humanActor(userId)) return before
    if (before.status !== 'needs_approval') throw this.illegal('approve', before, ['needs_approval'])
    if (this.isExpired(before)) {
      await this.expire(userId, before)
      throw new TradingError('expired', `This idea expired at ${before.expiresAt} and can no longer be approved.`)
    }
    const approved = await this.store.transaction(async (tx) => {
      const idea = await this.load(userId, ideaId, tx)
      const { decision } = await this.assess(userId, idea, tx)
      if (decision.route === 'reject') {
        throw new TradingError(
          'refused_by_risk',
          `The approval was refused: ${decision.reasons.map((r) => r.message).join(' ')}`,
          decision.reasons,
        )
      }
      const moved = await tx.tradeIdeas.transition(userId, ideaId, {
        from: ['needs_approval'],
        to: 'approved',
        decidedAt: this.now().toISOString(),
        decidedBy: humanActor(userId),
        decisionNote: note,
      })
      // Another window approved it first: this click is the same approval, not a second one.
      if (!moved) return null
      await tx.decisions.append(userId, {
        action: 'human_approved',
        actor: humanActor(userId),
        symbol: idea.symbol,
        strategyId: idea.strategyId,
        tradeIdeaId: idea.id,
        snapshotId: idea.snapshotId,
        confidence: idea.confidence,
        rationale: note ?? '',
        riskCheck: decision,
        humanOverride: decision.route === 'needs_approval',
        occurredAt: this.now().toISOString(),
      })
      return moved
    })
    if (!approved) {
      const current = await this.load(userId, ideaId)
      if (['approved', 'executed'].includes(current.status)) return current
      throw this.illegal('approve', current, ['needs_approval'])
    }
    return this.execute(userId, approved)
  }

  private async rejectOnce(userId: string, ideaId: string, note: string | null = null): Promise<TradeIdea> {
    const before = await this.load(userId, ideaId)
    if (before.status === 'rejected' && before.decidedBy === humanActor(userId)) return before
    if (before.status !== 'needs_approval') throw this.illegal('reject', before, ['needs_approval'])
    const rejected = await this.store.transaction(async (tx) => {
      const moved = await tx.tradeIdeas.transition(userId, ideaId, {
        from: ['needs_approval'],
        to: 'rejected',
        decidedAt: this.now().toISOString(),
        decidedBy: humanActor(userId),
        decisionNote: note,
      })
      if (!moved) return null
      await tx.decisions.append(userId, {
        action: 'human_rejected',
        actor: humanActor(userId),
        symbol: moved.symbol,
        strategyId: moved.strategyId,
        tradeIdeaId: moved.id,
        rationale: note ?? '',
        occurredAt: this.now().toISOString(),
      })
      return moved
    })
    if (rejected) return rejected
    // Lost a race: the same rejection from another window is fine; anything else is a conflict that says what won.
    const current = await this.load(userId, ideaId)
    if (current.status === 'rejected' && current.decidedBy === humanActor(userId)) return current
    throw this.illegal('reject', current, ['needs_approval'])
  }

  private expire(userId: string, idea: TradeIdea): Promise<boolean> {
    const deadline = idea.expiresAt ? `at ${idea.expiresAt.slice(11, 19)} UTC` : 'before anyone decided'
    return this.store.transaction((tx) =>
      this.withdrawWithin(tx, userId, idea, 'idea_expired', `Its time to decide ran out ${deadline}.`),
    )
  }

  /**
   * Takes a waiting idea out of the queue because nobody can act on it any more
   * (it expired, the market ran through it, or a newer idea replaced it): the
   * idea becomes expired and its decision row says why, in one transaction.
   * False when a person decided it first.
   */
  withdraw(userId: string, idea: TradeIdea, action: WithdrawAction, rationale: string): Promise<boolean> {
    return this.store.transaction((tx) => this.withdrawWithin(tx, userId, idea, action, rationale))
  }

  async withdrawWithin(
    tx: Repositories,
    userId: string,
    idea: TradeIdea,
    action: WithdrawAction,
    rationale: string,
  ): Promise<boolean> {
    // The reason travels with the idea, so any screen that shows a withdrawn idea can say why in words.
    const moved = await tx.tradeIdeas.move(userId, idea.id, {
      from: ['needs_approval'],
      to: 'expired',
      decidedAt: this.now().toISOString(),
      decidedBy: 'system',
      decisionNote: rationale,
    })
    if (!moved) return false
    await tx.decisions.append(userId, {
      action,
      actor: 'system',
      symbol: idea.symbol,
      strategyId: idea.strategyId,
      tradeIdeaId: idea.id,
      snapshotId: idea.snapshotId,
      rationale,
      occurredAt: this.now().toISOString(),
    })
    return true
  }

  /** Expires every waiting idea past its expiry; returns how many. */
  async expireDue(userId: string): Promise<number> {
    let count = 0
    for (const idea of await this.store.tradeIdeas.list(userId, { statuses: ['needs_approval'], limit: 10_000 })) {
      if (this.isExpired(idea) && (await this.expire(userId, idea))) count++
    }
    return count
  }

  /** Sends an approved (or auto-executed, or failed-and-retried) idea to its broker. A broker failure is recorded, never lost. */
  private async execute(userId: string, idea: TradeIdea): Promise<TradeIdea> {
    // The broker is the one of the strategy instance that proposed the idea.
    const venue = await this.strategyVenue(this.store, userId, idea.strategyId)
    const order = await this.store.orders.create(userId, {
      strategyId: idea.strategyId,
      tradeIdeaId: idea.id,
      broker: venue.broker,
      environment: venue.environment,
      symbol: idea.symbol,
      side: idea.direction === 'long' ? 'buy' : 'sell',
      quantity: idea.size,
    })
    try {
      const broker = this.options.brokerFor(userId, venue)
      await broker.placeOrder({
        order,
        stopLoss: idea.stopLoss,
        takeProfit: idea.takeProfit,
        referencePrice: idea.entryPrice,
      })
      return this.load(userId, idea.id)
    } catch (error) {
      const message = error instanceof BrokerError ? error.message : `The broker failed: ${errorMessage(error)}`
      return this.store.transaction(async (tx) => {
        await tx.orders.setStatus(userId, order.id, 'failed', { error: message })
        const failed = await tx.tradeIdeas.transition(userId, idea.id, {
          from: ['approved', 'auto_executed'],
          to: 'failed',
          decisionNote: message,
        })
        await tx.decisions.append(userId, {
          action: 'order_failed',
          actor: 'system',
          symbol: idea.symbol,
          strategyId: idea.strategyId,
          tradeIdeaId: idea.id,
          orderId: order.id,
          rationale: message,
          occurredAt: this.now().toISOString(),
        })
        return failed ?? this.load(userId, idea.id, tx)
      })
    }
  }

  private async retryOnce(userId: string, ideaId: string): Promise<TradeIdea> {
    const idea = await this.load(userId, ideaId)
    if (idea.status !== 'failed') throw this.illegal('retry', idea, ['failed'])
    // A retry trades the idea as it was proposed: only while it may still be approved.
    if (this.isExpired(idea))
      throw new TradingError(
        'expired',
        `This idea expired at ${idea.expiresAt}; a retry would trade a moment that has passed. Nothing was sent.`,
      )
    const approved = await this.store.transaction(async (tx) => {
      const { decision } = await this.assess(userId, idea, tx)
      if (decision.route === 'reject')
        throw new TradingError(
          'refused_by_risk',
          `The retry was refused: ${decision.reasons.map((r) => r.message).join(' ')}`,
          decision.reasons,
        )
      const moved = await tx.tradeIdeas.transition(userId, ideaId, {
        from: ['failed'],
        to: 'approved',
        decidedAt: this.now().toISOString(),
        decidedBy: humanActor(userId),
      })
      if (!moved) throw this.illegal('retry', await this.load(userId, ideaId, tx), ['failed'])
      await tx.decisions.append(userId, {
        action: 'human_approved',
        actor: humanActor(userId),
        symbol: idea.symbol,
        strategyId: idea.strategyId,
        tradeIdeaId: idea.id,
        rationale: 'Retry after a broker failure.',
        riskCheck: decision,
        occurredAt: this.now().toISOString(),
      })
      return moved
    })
    return this.execute(userId, approved)
  }

  /**
   * Records a fill inside the broker's transaction: the idea becomes executed, with its order_filled row.
   * The row is stamped when it is recorded: a replayed feed fills at past market times, and history must stay in the order things happened.
   */
  async recordFill(
    tx: Repositories,
    fill: {
      userId: string
      orderId: string
      tradeIdeaId: string | null
      price: string
      quantity: string
      filledAt: string
    },
  ): Promise<void> {
    let symbol: string | null = null
    let strategyId: string | null = null
    if (fill.tradeIdeaId) {
      const idea = await tx.tradeIdeas.transition(fill.userId, fill.tradeIdeaId, {
        from: ['approved', 'auto_executed'],
        to: 'executed',
      })
      symbol = idea?.symbol ?? null
      strategyId = idea?.strategyId ?? null
    }
    await tx.decisions.append(fill.userId, {
      action: 'order_filled',
      actor: 'system',
      symbol,
      strategyId,
      tradeIdeaId: fill.tradeIdeaId,
      orderId: fill.orderId,
      rationale: `Filled ${fill.quantity} at ${fill.price} (market time ${fill.filledAt}).`,
      occurredAt: this.now().toISOString(),
    })
  }

  /** An order that ended on the exchange with nothing filled (rejected, cancelled, never taken): its idea fails, with the reason, in the caller's transaction. */
  async recordUnfilled(tx: Repositories, order: Order, reason: string): Promise<void> {
    if (!order.tradeIdeaId) return
    await tx.tradeIdeas.transition(order.userId, order.tradeIdeaId, {
      from: ['approved', 'auto_executed'],
      to: 'failed',
      decisionNote: reason,
    })
    await tx.decisions.append(order.userId, {
      action: 'order_failed',
      actor: 'system',
      symbol: order.symbol,
      strategyId: order.strategyId,
      tradeIdeaId: order.tradeIdeaId,
      orderId: order.id,
      rationale: reason,
      occurredAt: this.now().toISOString(),
    })
  }

  /** An idea's decision rows, oldest first. */
  async history(userId: string, ideaId: string): Promise<Decision[]> {
    const page = await this.store.decisions.query(userId, { tradeIdeaId: ideaId }, { limit: 1000 })
    return page.rows.reverse()
  }
}
