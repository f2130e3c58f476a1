import Decimal from 'decimal.js'
import type { Actor } from '../../../../shared/domain'
import { errorMessage } from '../../../../shared/errors'
import type { PositionDetail, PositionView } from '../../../../shared/contract'
import { onTick, type Precision } from '../../../../shared/money'
import { candlesAround } from '../trading/snapshot-candles'
import type { CoreContext } from '../../platform/context'
import { Refusal } from '../../platform/calls/refusal'
import { isImported, type Position } from '../../platform/store/repositories/execution'
import type { Repositories } from '../../platform/store/store'
import { BrokerError } from '../trading/broker'
import {
  checkLevelsMove,
  closeQuantity,
  PositionRuleError,
  type ClosePart,
  type LevelsMove,
} from '../trading/position-rules'
import { managedStop, type StopRules } from '../trading/stop-rules'
import { managedPositionOf, recordStopMove } from '../trading/stop-moves'
import { trailOf } from '../trading/position-trail'
import { judgePositionAction, type PositionAction } from '../trading/risk-engine'
import type { TradingDesks } from '../trading/trading-desks'
import { EXCHANGES, isExchangeId } from './registry'

/*
 * A trader's control of one open position, on paper and on every exchange: close it, close part of it, move its
 * stop-loss or take-profit. Each action is checked by the position rules, writes its decision row in the same
 * transaction as its state change, and reaches the exchange through the broker's exactly-once order path (a close)
 * or its protection invariant (a move: the resting order amended in place, else the new stop resting before the old
 * one goes).
 */

const PAPER_PLACES = 8

/** The open position an action is for, with the words a venue is known by; refused in words otherwise. */
export async function actionable(ctx: Pick<CoreContext, 'store'>, userId: string, id: string, confirmLive: boolean) {
  const position = await ctx.store.positions.get(userId, id)
  if (position?.status !== 'open') throw new Refusal('not_found', 'No such open position: it may have closed already.')
  if (isImported(position))
    throw new Refusal('conflict', 'This position was imported from another system; Tradedeck does not trade it.')
  if (position.environment === 'live' && !confirmLive)
    throw new Refusal('invalid_input', 'This is a LIVE position: confirm the action a second time to trade real money.')
  const venue =
    position.environment === 'paper'
      ? 'paper'
      : `${isExchangeId(position.broker) ? EXCHANGES[position.broker].label : position.broker} ${position.environment}`
  return { position, venue }
}

/** The paper broker or the exchange broker the position is held on. */
export function brokerOf(trading: TradingDesks, userId: string, position: Position) {
  if (position.environment === 'paper') return { kind: 'paper' as const, broker: trading.for(userId).broker }
  if (!isExchangeId(position.broker))
    throw new Refusal('conflict', `Tradedeck has no order path to ${position.broker}; close the position there.`)
  return {
    kind: 'exchange' as const,
    broker: trading.exchangeBrokerFor(userId, position.broker, position.environment),
  }
}

/** The risk engine's judgement of an action on an open position, on the profile's risk config as it is now. */
export async function riskCheck(ctx: Pick<CoreContext, 'store'>, userId: string, action: PositionAction) {
  const config = await ctx.store.riskConfig.get(userId)
  return config ? judgePositionAction(config, action) : null
}

/** A level the exchange could not hold as typed (off its tick or places) is refused with the nearest it can. */
function refuseOffTick(symbol: string, precision: Precision | null, move: LevelsMove): void {
  if (!precision) return
  for (const [name, level] of [
    ['stop-loss', move.stopLoss],
    ['take-profit', move.takeProfit],
  ] as const) {
    if (level === undefined || level === null) continue
    const nearest = onTick(Number(level), precision)
    if (!new Decimal(nearest).eq(level))
      throw new Refusal(
        'invalid_input',
        `A ${name} of ${level} is not a price ${symbol} trades at (${precision.priceTick ? `its tick is ${precision.priceTick}` : `${precision.price} decimals`}): the nearest is ${nearest}.`,
      )
  }
}

