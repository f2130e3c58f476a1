import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { newId } from '../values'

export interface User {
  id: string
  displayName: string
  email: string | null
  createdAt: string
  updatedAt: string
}

export const DEFAULT_PROFILE_NAME = 'Local profile'

export function usersRepository(db: Kysely<StoreSchema>) {
  return {
    async create(input: { displayName: string; email?: string | null }): Promise<User> {
      const id = newId()
      await db.insertInto('users').values({ id, displayName: input.displayName, email: input.email ?? null }).execute()
      // A new user starts with the safe risk defaults: AI trading off, every idea waits for a person.
      await db.insertInto('riskConfig').values({ userId: id }).execute()
      return (await this.get(id)) as User
    },
    async get(id: string): Promise<User | null> {
      return (await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    },
    async list(): Promise<User[]> {
      return db.selectFrom('users').selectAll().orderBy('createdAt').orderBy('id').execute()
    },
    async rename(id: string, displayName: string): Promise<User | null> {
      await db.updateTable('users').set({ displayName }).where('id', '=', id).execute()
      return this.get(id)
    },
    /** The local profile a fresh install starts with; returns the oldest user when one exists. */
    async ensureDefault(): Promise<User> {
      const existing = await db.selectFrom('users').selectAll().orderBy('createdAt').orderBy('id').limit(1).executeTakeFirst()
      return existing ?? this.create({ displayName: DEFAULT_PROFILE_NAME })
    },
  }
}
