import type { CoreContext } from '../context'

/** An idea past its expiry leaves the queue even when nobody looks at it. */
export async function expireWaitingIdeas(ctx: CoreContext): Promise<number> {
  if (!ctx.profileId || !ctx.db.open) return 0
  try {
    const expired = await ctx.trading.for(ctx.profileId).service.expireDue(ctx.profileId)
    if (expired > 0) ctx.events.emit('ideas:changed', { ideaId: null })
    return expired
  } catch {
    // A failed sweep is retried on the next tick; a transient lock must not crash the app.
    return 0
  }
}

/** While any strategy of the profile is active, the equity curve gets a point every tick. */
export async function snapshotWhileActive(ctx: CoreContext): Promise<boolean> {
  const userId = ctx.profileId
  if (!userId || !ctx.db.open) return false
  try {
    if ((await ctx.store.strategies.list(userId, { status: 'active' })).length === 0) return false
    const { service } = ctx.trading.for(userId)
    await ctx.store.transaction((tx) => service.recordAccountSnapshot(tx, userId, new Date().toISOString()))
    ctx.events.emit('account:changed', {})
    return true
  } catch {
    return false
  }
}

/** Strategy logs older than the retention window go; decision history is never pruned. */
export async function pruneStrategyLogs(ctx: CoreContext, retentionDays: number): Promise<number> {
  if (!ctx.db.open || ctx.startupMigration.state !== 'ok') return 0
  try {
    return await ctx.store.serviceLogs.pruneBefore(new Date(Date.now() - retentionDays * 86_400_000).toISOString())
  } catch {
    return 0
  }
}