export const inWords = (error: unknown): never => {
  if (error instanceof PositionRuleError) throw new Refusal('invalid_input', error.message)
  if (error instanceof BrokerError) throw new Refusal('conflict', error.message)
  throw error
}

export async function viewOf(trading: TradingDesks, userId: string, id: string): Promise<PositionView | null> {
  return (await trading.for(userId).book.positions(userId, 0)).open.find((open) => open.id === id) ?? null
}

const describePart = (part: ClosePart, quantity: string, whole: boolean, symbol: string) =>
  whole
    ? `all ${quantity} ${symbol}`
    : part.kind === 'percent'
      ? `${part.percent}% (${quantity} ${symbol})`
      : `${quantity} ${symbol}`

/** Candles a position's chart shows before its idea's candle, and at most after it. */
const CHART_BEFORE = 60
const CHART_AFTER = 1000

/**
 * One open position for its detail: the candles from its idea's candle on (none for a position opened outside
 * Tradedeck), and every fill of its entry and of its closes, oldest first.
 */
export async function positionDetail(
  ctx: Pick<CoreContext, 'store'>,
  trading: TradingDesks,
  userId: string,
  id: string,
): Promise<PositionDetail> {
  const view = await viewOf(trading, userId, id)
  const position = await ctx.store.positions.get(userId, id)
  if (!view || !position) throw new Refusal('not_found', 'No such open position: it may have closed already.')
  const ideaId = position.metadata.tradeIdeaId as string | undefined
  const idea = ideaId ? await ctx.store.tradeIdeas.get(userId, ideaId) : null
  const candles = await candlesAround(ctx.store, position.symbol, idea?.snapshotId ?? null, CHART_BEFORE, CHART_AFTER)
  const orders = (
    await ctx.store.orders.list(userId, ideaId ? { tradeIdeaId: ideaId } : { symbol: position.symbol })
  ).filter((order) => order.id === position.metadata.orderId || order.metadata.closes === position.id)
  const fills = (await Promise.all(orders.map((order) => ctx.store.orders.fills(userId, order.id))))
    .flat()
    .map((fill) => ({
      ts: fill.filledAt,
      side: fill.side,
      price: fill.price,
      quantity: fill.quantity,
      closes: fill.orderId !== position.metadata.orderId,
    }))
    .sort((a, b) => a.ts.localeCompare(b.ts))
  return { position: view, candles, fills }
}

/**
 * Closes a position, or part of it, at market. The part is rounded down to the market's step, and what is left keeps
 * its stop and target (resized on an exchange). Closing is never held back by a halt: it only lowers exposure.
 * Answers the position as it now is, or null once it is closed.
 */
export async function closeOnePosition(
  ctx: Pick<CoreContext, 'store' | 'events'>,
  trading: TradingDesks,
  userId: string,
  request: { id: string; part: ClosePart; confirmLive: boolean },
  actor: Actor,
): Promise<PositionView | null> {
  const { position, venue } = await actionable(ctx, userId, request.id, request.confirmLive)
  const refused = await riskCheck(ctx, userId, { kind: 'close' })
  if (refused) throw new Refusal('conflict', refused.message)
  const target = brokerOf(trading, userId, position)
  const wholeSteps =
    target.kind === 'paper'
      ? (quantity: Decimal) => quantity.toDecimalPlaces(PAPER_PLACES, Decimal.ROUND_DOWN).toString()
      : await target.broker.stepsOf(position.symbol).catch(inWords)
  const { quantity, whole } = (() => {
    try {
      return closeQuantity(position, request.part, wholeSteps)
    } catch (error) {
      return inWords(error)
    }
  })()
  const price = target.broker.lastPrice(position.symbol)
  const rationale = `Close ${describePart(request.part, quantity, whole, position.symbol)} of the ${position.direction} ${position.quantity} ${position.symbol} on ${venue} at market${price ? `, the last price ${price}` : ''}.${whole ? '' : ` ${new Decimal(position.quantity).minus(quantity).toString()} stays open with its stop and target.`} Closing is allowed while trading is halted: it only lowers exposure.`
  const within = async (tx: Repositories, closingOrderId: string) => {
    await tx.decisions.append(userId, {
      action: 'position_closed',
      actor,
      symbol: position.symbol,
      strategyId: position.strategyId,
      tradeIdeaId: (position.metadata.tradeIdeaId as string | null | undefined) ?? null,
      orderId: closingOrderId,
      rationale,
    })
  }
  await target.broker.closePosition(position, 'manual', { quantity, within }).catch(inWords)
  ctx.events.emit('account:changed', {})
  return viewOf(trading, userId, position.id)
}

