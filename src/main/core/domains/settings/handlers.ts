import { Refusal } from '../../platform/calls/refusal'
import type { CoreContext } from '../../platform/context'
import type { HandlerTable } from '../../platform/calls/handler-table'
import { profile } from '../../platform/calls/profile'

/** What the Settings page shows besides the risk config: who, where, and what changed. */
export function createSettingsHandlers(ctx: CoreContext): Pick<HandlerTable, 'settings:get' | 'system:openDataFolder'> {
  return {
    // The desktop host replaces this with the OS file manager; elsewhere there is no desktop to open it on.
    'system:openDataFolder': async () => {
      throw new Refusal('unavailable', `Only the desktop app can open folders. The data directory is ${ctx.dataDir}.`)
    },
    'settings:get': async ({ auditLimit }) => {
      const userId = profile(ctx)
      const user = await ctx.store.users.get(userId)
      if (!user) throw new Refusal('not_found', 'The profile is missing from the database.')
      const audit = await ctx.store.auditLog.list(userId, auditLimit)
      return {
        profile: { id: user.id, displayName: user.displayName, email: user.email },
        host: ctx.host,
        dataDir: ctx.dataDir,
        dbPath: ctx.dbPath,
        audit: audit.map(({ id, actor, subject, action, details, occurredAt }) => ({
          id,
          actor,
          subject,
          action,
          details,
          occurredAt,
        })),
      }
    },
  }
}
