import type { CoreContext } from '../platform/context'
import { reconcileAtStart } from '../domains/exchanges/venue-operations'
import type { CoreServices } from './services'
import { LIVE_HELD_AFTER_RESTORE } from '../../../shared/domain'

/**
 * What runs once the database is ready for the trader again: the exchanges are
 * reconciled (they are the truth) before any strategy trades, the instances
 * left active resume, and sync starts. Launch, Retry on the start screen
 * (after a failed or rolled-back migration) and a restore all end here, so
 * none of them can leave an instance marked active with no worker behind it.
 */
export async function resumeWork(
  ctx: CoreContext,
  services: Pick<CoreServices, 'trading' | 'strategies' | 'sync'>,
): Promise<string[]> {
  const changed = ctx.afterDatabaseChange
  ctx.afterDatabaseChange = null
  if (ctx.servesTrader) await reconcileAtStart(ctx, services.trading)
  if (changed) await keepHalts(ctx, services.trading, changed.halts)
  // After a restore, an undo or a rollback, live money waits for the trader's look: live instances come back paused.
  const resumed = await services.strategies.resumeAll(changed ? { holdLive: LIVE_HELD_AFTER_RESTORE } : {})
  services.sync.start()
  return resumed
}

/** A halt that stood before the database changed stands after it, unless the trader lifts it. */
async function keepHalts(
  ctx: CoreContext,
  trading: CoreServices['trading'],
  halts: { userId: string; reason: string }[],
): Promise<void> {
  for (const { userId, reason } of halts) {
    const config = await ctx.store.riskConfig.get(userId)
    if (!config || config.halted) continue
    const { risk } = trading.for(userId)
    const kept = `Trading was halted before the restore (${reason}); the halt stays until you lift it.`
    await ctx.store.transaction((tx) => risk.haltWithin(tx, userId, kept, 'risk', null))
    ctx.events.emit('trading:halted', { reason: kept })
  }
}
