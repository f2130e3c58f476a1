import Decimal from 'decimal.js'
import type { EquityPoint, PositionView, TradeView } from '../../../../shared/contract'
import type { Repositories, Store } from '../../platform/store/store'
import { trailInWords } from './position-trail'
import { accountSummary, RealisedTotals, unrealisedPnlOf, type AccountSummary } from './account-state'
import type { Broker } from './broker'
import type { RiskSettings } from './risk-settings'
import { PAPER_VENUE, type Venue } from './venue'
import type { Precision } from '../../../../shared/money'

const EQUITY_CURVE_POINTS = 2000

/** What closes a position at its stop: a stop resting on the exchange, Tradedeck watching it, or, for the trader's own, nothing until asked. */
function protectionOf(position: { metadata: Record<string, unknown> }): PositionView['protection'] {
  if (position.metadata.outside && !position.metadata.protectedOnRequest) return 'none'
  return position.metadata.exits === 'native' ? 'exchange' : 'watched'
}

export interface AccountBookOptions {
  now?: () => Date
  /** The broker for a venue, whose last prices mark positions to market. */
  brokerFor: (userId: string, venue: Venue) => Broker
  /** The day boundary's time zone comes from the risk config. */
  risk: RiskSettings
}

/** The account as the trader reads it: the summary, open positions marked to market, recent trades, the equity curve and its snapshots. */
export class AccountBook {
  private readonly now: () => Date
  private readonly totals = new RealisedTotals()

  constructor(
    private readonly store: Store,
    private readonly options: AccountBookOptions,
  ) {
    this.now = options.now ?? (() => new Date())
  }

  /** The paper account, or one exchange venue's: its P&L, open P&L at the venue's last prices, and the day's peak. */
  async account(userId: string, tx: Repositories = this.store, venue: Venue = PAPER_VENUE): Promise<AccountSummary> {
    const risk = await this.options.risk.config(userId, tx)
    return accountSummary(tx, userId, {
      now: this.now(),
      timeZone: risk.dayBoundaryTimezone,
      lastPrice: (symbol) => this.markOf(userId, { symbol, ...venue }),
      broker: venue.broker,
      environment: venue.environment,
      totals: this.totals,
    })
  }

  /** Snapshot of the account inside a fill or close, for the equity curve and the day's peak. */
  async recordSnapshot(
    tx: Repositories,
    userId: string,
    capturedAt: string,
    venue: Venue = PAPER_VENUE,
  ): Promise<AccountSummary> {
    const account = await this.account(userId, tx, venue)
    await tx.accountSnapshots.record(userId, {
      broker: account.broker,
      environment: account.environment as Venue['environment'],
      balance: account.balance,
      equity: account.equity,
      marginUsed: '0',
      marginFree: account.equity,
      openPl: account.unrealisedPnl,
      openPositions: account.openPositions,
      capturedAt,
    })
    return account
  }

  /** Open positions marked to the broker's last price, and the latest closed trades net of fees. */
  async positions(userId: string, tradeLimit: number): Promise<{ open: PositionView[]; recentTrades: TradeView[] }> {
    const precisionOf = await this.precisions(userId)
    const open = (await this.store.positions.listOpen(userId)).map((position) => {
      const mark = this.markOf(userId, position)
      const { id, symbol, direction, quantity, averagePrice, stopLoss, takeProfit, openedAt } = position
      const venue = position.broker === 'paper' ? 'paper' : `${position.broker} · ${position.environment}`
      return {
        id,
        symbol,
        direction,
        quantity,
        averagePrice,
        stopLoss,
        takeProfit,
        openedAt,
        venue,
        mark,
        unrealisedPnl: mark === null ? null : unrealisedPnlOf(position, mark).toString(),
        protection: protectionOf(position),
        precision: precisionOf(position),
        trail: trailInWords(position),
      }
    })
    const recentTrades = (await this.store.trades.recent(userId, tradeLimit)).map((trade) => ({
      id: trade.id,
      symbol: trade.symbol,
      direction: trade.direction,
      quantity: trade.quantity,
      entryPrice: trade.entryPrice,
      exitPrice: trade.exitPrice,
      netPnl: new Decimal(trade.realizedPnl).minus(trade.fees).toString(),
      exitReason: trade.exitReason,
      closedAt: trade.closedAt,
      importedFrom: trade.importedFrom ?? null,
      precision: trade.broker === 'paper' ? precisionOf({ ...trade, environment: 'paper' }) : null,
    }))
    return { open, recentTrades }
  }

  /**
   * Where a symbol's prices and sizes get their places: on paper, the price decimals its instances round to
   * (the finest, if several); on an exchange, its broker's loaded market.
   */
  private async precisions(userId: string): Promise<(position: { symbol: string } & Venue) => Precision | null> {
    const paperDecimals = new Map<string, number>()
    for (const instance of await this.store.strategies.list(userId, { includeArchived: true })) {
      const decimals = Number(instance.config.priceDecimals)
      if (instance.broker === 'paper' && Number.isInteger(decimals))
        paperDecimals.set(instance.instrument, Math.max(decimals, paperDecimals.get(instance.instrument) ?? 0))
    }
    return (position) => {
      if (position.broker === 'paper') {
        const price = paperDecimals.get(position.symbol)
        return price === undefined ? null : { price, quantity: null }
      }
      try {
        return this.options.brokerFor(userId, position).precision?.(position.symbol) ?? null
      } catch {
        return null
      }
    }
  }

  /** The last price a venue has seen for a symbol; null before any, or for a venue with no broker here. */
  lastPriceOn(userId: string, venue: Venue, symbol: string): string | null {
    return this.markOf(userId, { symbol, ...venue })
  }

  /** The last price the position's own venue has seen; null for a venue with no broker here (an imported one). */
  private markOf(
    userId: string,
    position: { symbol: string; broker: string; environment: Venue['environment'] },
  ): string | null {
    try {
      return this.options
        .brokerFor(userId, { broker: position.broker, environment: position.environment })
        .lastPrice(position.symbol)
    } catch {
      return null
    }
  }

  /** The account's equity over the last days, thinned to what a chart can show, always ending at the latest point. */
  async equityCurve(userId: string, sinceDays: number): Promise<EquityPoint[]> {
    const since = new Date(this.now().getTime() - sinceDays * 86_400_000).toISOString()
    const snapshots = await this.store.accountSnapshots.since(userId, since, 200_000)
    const stride = Math.max(1, Math.ceil(snapshots.length / EQUITY_CURVE_POINTS))
    return snapshots
      .filter((_, index) => index % stride === 0 || index === snapshots.length - 1)
      .map((snapshot) => ({ at: snapshot.capturedAt, equity: snapshot.equity }))
  }
}
