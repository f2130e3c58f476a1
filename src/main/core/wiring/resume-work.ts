import type { CoreContext } from '../platform/context'
import { reconcileAtStart } from '../domains/exchanges/venue-operations'
import type { CoreServices } from './services'

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
  if (ctx.servesTrader) await reconcileAtStart(ctx, services.trading)
  const resumed = await services.strategies.resumeAll()
  services.sync.start()
  return resumed
}
