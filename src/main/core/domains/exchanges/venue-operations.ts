import { humanActor, type AccountSummary, type FlattenReport, type ReconcileView } from '../../../../shared/domain'
import { errorMessage } from '../../../../shared/errors'
import type { CoreContext } from '../../platform/context'
import { announceLater } from '../notifications/notifier'
import { EXCHANGES, isExchangeId, openExchange, type ExchangeId } from './registry'
import { measureClockSkew, receiveWindowOf } from './order-venue'
import { Refusal } from '../../platform/calls/refusal'
import { BrokerError } from '../trading/broker'
import type { PositionView } from '../../../../shared/contract'
import type { ExchangeEnvironment } from './exchange-client'
import { listExchangeKeys } from './exchange-keys'
import { isImported } from '../../platform/store/repositories/execution'
import type { TradingDesks } from '../trading/trading-desks'

/** The exchanges and environments a profile can trade on: one per key it holds, for exchanges Tradedeck places orders on. */
async function venuesOf(
  ctx: CoreContext,
  userId: string,
): Promise<{ exchange: ExchangeId; environment: ExchangeEnvironment }[]> {
  return (await listExchangeKeys(ctx, userId))
    .filter((key) => EXCHANGES[key.exchange].placesOrders)
    .map((key) => ({ exchange: key.exchange, environment: key.environment }))
}

/** The exchange's clock against this machine's, read without a key; null when the exchange cannot be reached. */
async function publicClock(
  exchange: ExchangeId,
  environment: 'testnet' | 'live',
): Promise<{ skewMs: number; receiveWindowMs: number } | null> {
  try {
    const plain = await openExchange(exchange, environment)
    return { skewMs: await measureClockSkew(plain), receiveWindowMs: receiveWindowOf(plain) }
  } catch {
    return null
  }
}

/** Reconciles every venue the profile holds a key for; a venue that cannot be reached is reported, not thrown. */
export async function reconcileProfile(
  ctx: CoreContext,
  trading: TradingDesks,
  userId: string,
): Promise<ReconcileView[]> {
  const reports: ReconcileView[] = []
  for (const { exchange, environment } of await venuesOf(ctx, userId)) {
    const broker = trading.exchangeBrokerFor(userId, exchange, environment)
    try {
      reports.push({ ...(await broker.reconcile()), error: null })
    } catch (error) {
      // The clock is said with the failure, as measured before it or else now with a public request: a clock past the
      // exchange's window is often the cause, since every signed request is then refused.
      const clock = broker.lastClock() ?? (await publicClock(exchange, environment))
      reports.push({
        exchange,
        environment,
        differences: [],
        clockSkewMs: clock?.skewMs ?? null,
        receiveWindowMs: clock?.receiveWindowMs ?? null,
        error: errorMessage(error),
      })
    }
  }
  if (reports.some((report) => report.differences.length > 0)) ctx.events.emit('account:changed', {})
  return reports
}

/**
 * On launch, before strategies resume: every profile's venues are reconciled with
 * their exchanges. A venue that cannot be reached is announced and left for the
 * reconciliation its instances run when they start.
 */
export async function reconcileAtStart(ctx: CoreContext, trading: TradingDesks): Promise<void> {
  for (const userId of ctx.profiles) {
    for (const report of await reconcileProfile(ctx, trading, userId)) {
      if (!report.error) continue
      console.error(`Reconciliation with ${report.exchange} ${report.environment} failed: ${report.error}`)
      announceLater(ctx.store, ctx.events, userId, {
        event: 'strategy_error',
        title: `Could not reconcile with ${EXCHANGES[report.exchange].label} ${report.environment}`,
        body: `${report.error} Positions there may differ from the desk's until it is reachable.`,
      })
    }
  }
}

/** Paper positions close too, each at the last price the desk saw for it; one with no price yet is reported. */
async function flattenPaper(trading: TradingDesks, userId: string): Promise<FlattenReport['paper']> {
  const { broker } = trading.for(userId)
  const report: FlattenReport['paper'] = { closed: 0, failed: [] }
  for (const position of (await broker.getPositions()).filter((open) => !isImported(open))) {
    try {
      await broker.closePosition(position, 'manual')
      report.closed++
    } catch (error) {
      report.failed.push({ symbol: position.symbol, reason: errorMessage(error) })
    }
  }
  return report
}

/**
 * Flatten and halt, for one profile: trading halts first (so no new order leaves while
 * it runs), then on every venue it holds a key for, every open order is cancelled and every
 * position closed with reduce-only market orders. A venue that fails is reported; the others still go.
 */
export async function flattenAndHalt(
  ctx: CoreContext,
  trading: TradingDesks,
  userId: string,
  reason: string,
): Promise<FlattenReport> {
  const { risk } = trading.for(userId)
  const config = await ctx.store.riskConfig.get(userId)
  if (!config?.halted) await risk.halt(userId, `Flatten and halt: ${reason}`)
  const venues: FlattenReport['venues'] = []
  for (const { exchange, environment } of await venuesOf(ctx, userId)) {
    try {
      venues.push({
        exchange,
        environment,
        ...(await trading.exchangeBrokerFor(userId, exchange, environment).flatten()),
        error: null,
      })
    } catch (error) {
      venues.push({ exchange, environment, cancelled: 0, closed: 0, failed: [], error: errorMessage(error) })
    }
  }
  const paper = await flattenPaper(trading, userId)
  ctx.events.emit('account:changed', {})
  return {
    halted: true,
    venues,
    paper,
    openPositions: (await ctx.store.positions.listOpen(userId)).filter(
      (position) => position.environment !== 'paper' && !isImported(position),
    ).length,
  }
}

/** "Protect with a stop at …" on a position the trader opened outside Tradedeck: refused in words when the levels cannot stand. */
export async function protectPosition(
  ctx: CoreContext,
  trading: TradingDesks,
  userId: string,
  input: { id: string; stopLoss: string; takeProfit: string | null },
): Promise<PositionView> {
  const position = await ctx.store.positions.get(userId, input.id)
  if (position?.status !== 'open' || !isExchangeId(position.broker) || position.environment === 'paper')
    throw new Refusal('not_found', 'No such open exchange position.')
  const broker = trading.exchangeBrokerFor(userId, position.broker, position.environment)
  try {
    await broker.protectOnRequest(position.id, input, humanActor(userId))
  } catch (error) {
    if (error instanceof BrokerError) throw new Refusal('conflict', error.message)
    throw error
  }
  ctx.events.emit('account:changed', {})
  const shown = (await trading.for(userId).book.positions(userId, 0)).open.find((open) => open.id === position.id)
  if (!shown) throw new Refusal('conflict', 'The position closed meanwhile.')
  return shown
}

/** Each exchange venue's account (the desk's P&L there, open P&L at its last price, its day's peak), for the Overview. */
export async function venueAccounts(
  ctx: CoreContext,
  trading: TradingDesks,
  userId: string,
): Promise<AccountSummary[]> {
  const venues = new Map<string, { broker: string; environment: ExchangeEnvironment }>()
  for (const { exchange, environment } of await venuesOf(ctx, userId))
    venues.set(`${exchange}\u0000${environment}`, { broker: exchange, environment })
  for (const position of await ctx.store.positions.listOpen(userId))
    if (isExchangeId(position.broker) && position.environment !== 'paper' && !isImported(position))
      venues.set(`${position.broker}\u0000${position.environment}`, {
        broker: position.broker,
        environment: position.environment,
      })
  const { book } = trading.for(userId)
  return Promise.all([...venues.values()].map((venue) => book.account(userId, ctx.store, venue)))
}
