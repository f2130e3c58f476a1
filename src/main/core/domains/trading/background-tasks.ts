import type { CoreContext } from '../../platform/context'
import { recordedTask } from '../../platform/operations/task-history'
import type { TradingDesks } from './trading-desks'

/** An idea past its expiry leaves the queue even when nobody looks at it, in every profile. */
export async function expireWaitingIdeas(ctx: CoreContext, trading: TradingDesks): Promise<number | null> {
  if (!ctx.profileId || !ctx.db.open) return 0
  return recordedTask(ctx, 'idea_expiry', async () => {
    let expired = 0
    for (const userId of ctx.profiles) expired += await trading.for(userId).service.expireDue(userId)
    if (expired > 0) ctx.events.emit('ideas:changed', { ideaId: null })
    return expired
  })
}

/** While any strategy of a profile is active, its equity curve gets a point every tick; every profile's, whichever one a window shows. */
export async function snapshotWhileActive(ctx: CoreContext, trading: TradingDesks): Promise<number | null> {
  if (!ctx.profileId || !ctx.db.open) return 0
  return recordedTask(ctx, 'account_snapshot', async () => {
    let snapshots = 0
    for (const userId of ctx.profiles) {
      if ((await ctx.store.strategies.list(userId, { status: 'active' })).length === 0) continue
      const { book } = trading.for(userId)
      await ctx.store.transaction((tx) => book.recordSnapshot(tx, userId, new Date().toISOString()))
      snapshots++
    }
    if (snapshots > 0) ctx.events.emit('account:changed', {})
    return snapshots
  })
}

/** Strategy logs older than the retention window go; decision history is never pruned. */
export async function pruneStrategyLogs(ctx: CoreContext, retentionDays: number): Promise<number | null> {
  if (!ctx.db.open || ctx.startupMigration.state !== 'ok') return 0
  return recordedTask(ctx, 'log_pruning', () =>
    ctx.store.serviceLogs.pruneBefore(new Date(Date.now() - retentionDays * 86_400_000).toISOString()),
  )
}