/**
 * Moves a position's stop-loss or take-profit. The stop stays on the losing side of the price and the target on the
 * winning side: a move that would close the position at once is refused with the reason, so the trader can close it
 * instead. On an exchange the protection invariant then places the new order before the old one is cancelled.
 */
export async function modifyOnePosition(
  ctx: Pick<CoreContext, 'store' | 'events'>,
  trading: TradingDesks,
  userId: string,
  request: LevelsMove & { id: string; confirmLive: boolean },
  actor: Actor,
): Promise<PositionView | null> {
  const { position, venue } = await actionable(ctx, userId, request.id, request.confirmLive)
  if (position.metadata.outside && !position.metadata.protectedOnRequest)
    throw new Refusal(
      'conflict',
      'This position was opened outside Tradedeck: protect it first, then Tradedeck keeps its levels.',
    )
  const target = brokerOf(trading, userId, position)
  const price = target.broker.lastPrice(position.symbol)
  const move = {
    ...(request.stopLoss !== undefined ? { stopLoss: request.stopLoss } : {}),
    ...(request.takeProfit !== undefined ? { takeProfit: request.takeProfit } : {}),
  }
  const verdict = (() => {
    try {
      return checkLevelsMove(position, price, move)
    } catch (error) {
      return inWords(error)
    }
  })()
  if (verdict.kind === 'closes_at_once')
    throw new Refusal('conflict', `${verdict.why} Close the position instead, or choose another level.`)
  const refused = await riskCheck(ctx, userId, {
    kind: 'move',
    direction: position.direction,
    stopLoss: position.stopLoss,
    newStopLoss: verdict.stopLoss,
  })
  if (refused) throw new Refusal('conflict', refused.message)
  // Checked after the rules that need no exchange, so a move refused by them is said even with the exchange out of reach.
  if (target.kind === 'exchange')
    refuseOffTick(position.symbol, await target.broker.marketPrecision(position.symbol).catch(inWords), move)
  const changes = [
    verdict.stopLoss !== position.stopLoss
      ? `stop-loss ${position.stopLoss ?? 'none'} → ${verdict.stopLoss ?? 'none'}`
      : null,
    verdict.takeProfit !== position.takeProfit
      ? `take-profit ${position.takeProfit ?? 'none'} → ${verdict.takeProfit ?? 'none'}`
      : null,
  ].filter((change): change is string => change !== null)
  if (changes.length === 0) throw new Refusal('invalid_input', 'The levels are already there; nothing was changed.')
  const moved = await ctx.store.transaction(async (tx) => {
    const current = await tx.positions.get(userId, position.id)
    // Checked against the position as it was read: one that moved since (a part closed, levels moved) is read again.
    if (
      current?.status !== 'open' ||
      current.quantity !== position.quantity ||
      current.stopLoss !== position.stopLoss ||
      current.takeProfit !== position.takeProfit
    )
      return false
    const trail = trailOf(current)
    await tx.positions.setLevels(userId, position.id, {
      stopLoss: verdict.stopLoss,
      takeProfit: verdict.takeProfit,
      // A stop moved by hand rests where it was put: an exchange's trailing stop gives way to it until a close's
      // trail tightens it again.
      metadata:
        trail?.engaged && verdict.stopLoss !== position.stopLoss
          ? { ...current.metadata, trail: { ...trail, engaged: false } }
          : current.metadata,
    })
    await tx.decisions.append(userId, {
      action: 'position_modified',
      actor,
      symbol: position.symbol,
      strategyId: position.strategyId,
      tradeIdeaId: (position.metadata.tradeIdeaId as string | null | undefined) ?? null,
      rationale: `The ${position.direction} ${position.quantity} ${position.symbol} on ${venue}: ${changes.join('; ')}${price ? `, with the price at ${price}` : ''}.${target.kind === 'exchange' && !position.metadata.watched ? ' On the exchange the resting order is amended in place where it can be, else a new one is placed before the old one is cancelled.' : ''}`,
    })
    return true
  })
  if (!moved)
    throw new Refusal('conflict', 'The position changed meanwhile; nothing was moved. Look again, then move it.')
  // The level is recorded: an exchange out of reach now has its order moved at the next protection check.
  if (target.kind === 'exchange')
    await target.broker.keepProtected().catch((error: unknown) => {
      throw new Refusal(
        'unavailable',
        `The new level is recorded, but ${venue} could not be reached to move its order (${errorMessage(error)}); Tradedeck moves it at the next check, and the old order protects the position meanwhile.`,
      )
    })
  ctx.events.emit('account:changed', {})
  return viewOf(trading, userId, position.id)
}

