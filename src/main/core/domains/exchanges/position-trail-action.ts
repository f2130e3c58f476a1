import Decimal from 'decimal.js'
import type { Actor } from '../../../../shared/domain'
import { errorMessage } from '../../../../shared/errors'
import type { PositionView } from '../../../../shared/contract'
import type { CoreContext } from '../../platform/context'
import { Refusal } from '../../platform/calls/refusal'
import { describeTrail, trailOf, type PositionTrail } from '../trading/position-trail'
import { StopTracker } from '../trading/stop-rules'
import { actionable, brokerOf, inWords, positionDetail, riskCheck, viewOf } from './position-actions'
import { EXCHANGES, isExchangeId } from './registry'

/** What the trader asks a position's stop to do from now on. */
export interface TrailRequest {
  id: string
  trailing: { kind: 'off' } | { kind: 'distance'; distance: string } | { kind: 'atr'; multiple: number; period: number }
  breakEvenAtR: number | null
  confirmLive: boolean
}

/** An ATR trail's distance, from the candles the position's chart shows: fixed when it is set, as a native trail's is. */
async function atrDistance(
  ctx: Pick<CoreContext, 'store'>,
  trading: Parameters<typeof positionDetail>[1],
  userId: string,
  request: TrailRequest & { trailing: { kind: 'atr' } },
): Promise<string> {
  const { candles } = (await positionDetail(ctx, trading, userId, request.id)).candles
  const tracker = new StopTracker({ trailing: request.trailing, breakEvenAtR: null })
  let atr: number | null = null
  for (const candle of candles) atr = tracker.update(candle)
  if (atr === null)
    throw new Refusal(
      'invalid_input',
      `An ATR of ${request.trailing.period} candles needs more candles than this position's chart has (${candles.length}); give the trail as a distance instead.`,
    )
  return new Decimal(atr).times(request.trailing.multiple).toSignificantDigits(8).toString()
}

/**
 * Sets, changes or takes off a position's trailing stop and break-even. From the next closed candle the venue's
 * watcher moves the stop by them, only ever tightening it; on an exchange that trails by a price distance itself
 * (Deribit's trailing_stop), a trail alone rests there as the exchange's own trailing order instead. The setting and
 * its decision row are written in one transaction. Allowed while trading is halted: a trail never loosens a stop.
 */
export async function trailOnePosition(
  ctx: Pick<CoreContext, 'store' | 'events'>,
  trading: Parameters<typeof positionDetail>[1],
  userId: string,
  request: TrailRequest,
  actor: Actor,
): Promise<PositionView | null> {
  const { position, venue } = await actionable(ctx, userId, request.id, request.confirmLive)
  if (position.metadata.outside && !position.metadata.protectedOnRequest)
    throw new Refusal(
      'conflict',
      'This position was opened outside Tradedeck: protect it first, then Tradedeck can trail its stop.',
    )
  if (position.stopLoss === null)
    throw new Refusal('conflict', 'This position has no stop-loss to trail: set one first.')
  const refused = await riskCheck(ctx, userId, { kind: 'trail' })
  if (refused) throw new Refusal('conflict', refused.message)
  const target = brokerOf(trading, userId, position)
  const trailing =
    request.trailing.kind === 'atr'
      ? {
          kind: 'distance' as const,
          distance: await atrDistance(ctx, trading, userId, { ...request, trailing: request.trailing }),
        }
      : request.trailing
  const precision =
    (await viewOf(trading, userId, position.id))?.precision ??
    (target.kind === 'exchange' ? await target.broker.marketPrecision(position.symbol).catch(inWords) : null)
  const native =
    target.kind === 'exchange' &&
    isExchangeId(position.broker) &&
    EXCHANGES[position.broker].nativeTrailing &&
    trailing.kind === 'distance' &&
    request.breakEvenAtR === null &&
    !position.metadata.watched
  const off = trailing.kind === 'off' && request.breakEvenAtR === null
  const trail: PositionTrail = {
    trailing,
    breakEvenAtR: request.breakEvenAtR,
    decimals: precision?.price ?? 8,
    ...(precision?.priceTick ? { tick: precision.priceTick } : {}),
    setBy: actor,
    ...(native ? { native: true } : {}),
  }
  const before = trailOf(position)
  if (off && !before) throw new Refusal('invalid_input', 'This position has no trail to take off; nothing was changed.')
  const atrNote =
    request.trailing.kind === 'atr'
      ? ` (${request.trailing.multiple}×ATR of ${request.trailing.period} candles, fixed now at ${trailing.kind === 'distance' ? trailing.distance : ''})`
      : ''
  const how = off
    ? 'The stop stays where it is.'
    : native
      ? `It rests on ${venue} as the exchange's own trailing stop, which follows the price in real time; Tradedeck records where it has moved at each check.`
      : `Tradedeck's watcher moves the stop at each closed candle from now on, only ever tightening it, ${target.kind === 'exchange' ? 'and the resting stop on the exchange with it' : 'while the app runs'}.`
  const changed = await ctx.store.transaction(async (tx) => {
    const current = await tx.positions.get(userId, position.id)
    if (current?.status !== 'open' || current.stopLoss !== position.stopLoss) return false
    const { trail: _old, ...rest } = current.metadata
    await tx.positions.setLevels(userId, position.id, {
      stopLoss: current.stopLoss,
      takeProfit: current.takeProfit,
      metadata: off ? rest : { ...rest, trail, initialStopLoss: current.metadata.initialStopLoss ?? current.stopLoss },
    })
    await tx.decisions.append(userId, {
      action: 'position_modified',
      actor,
      symbol: position.symbol,
      strategyId: position.strategyId,
      tradeIdeaId: (position.metadata.tradeIdeaId as string | null | undefined) ?? null,
      rationale: `The ${position.direction} ${position.quantity} ${position.symbol} on ${venue}, stop-loss ${position.stopLoss}: ${off ? 'trailing stop and break-even taken off' : describeTrail(trail) + atrNote}. ${how}`,
    })
    return true
  })
  if (!changed)
    throw new Refusal('conflict', 'The position changed meanwhile; nothing was set. Look again, then set the trail.')
  if (target.kind === 'exchange' && (native || before?.native))
    await target.broker.keepProtected().catch((error: unknown) => {
      throw new Refusal(
        'unavailable',
        `The trail is recorded, but ${venue} could not be reached to place it (${errorMessage(error)}); Tradedeck places it at the next check, and the resting stop protects the position meanwhile.`,
      )
    })
  ctx.events.emit('account:changed', {})
  return viewOf(trading, userId, position.id)
}
