import Decimal from 'decimal.js'
import type { Position } from '../../platform/store/repositories/execution'
import type { Repositories, Store } from '../../platform/store/store'
import { closedTrade, closePart } from '../trading/closed-trade'
import type { ExchangePosition, Holdings } from './order-venue'

/** A gap between the desk's open positions and the exchange's larger than this is a difference. */
const SIZE_TOLERANCE = new Decimal('1e-9')

export interface ReconcileScope {
  store: Store
  userId: string
  broker: string
  environment: 'testnet' | 'live'
  /** The venue's name in words, for the decision rows. */
  label: string
  now: () => Date
  /** The last close the desk saw for an instrument: the exit price of a position the exchange no longer holds, when it gives no mark. */
  lastPrice: (symbol: string) => string | null
}

/**
 * Instruments with an order of the desk's still being settled on this venue (in flight from this
 * process, or unanswered for now): what the exchange holds there is moving, and that order's own
 * state, not reconciliation, says what it did. Resting protective orders do not count.
 */
async function settlingSymbols(tx: Repositories, scope: ReconcileScope): Promise<Set<string>> {
  const live = await tx.orders.list(scope.userId, { statuses: ['pending', 'open', 'partially_filled'] })
  return new Set(
    live
      .filter(
        (order) => order.broker === scope.broker && order.environment === scope.environment && !order.metadata.native,
      )
      .map((order) => order.symbol),
  )
}

const signed = (direction: 'long' | 'short', quantity: Decimal.Value) =>
  new Decimal(quantity).times(direction === 'long' ? 1 : -1)
const describe = (net: Decimal, symbol: string) =>
  net.isZero() ? `no position in ${symbol}` : `${net.isPositive() ? 'long' : 'short'} ${net.abs().toString()} ${symbol}`

/**
 * Makes the desk's open positions on one venue match the exchange's, which is the truth: each
 * instrument where they differ gets a `reconciled` decision row saying what differed and what
 * was done, in the same transaction as the change. A size that changed on the same side (a manual
 * add, a partial liquidation, auto-deleveraging) resizes the desk's position and keeps it, with its
 * stop and target: the broker then resizes the orders resting for it, and never cancels them. Local
 * positions the exchange no longer holds close at the exchange's mark, else the last close the desk
 * saw, else their entry price (the real closing price is not known to the desk); a position only the
 * exchange holds is the trader's own, opened outside Tradedeck: it is shown, never protected or
 * closed without the trader's click. An instrument with an order still settling is left to that
 * order until the next time.
 */
export async function reconcilePositions(scope: ReconcileScope, held: ExchangePosition[]): Promise<string[]> {
  const { store, userId, broker, environment } = scope
  const local = await store.positions.listOpen(userId, { broker, environment })
  const symbols = new Set([...local.map((position) => position.symbol), ...held.map((position) => position.instrument)])
  const differences: string[] = []
  for (const symbol of [...symbols].sort()) {
    const theirs = held.find((position) => position.instrument === symbol)
    // Compared and fixed in one transaction: a reconciliation running beside this one sees the fix, never the gap.
    const difference = await store.transaction(async (tx) => {
      if ((await settlingSymbols(tx, scope)).has(symbol)) return null
      const mine = (await tx.positions.listOpen(userId, { broker, environment })).filter(
        (position) => position.symbol === symbol,
      )
      const localNet = mine.reduce(
        (sum, position) => sum.plus(signed(position.direction, position.quantity)),
        new Decimal(0),
      )
      const exchangeNet = theirs ? signed(theirs.direction, theirs.quantity) : new Decimal(0)
      if (localNet.minus(exchangeNet).abs().lte(SIZE_TOLERANCE)) return null
      const found = `The desk had ${describe(localNet, symbol)}; ${scope.label} has ${describe(exchangeNet, symbol)}.`
      const at = scope.now().toISOString()
      const mark = theirs?.markPrice ?? scope.lastPrice(symbol)
      const sameSide = !localNet.isZero() && !exchangeNet.isZero() && localNet.isPositive() === exchangeNet.isPositive()
      const done = sameSide
        ? await resizeToExchange(tx, scope, mine, exchangeNet.abs(), theirs as ExchangePosition, mark, at)
        : await replaceWithExchange(tx, scope, mine, theirs, mark, at)
      await tx.decisions.append(userId, {
        action: 'reconciled',
        actor: 'system',
        symbol,
        strategyId: mine[0]?.strategyId ?? null,
        rationale: `${found} The exchange is the truth: ${done}.`,
        occurredAt: at,
      })
      return found
    })
    if (difference) differences.push(difference)
  }
  return differences
}

