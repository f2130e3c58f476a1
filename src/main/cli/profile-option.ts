import { z } from 'zod'
import type { Repositories } from '../core/platform/store/store'
import type { User } from '../core/platform/store/repositories/users'

export const profileOption = z.string().trim().min(1, '--profile needs a profile name or id').optional()

/** The profile `--profile` names, by id or by name (ignoring case); the desk's first profile when it names none. */
export async function profileNamed(store: Repositories, wanted: string | undefined): Promise<User> {
  if (!wanted) return store.users.ensureDefault()
  const users = await store.users.list()
  const user =
    users.find((candidate) => candidate.id === wanted) ??
    users.find((candidate) => candidate.displayName.toLowerCase() === wanted.toLowerCase())
  if (!user)
    throw new Error(
      `No profile is called ${wanted}. Profiles: ${users.map((candidate) => `${candidate.displayName} (${candidate.id})`).join(', ')}.`,
    )
  return user
}
