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