/**
 * The exchange holds the same side at another size: the desk's positions take that size. Less is cut
 * from the newest first, each cut a trade at the mark; more is added to the newest, at the exchange's
 * average price when it is the only one. The positions stay open with their stop and target.
 */
async function resizeToExchange(
  tx: Repositories,
  scope: ReconcileScope,
  mine: Position[],
  held: Decimal,
  theirs: ExchangePosition,
  mark: string | null,
  at: string,
): Promise<string> {
  const deskHolds = mine.reduce((sum, position) => sum.plus(position.quantity), new Decimal(0))
  const newestFirst = [...mine].sort((a, b) => b.openedAt.localeCompare(a.openedAt))
  if (held.gt(deskHolds)) {
    const newest = newestFirst[0]!
    const added = held.minus(deskHolds)
    const quantity = new Decimal(newest.quantity).plus(added)
    const averagePrice =
      mine.length === 1
        ? theirs.averagePrice
        : new Decimal(newest.averagePrice)
            .times(newest.quantity)
            .plus(added.times(mark ?? theirs.averagePrice))
            .div(quantity)
            .toString()
    await tx.positions.resize(scope.userId, newest.id, {
      quantity: quantity.toString(),
      averagePrice,
      metadata: newest.metadata,
    })
    return `grew the desk's position to ${quantity.toString()} at an average of ${averagePrice}, keeping its stop-loss and take-profit (the orders resting for it are resized to it)`
  }
  let shortfall = deskHolds.minus(held)
  const cuts: string[] = []
  for (const position of newestFirst) {
    if (shortfall.lte(SIZE_TOLERANCE)) break
    const cut = Decimal.min(shortfall, position.quantity)
    if (cut.eq(position.quantity)) await closeAtMark(tx, scope, position, mark, at)
    else
      await closePart(tx, position, {
        broker: scope.broker,
        price: mark ?? position.averagePrice,
        quantity: cut,
        fee: '0',
        reason: 'manual',
        closedAt: at,
      })
    cuts.push(`${cut.eq(position.quantity) ? 'closed' : 'cut by ' + cut.toString()} its ${position.quantity}`)
    shortfall = shortfall.minus(cut)
  }
  const priced = mark ? `at ${mark}` : 'at its entry price (no price was known)'
  return `${cuts.join('; ')} ${priced}, and kept what is left with its stop-loss and take-profit (the orders resting for it are resized to it)`
}

/**
 * The exchange holds nothing there, or the other side: the desk's positions close at the mark, and a
 * position the exchange holds is adopted as the trader's own, without a stop or target.
 */
async function replaceWithExchange(
  tx: Repositories,
  scope: ReconcileScope,
  mine: Position[],
  theirs: ExchangePosition | undefined,
  mark: string | null,
  at: string,
): Promise<string> {
  for (const position of mine) await closeAtMark(tx, scope, position, mark, at)
  if (theirs)
    await tx.positions.open(scope.userId, {
      strategyId: null,
      broker: scope.broker,
      environment: scope.environment,
      symbol: theirs.instrument,
      direction: theirs.direction,
      quantity: theirs.quantity,
      averagePrice: theirs.averagePrice,
      stopLoss: null,
      takeProfit: null,
      openedAt: at,
      metadata: { reconciled: true, outside: true, entryFee: '0' },
    })
  const priced = theirs?.markPrice
    ? ` at the exchange's mark ${mark}`
    : mark
      ? ` at the last close seen, ${mark} (the exit price is not known to the desk)`
      : ' at their entry price, with no P&L (no price was known)'
  return [
    mine.length > 0 ? `closed ${mine.length} local position${mine.length === 1 ? '' : 's'}${priced}` : null,
    theirs
      ? `recorded the exchange's ${theirs.direction} ${theirs.quantity} at ${theirs.averagePrice} as the trader's own, opened outside Tradedeck: it is shown, and Tradedeck neither protects nor closes it without the trader's click`
      : null,
  ]
    .filter(Boolean)
    .join(' and ')
}

