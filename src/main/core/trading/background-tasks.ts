import type { CoreContext } from '../context'
import { recordedTask } from '../operations/task-history'

/** An idea past its expiry leaves the queue even when nobody looks at it. */
export async function expireWaitingIdeas(ctx: CoreContext): Promise<number | null> {
  const userId = ctx.profileId
  if (!userId || !ctx.db.open) return 0
  return recordedTask(ctx, 'idea_expiry', async () => {
    const expired = await ctx.trading.for(userId).service.expireDue(userId)
    if (expired > 0) ctx.events.emit('ideas:changed', { ideaId: null })
    return expired
  })
}

/** While any strategy of the profile is active, the equity curve gets a point every tick. */
export async function snapshotWhileActive(ctx: CoreContext): Promise<number | null> {
  const userId = ctx.profileId
  if (!userId || !ctx.db.open) return 0
  return recordedTask(ctx, 'account_snapshot', async () => {
    if ((await ctx.store.strategies.list(userId, { status: 'active' })).length === 0) return 0
    const { service } = ctx.trading.for(userId)
    await ctx.store.transaction((tx) => service.recordAccountSnapshot(tx, userId, new Date().toISOString()))
    ctx.events.emit('account:changed', {})
    return 1
  })
}

/** Strategy logs older than the retention window go; decision history is never pruned. */
export async function pruneStrategyLogs(ctx: CoreContext, retentionDays: number): Promise<number | null> {
  if (!ctx.db.open || ctx.startupMigration.state !== 'ok') return 0
  return recordedTask(ctx, 'log_pruning', () => ctx.store.serviceLogs.pruneBefore(new Date(Date.now() - retentionDays * 86_400_000).toISOString()))
}
