import { humanActor, type ProfileView } from '../../../../shared/domain'
import type { CoreContext } from '../../platform/context'
import type { User } from '../../platform/store/repositories/users'
import type { BackupBeforeChange } from '../../platform/backups/backup-service'
import type { StrategyRuntime } from '../strategies/runtime'

export interface ProfileDeletionDeps {
  backups: BackupBeforeChange
  strategies: Pick<StrategyRuntime, 'stop'>
}

/**
 * Deleting a profile: a backup first, then its running strategies stop (each with its
 * decision row), and in one transaction its exchange credentials are erased and the
 * profile is archived with an audit row listing what it held. Its history stays in the
 * database, read-only and out of view: decision history is append-only and refers to it.
 * `by` is the profile of the window that asked.
 */
export async function deleteProfile(
  ctx: CoreContext,
  { backups, strategies }: ProfileDeletionDeps,
  user: User,
  by: string,
): Promise<{ deleted: ProfileView; backupFile: string }> {
  const actor = humanActor(by)
  const backup = await backups.create('pre-profile-delete', actor)
  // Stop before archiving: a worker still running would go on writing for a profile no window shows.
  for (const instance of await ctx.store.strategies.list(user.id)) {
    if (instance.status === 'active' || instance.status === 'paused' || instance.status === 'error')
      await strategies.stop(user.id, instance.id, { kind: 'human', userId: by })
  }
  const holdings = await ctx.store.users.holdings(user.id)
  await ctx.store.transaction(async (tx) => {
    for (const credential of await tx.credentials.list(user.id)) await tx.credentials.delete(user.id, credential.id)
    await tx.users.archive(user.id, new Date().toISOString())
    await tx.auditLog.record({
      userId: user.id,
      actor,
      subject: 'user',
      action: 'delete',
      details: { displayName: user.displayName, backupFile: backup.file, holdings },
    })
  })
  ctx.profiles.delete(user.id)
  return { deleted: { id: user.id, displayName: user.displayName, createdAt: user.createdAt }, backupFile: backup.file }
}
