import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { fromJson, newId, nowIso, toJson } from '../values'

export interface ErrorLog {
  id: string
  userId: string | null
  strategyId: string | null
  message: string
  stack: string | null
  context: Record<string, unknown>
  ts: string
  resolvedAt: string | null
}

/** Faults with their stacks, kept for diagnosis. */
export function errorLogsRepository(db: Kysely<StoreSchema>) {
  return {
    async append(entry: { userId: string | null; strategyId: string | null; message: string; stack?: string | null; context?: Record<string, unknown> }): Promise<ErrorLog> {
      const row = { id: newId(), userId: entry.userId, strategyId: entry.strategyId, message: entry.message, stack: entry.stack ?? null, context: toJson(entry.context ?? {}), ts: nowIso(), resolvedAt: null }
      await db.insertInto('errorLogs').values(row).execute()
      return { ...row, context: entry.context ?? {} }
    },
    async forStrategy(userId: string, strategyId: string, limit = 50): Promise<ErrorLog[]> {
      const rows = await db.selectFrom('errorLogs').selectAll().where('userId', '=', userId).where('strategyId', '=', strategyId).orderBy('ts', 'desc').orderBy('id', 'desc').limit(limit).execute()
      return rows.map((row) => ({ ...row, context: fromJson<Record<string, unknown>>(row.context) }))
    },
  }
}