/** Makes the desk match what the exchange holds, by the rules of that kind of account. */
export function reconcileHoldings(scope: ReconcileScope, holdings: Holdings): Promise<string[]> {
  return holdings.kind === 'positions'
    ? reconcilePositions(scope, holdings.positions)
    : reconcileWallet(scope, holdings.balances, holdings.coinOf)
}

/**
 * A spot wallet holds coins, of which the desk's positions are only a part: the trader's own
 * coins sit beside them. So a wallet holding more of a coin than the desk's positions is no
 * difference, and its coins are never adopted as a position (that would put a trader's savings
 * under a strategy, with no stop). A wallet holding less is the truth: the shortfall was sold or
 * moved outside Tradedeck, and the desk's positions in that coin shrink by it, newest first, each
 * cut recorded as a trade at the mark and the whole as one `reconciled` row, in one transaction.
 */
export async function reconcileWallet(
  scope: ReconcileScope,
  balances: Record<string, string>,
  coinOf: (instrument: string) => string | null,
): Promise<string[]> {
  const { store, userId, broker, environment } = scope
  const local = await store.positions.listOpen(userId, { broker, environment })
  const coins = new Set(
    local.map((position) => coinOf(position.symbol)).filter((coin): coin is string => coin !== null),
  )
  const differences: string[] = []
  for (const coin of [...coins].sort()) {
    const difference = await store.transaction(async (tx) => {
      const settling = await settlingSymbols(tx, scope)
      const mine = (await tx.positions.listOpen(userId, { broker, environment })).filter(
        (position) => coinOf(position.symbol) === coin,
      )
      if (mine.some((position) => settling.has(position.symbol))) return null
      const deskHolds = mine.reduce((sum, position) => sum.plus(position.quantity), new Decimal(0))
      const walletHolds = new Decimal(balances[coin] ?? '0')
      if (deskHolds.minus(walletHolds).lte(SIZE_TOLERANCE)) return null
      const symbols = [...new Set(mine.map((position) => position.symbol))].sort().join(', ')
      const found = `The desk held ${deskHolds.toString()} ${coin} (${symbols}); the ${scope.label} wallet holds ${walletHolds.toString()} ${coin}.`
      const at = scope.now().toISOString()
      const gone = deskHolds.minus(walletHolds)
      let shortfall = gone
      const done: string[] = []
      for (const position of [...mine].sort((a, b) => b.openedAt.localeCompare(a.openedAt))) {
        if (shortfall.lte(SIZE_TOLERANCE)) break
        const mark = scope.lastPrice(position.symbol)
        const priced = mark
          ? `at the last close seen, ${mark}`
          : `at its entry price ${position.averagePrice}, with no P&L (no price was known)`
        if (shortfall.gte(position.quantity)) {
          await closeAtMark(tx, scope, position, mark, at)
          done.push(`closed its ${position.quantity} ${position.symbol} ${priced}`)
          shortfall = shortfall.minus(position.quantity)
        } else {
          await closePart(tx, position, {
            broker: scope.broker,
            price: mark ?? position.averagePrice,
            quantity: shortfall,
            fee: '0',
            reason: 'manual',
            closedAt: at,
          })
          done.push(`cut its ${position.quantity} ${position.symbol} by ${shortfall.toString()} ${priced}`)
          shortfall = new Decimal(0)
        }
      }
      const rationale = `${found} The exchange is the truth: ${gone.toString()} ${coin} was sold or moved outside Tradedeck, so the desk ${done.join('; ')} (the exit price is not known to the desk). Coins in the wallet beyond the desk's positions are the trader's own and are never adopted.`
      await tx.decisions.append(userId, {
        action: 'reconciled',
        actor: 'system',
        symbol: mine[0]!.symbol,
        strategyId: mine[0]!.strategyId,
        rationale,
        occurredAt: at,
      })
      return found
    })
    if (difference) differences.push(difference)
  }
  return differences
}

async function closeAtMark(
  tx: Repositories,
  scope: ReconcileScope,
  position: Position,
  mark: string | null,
  at: string,
): Promise<void> {
  if (!(await tx.positions.close(scope.userId, position.id, at))) return
  await tx.trades.record(
    scope.userId,
    closedTrade(position, {
      broker: scope.broker,
      price: mark ?? position.averagePrice,
      quantity: position.quantity,
      fee: '0',
      reason: 'manual',
      closedAt: at,
    }),
  )
}
