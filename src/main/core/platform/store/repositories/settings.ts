import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { fromJson, nowIso, toJson } from '../values'

/** App-wide settings of this install (per-user preferences live with the user's rows). */
export function settingsRepository(db: Kysely<StoreSchema>) {
  return {
    async get<T>(key: string): Promise<T | null> {
      const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
      return row ? fromJson<T>(row.value) : null
    },
    async set(key: string, value: unknown): Promise<void> {
      await db
        .insertInto('settings')
        .values({ key, value: toJson(value), updatedAt: nowIso() })
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: toJson(value), updatedAt: nowIso() }))
        .execute()
    },
  }
}
