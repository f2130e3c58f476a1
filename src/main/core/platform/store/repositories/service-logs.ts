import { redactSecrets, redactSecretsWithin } from '../../../../../shared/errors'
import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { fromJson, newId, nowIso, toJson } from '../values'

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface ServiceLog {
  id: string
  userId: string | null
  strategyId: string | null
  level: LogLevel
  message: string
  context: Record<string, unknown>
  ts: string
}

/** What a strategy instance did, in words, with a retention window. */
export function serviceLogsRepository(db: Kysely<StoreSchema>) {
  return {
    async append(entry: {
      userId: string | null
      strategyId: string | null
      level: LogLevel
      message: string
      context?: Record<string, unknown>
    }): Promise<ServiceLog> {
      const row = {
        id: newId(),
        userId: entry.userId,
        strategyId: entry.strategyId,
        level: entry.level,
        message: redactSecrets(entry.message),
        context: toJson(redactSecretsWithin(entry.context ?? {})),
        ts: nowIso(),
      }
      await db.insertInto('serviceLogs').values(row).execute()
      return { ...row, context: fromJson<Record<string, unknown>>(row.context) }
    },
    /** A strategy's log, newest first; `before` pages back by (ts, id). */
    async forStrategy(
      userId: string,
      strategyId: string,
      options: { limit?: number; minLevel?: LogLevel; before?: { ts: string; id: string } } = {},
    ): Promise<ServiceLog[]> {
      let query = db
        .selectFrom('serviceLogs')
        .selectAll()
        .where('userId', '=', userId)
        .where('strategyId', '=', strategyId)
      if (options.minLevel) query = query.where('level', 'in', LOG_LEVELS.slice(LOG_LEVELS.indexOf(options.minLevel)))
      const before = options.before
      if (before)
        query = query.where((eb) =>
          eb.or([eb('ts', '<', before.ts), eb.and([eb('ts', '=', before.ts), eb('id', '<', before.id)])]),
        )
      const rows = await query
        .orderBy('ts', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit ?? 200)
        .execute()
      return rows.map((row) => ({
        ...row,
        level: row.level as LogLevel,
        context: fromJson<Record<string, unknown>>(row.context),
      }))
    },
    /** Deletes entries older than the cutoff; returns how many. */
    async pruneBefore(cutoffIso: string): Promise<number> {
      const result = await db.deleteFrom('serviceLogs').where('ts', '<', cutoffIso).executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
}
