import type { Actor } from '../../../../shared/domain'
import type { Position } from '../../platform/store/repositories/execution'
import type { Store } from '../../platform/store/store'
import { managedStop, type StopRules } from './stop-rules'
import { managedPositionOf, recordStopMove } from './stop-moves'

/*
 * A trader's trailing stop and break-even on one position, kept in its metadata and followed by its venue's watcher
 * at each closed candle: the same rule as a strategy's (`managedStop`), so a stop only ever tightens. An ATR trailing
 * stop is turned into a distance when it is set, from the candles the trader was shown.
 */

export interface PositionTrail {
  trailing: { kind: 'off' } | { kind: 'distance'; distance: string }
  breakEvenAtR: number | null
  /** How its prices are rounded: the market's places, and its tick where that is not a power of ten. */
  decimals: number
  tick?: string
  /** Who set it, for the rows of the moves it makes. */
  setBy: Actor
  /**
   * Trailed by the exchange's own trailing order rather than by Tradedeck's watcher, once `engaged`: the watcher
   * hands the stop over at the first close whose trail tightens it (a trailing order starts from the price, and must
   * not replace a tighter stop), and takes it back when the position is resized or its stop moved by hand.
   */
  native?: boolean
  engaged?: boolean
}

/** The distance the exchange trails the position's stop by, or undefined while Tradedeck holds the stop itself. */
export function nativeTrailBy(position: Pick<Position, 'metadata'>): string | undefined {
  const trail = trailOf(position)
  // A position the exchange would not hold a stop for is watched, its trail with it.
  if (position.metadata.watched) return undefined
  return trail?.native && trail.engaged && trail.trailing.kind === 'distance' ? trail.trailing.distance : undefined
}

/** Positions whose stop Tradedeck's watcher moves: a trail of its own, not handed to the exchange. */
export const watcherTrails = (position: Pick<Position, 'metadata'>) =>
  trailOf(position) !== null && nativeTrailBy(position) === undefined

export const trailOf = (position: Pick<Position, 'metadata'>): PositionTrail | null =>
  (position.metadata.trail as PositionTrail | undefined) ?? null

/** What the trail says, in the trader's words: "trailing 150 behind the price, break-even at 1R". */
export function describeTrail(trail: Pick<PositionTrail, 'trailing' | 'breakEvenAtR'>): string {
  const parts = [
    trail.trailing.kind === 'distance' ? `trailing ${trail.trailing.distance} behind the price` : null,
    trail.breakEvenAtR !== null ? `break-even at ${trail.breakEvenAtR}R` : null,
  ].filter((part): part is string => part !== null)
  return parts.length === 0 ? 'no trailing stop or break-even' : parts.join(', ')
}

/** A position's trail as the trader reads it beside the position, and who moves its stop; null without one. */
export function trailInWords(position: Pick<Position, 'metadata'>): string | null {
  const trail = trailOf(position)
  if (!trail) return null
  const by = nativeTrailBy(position)
    ? "on the exchange's own trailing stop"
    : trail.native
      ? "by Tradedeck's watcher until a close tightens it, then on the exchange's own trailing stop"
      : "by Tradedeck's watcher at each closed candle"
  return `${describeTrail(trail)}, ${by}`
}

/**
 * The watcher's step for one position after a closed candle: the stop its trail asks for, written with its decision
 * row in one transaction, only if the position is still as it was read. Answers the new stop, or null when it stays.
 */
export async function followTrail(
  store: Pick<Store, 'transaction'>,
  userId: string,
  position: Position,
  close: string,
  venue: string,
): Promise<string | null> {
  const trail = trailOf(position)
  if (!trail || nativeTrailBy(position) !== undefined || position.stopLoss === null) return null
  const managed = managedPositionOf({ ...position, stopLoss: position.stopLoss })
  const rules: StopRules = { trailing: trail.trailing, breakEvenAtR: trail.breakEvenAtR }
  const move = managedStop(managed, close, rules, null, trail.decimals, trail.tick)
  if (!move) return null
  const moved = await recordStopMove(store, userId, position, {
    stop: move.stop,
    actor: 'system',
    rationale: `Tradedeck's watcher moved the stop-loss of the ${position.direction} ${position.quantity} ${position.symbol} on ${venue} ${position.stopLoss} → ${move.stop}: ${move.why}, as set by ${trail.setBy.startsWith('human:') ? 'the trader' : trail.setBy}.${trail.native ? ` From here ${venue}'s own trailing stop follows the price ${trail.trailing.kind === 'distance' ? trail.trailing.distance : ''} behind.` : ''}`,
    metadata: (current) => ({
      ...current,
      initialStopLoss: managed.initialStop,
      ...(trail.native ? { trail: { ...trail, engaged: true } } : {}),
    }),
  })
  return moved ? move.stop : null
}
