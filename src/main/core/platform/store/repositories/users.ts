import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { newId } from '../values'
import type { ProfileHoldings } from '../../../../../shared/domain'

export interface User {
  id: string
  displayName: string
  email: string | null
  /** When the profile was deleted; its rows stay, read-only, because decision history refers to them. */
  archivedAt: string | null
  createdAt: string
  updatedAt: string
}

export const DEFAULT_PROFILE_NAME = 'Local profile'

export function usersRepository(db: Kysely<StoreSchema>) {
  return {
    async create(input: { displayName: string; email?: string | null }): Promise<User> {
      const id = newId()
      await db
        .insertInto('users')
        .values({ id, displayName: input.displayName, email: input.email ?? null })
        .execute()
      // A new user starts with the safe risk defaults: AI trading off, every idea waits for a person.
      await db.insertInto('riskConfig').values({ userId: id }).execute()
      return (await this.get(id)) as User
    },
    async get(id: string): Promise<User | null> {
      return (await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    },
    /** The profiles in use, oldest first; deleted (archived) ones are left out. */
    async list(): Promise<User[]> {
      return db
        .selectFrom('users')
        .selectAll()
        .where('archivedAt', 'is', null)
        .orderBy('createdAt')
        .orderBy('id')
        .execute()
    },
    async archive(id: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable('users')
        .set({ archivedAt: at })
        .where('id', '=', id)
        .where('archivedAt', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
    /** Renames a profile in use; an archived one keeps the name its history was written under (null). */
    async rename(id: string, displayName: string): Promise<User | null> {
      const { numUpdatedRows } = await db
        .updateTable('users')
        .set({ displayName })
        .where('id', '=', id)
        .where('archivedAt', 'is', null)
        .executeTakeFirst()
      return numUpdatedRows > 0n ? this.get(id) : null
    },
    /** How many rows of each kind a profile holds: what deleting it takes out of view. */
    async holdings(id: string): Promise<ProfileHoldings> {
      const count = async (
        table: 'strategies' | 'tradeIdeas' | 'orders' | 'trades' | 'positions' | 'decisionHistory' | 'credentials',
        only?: { column: 'status'; value: string },
      ) => {
        let query = db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('rows'))
          .where('userId', '=', id)
        if (only) query = query.where(only.column, '=', only.value)
        return Number((await query.executeTakeFirstOrThrow()).rows)
      }
      return {
        strategies: await count('strategies'),
        runningStrategies: await count('strategies', { column: 'status', value: 'active' }),
        ideasWaiting: await count('tradeIdeas', { column: 'status', value: 'needs_approval' }),
        orders: await count('orders'),
        trades: await count('trades'),
        openPositions: await count('positions', { column: 'status', value: 'open' }),
        decisions: await count('decisionHistory'),
        credentials: await count('credentials'),
      }
    },
    /** The local profile a fresh install starts with; returns the oldest user when one exists. */
    async ensureDefault(): Promise<User> {
      const existing = await db
        .selectFrom('users')
        .selectAll()
        .where('archivedAt', 'is', null)
        .orderBy('createdAt')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst()
      return existing ?? this.create({ displayName: DEFAULT_PROFILE_NAME })
    },
  }
}
