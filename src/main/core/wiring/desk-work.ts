import type { DeskWork } from '../platform/backups/backup-service'
import type { CoreContext } from '../platform/context'
import { resumeWork } from './resume-work'
import type { CoreServices } from './services'
import { runStartupMigrations } from './startup'

/** Each profile's halt as it stands now. */
async function haltsOf(ctx: CoreContext): Promise<{ userId: string; reason: string }[]> {
  const halts: { userId: string; reason: string }[] = []
  for (const userId of ctx.profiles) {
    const config = await ctx.store.riskConfig.get(userId).catch(() => null)
    if (config?.halted) halts.push({ userId, reason: config.lastHaltReason ?? 'no reason was given' })
  }
  return halts
}

/**
 * The restore and rollback orchestration: strategies and sync stop before the backups change the
 * database, the schema is brought up to date on what is in place, and work resumes as on a launch.
 * `services` is read when needed, because the backup service is one of them.
 */
export function deskWork(ctx: CoreContext, services: () => CoreServices): DeskWork {
  return {
    async stop(how) {
      ctx.afterDatabaseChange ??= { halts: await haltsOf(ctx) }
      const { strategies, sync } = services()
      if (how === 'terminate') await strategies.terminateAll()
      else await strategies.shutdown()
      await sync.stop()
    },
    migrate: (defs) => runStartupMigrations(ctx, defs),
    resume: () => resumeWork(ctx, services()),
    storeReplaced: () => services().trading.reset(),
  }
}
