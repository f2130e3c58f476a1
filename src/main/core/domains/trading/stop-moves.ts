import type { Actor } from '../../../../shared/domain'
import type { Position } from '../../platform/store/repositories/execution'
import type { Store } from '../../platform/store/store'
import { feesPerUnitOf, type ManagedPosition } from './stop-rules'

/** A stored position as a managed stop reads it: one R is the distance from its entry to the stop it opened with. */
export function managedPositionOf(position: Position & { stopLoss: string }): ManagedPosition {
  return {
    direction: position.direction,
    entry: position.averagePrice,
    initialStop: (position.metadata.initialStopLoss as string | undefined) ?? position.stopLoss,
    stop: position.stopLoss,
    feesPerUnit: feesPerUnitOf((position.metadata.entryFee as string | undefined) ?? '0', position.quantity),
  }
}

/**
 * A rule's stop move and its decision row, in one transaction, only if the position is still open with the stop the
 * rule was computed from. `metadata` gives the position's metadata after the move from what it holds now. Answers
 * whether it moved.
 */
export async function recordStopMove(
  store: Pick<Store, 'transaction'>,
  userId: string,
  position: Position,
  move: {
    stop: string
    actor: Actor
    rationale: string
    metadata: (current: Record<string, unknown>) => Record<string, unknown>
  },
): Promise<boolean> {
  return store.transaction(async (tx) => {
    const current = await tx.positions.get(userId, position.id)
    if (current?.status !== 'open' || current.stopLoss !== position.stopLoss) return false
    await tx.positions.setLevels(userId, position.id, {
      stopLoss: move.stop,
      takeProfit: current.takeProfit,
      metadata: move.metadata(current.metadata),
    })
    await tx.decisions.append(userId, {
      action: 'position_modified',
      actor: move.actor,
      symbol: position.symbol,
      strategyId: position.strategyId,
      tradeIdeaId: (position.metadata.tradeIdeaId as string | null | undefined) ?? null,
      rationale: move.rationale,
    })
    return true
  })
}
