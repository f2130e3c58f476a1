import type { CoreContext } from './context'
import { reconcileAtStart } from './exchanges/venue-operations'

/**
 * What runs once the database is ready for the trader again: the exchanges are
 * reconciled (they are the truth) before any strategy trades, the instances
 * left active resume, and sync starts. Launch, Retry on the start screen
 * (after a failed or rolled-back migration) and a restore all end here, so
 * none of them can leave an instance marked active with no worker behind it.
 */
export async function resumeWork(ctx: CoreContext): Promise<string[]> {
  if (ctx.servesTrader) await reconcileAtStart(ctx)
  const resumed = await ctx.strategies.resumeAll()
  ctx.sync.start()
  return resumed
}