/**
 * A strategy's trailing stop and break-even, after a closed candle: each open position of the instance on its
 * symbol whose stop the rules tighten gets the new stop, with a decision row by the strategy's rule in the same
 * transaction; on an exchange the protection invariant then amends the resting stop, or replaces it new before old.
 */
export async function applyStopRules(
  ctx: Pick<CoreContext, 'store'>,
  trading: TradingDesks,
  run: { userId: string; strategyId: string; instrument: string; priceDecimals: number },
  close: string,
  rules: StopRules,
  atr: number | null,
): Promise<void> {
  const { userId } = run
  const positions = (await ctx.store.positions.listOpen(userId)).filter(
    (position) =>
      position.strategyId === run.strategyId &&
      position.symbol === run.instrument &&
      position.stopLoss !== null &&
      !isImported(position) &&
      (!position.metadata.outside || position.metadata.protectedOnRequest),
  )
  for (const position of positions) {
    const tick =
      position.environment !== 'paper' && isExchangeId(position.broker)
        ? (
            await trading
              .exchangeBrokerFor(userId, position.broker, position.environment)
              .marketPrecision(position.symbol)
          )?.priceTick
        : undefined
    const managed = managedPositionOf({ ...position, stopLoss: position.stopLoss as string })
    const move = managedStop(managed, close, rules, atr, run.priceDecimals, tick)
    if (!move) continue
    const moved = await recordStopMove(ctx.store, userId, position, {
      stop: move.stop,
      actor: 'ai',
      rationale: `The strategy's rule moved the stop-loss of the ${position.direction} ${position.quantity} ${position.symbol} ${position.stopLoss} → ${move.stop}: ${move.why}.`,
      metadata: (current) => ({
        ...current,
        initialStopLoss: managed.initialStop,
        // Tighter than the exchange's trailing stop had it: a fixed stop takes over until a close's trail is tighter.
        ...(trailOf({ metadata: current })?.engaged
          ? { trail: { ...trailOf({ metadata: current }), engaged: false } }
          : {}),
      }),
    })
    if (moved && position.environment !== 'paper' && isExchangeId(position.broker))
      await trading.exchangeBrokerFor(userId, position.broker, position.environment).keepProtected()
  }
}
