import type { ProfileView } from '../../../../shared/domain'
import { Refusal } from '../../platform/calls/refusal'
import type { CoreContext } from '../../platform/context'
import type { ChannelsOf, HandlerTable } from '../../platform/calls/handler-table'
import { actorOf, profile } from '../../platform/calls/profile'
import type { User } from '../../platform/store/repositories/users'
import { deleteProfile, type ProfileDeletionDeps } from './delete-profile'

const view = (user: User): ProfileView => ({ id: user.id, displayName: user.displayName, createdAt: user.createdAt })

/** Names are how the CLI's --profile and the switcher tell profiles apart, so no two may look the same. */
async function refuseTakenName(ctx: CoreContext, displayName: string, except: string | null): Promise<void> {
  const taken = (await ctx.store.users.list()).find(
    (user) => user.id !== except && user.displayName.toLocaleLowerCase() === displayName.toLocaleLowerCase(),
  )
  if (taken) throw new Refusal('conflict', `A profile is already called ${taken.displayName}; pick another name.`)
}

async function profileInUse(ctx: CoreContext, id: string): Promise<User> {
  const user = ctx.profiles.has(id) ? await ctx.store.users.get(id) : null
  if (!user) throw new Refusal('not_found', 'There is no such profile.')
  return user
}

const archived = (user: User) =>
  new Refusal(
    'conflict',
    `${user.displayName} was deleted; its history is kept as it was written, so it cannot be renamed.`,
  )

/** The sidebar's profile switcher: which profiles the desk has, and creating or renaming one. Switching is the window's own choice. */
export function createProfileHandlers(
  ctx: CoreContext,
  deps: ProfileDeletionDeps,
): Pick<HandlerTable, ChannelsOf<'profiles'>> {
  return {
    'profiles:list': async () => ({ current: profile(ctx), profiles: (await ctx.store.users.list()).map(view) }),
    'profiles:create': async ({ displayName }) => {
      profile(ctx)
      await refuseTakenName(ctx, displayName, null)
      const created = await ctx.store.transaction(async (tx) => {
        const user = await tx.users.create({ displayName })
        await tx.auditLog.record({
          userId: user.id,
          actor: actorOf(ctx),
          subject: 'user',
          action: 'create',
          details: { displayName },
        })
        return user
      })
      ctx.profiles.add(created.id)
      return view(created)
    },
    'profiles:deletePreview': async ({ id }) => {
      profile(ctx)
      const user = await profileInUse(ctx, id)
      return { profile: view(user), holdings: await ctx.store.users.holdings(id), isLast: ctx.profiles.size <= 1 }
    },
    'profiles:delete': async ({ id, confirmName }) => {
      profile(ctx)
      const user = await profileInUse(ctx, id)
      if (ctx.profiles.size <= 1)
        throw new Refusal('conflict', 'This is the desk’s only profile; create another before deleting it.')
      if (confirmName.trim() !== user.displayName)
        throw new Refusal('invalid_input', `Type the profile’s name, ${user.displayName}, to delete it.`)
      return deleteProfile(ctx, deps, user, profile(ctx))
    },
    'profiles:rename': async ({ id, displayName }) => {
      profile(ctx)
      const before = await ctx.store.users.get(id)
      if (!before) throw new Refusal('not_found', 'There is no such profile.')
      if (before.archivedAt) throw archived(before)
      await refuseTakenName(ctx, displayName, id)
      const renamed = await ctx.store.transaction(async (tx) => {
        const user = await tx.users.rename(id, displayName)
        if (!user) throw archived(before)
        await tx.auditLog.record({
          userId: id,
          actor: actorOf(ctx),
          subject: 'user',
          action: 'rename',
          details: { from: before.displayName, to: displayName },
        })
        return user
      })
      return view(renamed)
    },
  }
}
