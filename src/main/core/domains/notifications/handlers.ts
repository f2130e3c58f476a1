import type { CoreContext } from '../../platform/context'
import type { ChannelsOf, HandlerTable } from '../../platform/calls/handler-table'
import { actorOf, profile } from '../../platform/calls/profile'
import { preferencesKey, preferencesOf } from './preferences'

/** Settings → Notifications: which events reach this profile, where, and its quiet hours. */
export function createNotificationHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'notifications'>> {
  return {
    'notifications:getPreferences': () => preferencesOf(ctx.store, profile(ctx)),
    'notifications:setPreferences': async (preferences) => {
      const userId = profile(ctx)
      await ctx.store.transaction(async (tx) => {
        const before = await preferencesOf(tx, userId)
        await tx.settings.set(preferencesKey(userId), preferences)
        await tx.auditLog.record({
          userId,
          actor: actorOf(ctx),
          subject: 'settings',
          action: 'notification_preferences',
          details: { from: before, to: preferences },
        })
      })
      return preferences
    },
  }
}
