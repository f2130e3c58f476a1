import Decimal from 'decimal.js'
import type { Repositories } from '../../platform/store/store'
import { startOfTradingDay } from './trading-day'
import type { AccountSummary } from '../../../../shared/domain'

export type { AccountSummary } from '../../../../shared/domain'

export const DEFAULT_PAPER_BALANCE = '10000'

export function paperBalanceKey(userId: string): string {
  return `paper_account.${userId}.starting_balance`
}

interface RunningTotal {
  lastId: string | null
  count: number
  realised: Decimal
  fees: Decimal
  countedAt: number
}

/** How often the running total is checked against a full count of the trades. */
export const RECOUNT_INTERVAL_MS = 60_000

/**
 * Realised P&L and fees per user and broker, summed once and then only over
 * new trades, so an account summary does not re-read every trade ever made.
 * Trades are append-only with time-ordered ids. If the last trade summed is
 * gone (it was read inside a transaction that rolled back), everything is
 * summed afresh. A full count, which costs a scan, runs at most once a minute
 * and catches a trade another writer of a shared database stored out of order.
 */
export class RealisedTotals {
  private readonly totals = new Map<string, RunningTotal>()

  constructor(private readonly clock: () => number = Date.now) {}

  async of(store: Repositories, userId: string, broker: string): Promise<{ realised: Decimal; fees: Decimal }> {
    const key = `${userId}\u0000${broker}`
    const now = this.clock()
    let total = this.totals.get(key)
    if (total?.lastId && !(await this.stillValid(store, userId, broker, total.lastId, total, now))) total = undefined
    total ??= { lastId: null, count: 0, realised: new Decimal(0), fees: new Decimal(0), countedAt: now }
    const fresh = await store.trades.amountsAfter(userId, broker, total.lastId)
    let { realised, fees } = total
    for (const trade of fresh) {
      realised = realised.plus(trade.realizedPnl)
      fees = fees.plus(trade.fees)
    }
    this.totals.set(key, {
      lastId: fresh.at(-1)?.id ?? total.lastId,
      count: total.count + fresh.length,
      realised,
      fees,
      countedAt: total.countedAt,
    })
    return { realised, fees }
  }

  private async stillValid(
    store: Repositories,
    userId: string,
    broker: string,
    lastId: string,
    total: RunningTotal,
    now: number,
  ): Promise<boolean> {
    if (!(await store.trades.exists(userId, broker, lastId))) return false
    if (now - total.countedAt < RECOUNT_INTERVAL_MS) return true
    total.countedAt = now
    return (await store.trades.countUpTo(userId, broker, lastId)) === total.count
  }
}

/** Open P&L of a position marked at `mark`. */
export function unrealisedPnlOf(
  position: { direction: 'long' | 'short'; averagePrice: string; quantity: string },
  mark: string,
): Decimal {
  const move = new Decimal(mark).minus(position.averagePrice).times(position.quantity)
  return position.direction === 'long' ? move : move.negated()
}

/**
 * Account state computed from the store: trades give realised P&L and fees,
 * open positions marked at the last price give unrealised P&L, and the day's
 * snapshots give its peak equity.
 */
export async function accountSummary(
  store: Repositories,
  userId: string,
  options: {
    now: Date
    timeZone: string
    lastPrice: (symbol: string) => string | null
    broker?: string
    environment?: 'paper' | 'testnet' | 'live'
    totals?: RealisedTotals
  },
): Promise<AccountSummary> {
  const broker = options.broker ?? 'paper'
  const environment = options.environment ?? 'paper'
  // An exchange venue's account is counted from nothing: its figures are the desk's P&L there, what its limits read.
  const startingBalance =
    broker === 'paper' ? ((await store.settings.get<string>(paperBalanceKey(userId))) ?? DEFAULT_PAPER_BALANCE) : '0'
  const { realised, fees } = await (options.totals ?? new RealisedTotals()).of(store, userId, broker)
  const positions = await store.positions.listOpen(userId, { broker, environment })
  const dayStart = startOfTradingDay(options.now, options.timeZone)
  let todayRealised = new Decimal(0)
  for (const trade of await store.trades.closedSince(userId, broker, dayStart.toISOString()))
    todayRealised = todayRealised.plus(trade.realizedPnl).minus(trade.fees)
  let unrealised = new Decimal(0)
  let openFees = new Decimal(0)
  for (const position of positions) {
    // The opening fee is paid when the position opens; the trade carries it once closed.
    openFees = openFees.plus((position.metadata.entryFee as string | undefined) ?? '0')
    unrealised = unrealised.plus(unrealisedPnlOf(position, options.lastPrice(position.symbol) ?? position.averagePrice))
  }
  const balance = new Decimal(startingBalance).plus(realised).minus(fees).minus(openFees)
  const equity = balance.plus(unrealised)
  const peakSnapshot = await store.accountSnapshots.peakEquitySince(userId, dayStart.toISOString(), {
    broker,
    environment,
  })
  const dayPeak = peakSnapshot === null ? equity : Decimal.max(peakSnapshot, equity)
  return {
    broker,
    environment,
    startingBalance,
    balance: balance.toString(),
    equity: equity.toString(),
    realisedPnl: realised.minus(fees).toString(),
    unrealisedPnl: unrealised.toString(),
    feesPaid: fees.plus(openFees).toString(),
    todayRealisedPnl: todayRealised.toString(),
    dayStartedAt: dayStart.toISOString(),
    dayPeakEquity: dayPeak.toString(),
    drawdown: dayPeak.minus(equity).toString(),
    openPositions: positions.length,
  }
}
