import { redactSecrets, redactSecretsWithin } from '../../../../../shared/errors'
import type { Kysely, Selectable } from 'kysely'
import type { ErrorLogEntry } from '../../../../../shared/domain'
import type { ErrorLogsTable, StoreSchema } from '../schema'
import { fromJson, newId, nowIso, toJson } from '../values'

export interface ErrorLog extends ErrorLogEntry {
  userId: string | null
}

export interface ErrorLogFilter {
  strategyId?: string
  since?: string
  until?: string
  unresolved?: boolean
  limit?: number
}

const fromRow = (row: Selectable<ErrorLogsTable>): ErrorLog => ({
  ...row,
  context: fromJson<Record<string, unknown>>(row.context),
  resolutionNote: row.resolutionNote ?? null,
})

/** Faults with their stacks, kept for diagnosis until someone resolves them. */
export function errorLogsRepository(db: Kysely<StoreSchema>) {
  return {
    async append(entry: {
      userId: string | null
      strategyId: string | null
      message: string
      stack?: string | null
      context?: Record<string, unknown>
    }): Promise<ErrorLog> {
      const row = {
        id: newId(),
        userId: entry.userId,
        strategyId: entry.strategyId,
        // A fault's text can quote a request URL with a key in it; logs are kept and backed up.
        message: redactSecrets(entry.message),
        stack: entry.stack ? redactSecrets(entry.stack) : null,
        context: toJson(redactSecretsWithin(entry.context ?? {})),
        ts: nowIso(),
        resolvedAt: null,
      }
      await db.insertInto('errorLogs').values(row).execute()
      return { ...row, context: fromJson<Record<string, unknown>>(row.context), resolutionNote: null }
    },
    async forStrategy(userId: string, strategyId: string, limit = 50): Promise<ErrorLog[]> {
      return this.list(userId, { strategyId, limit })
    },
    /** Newest first. */
    async list(userId: string, filter: ErrorLogFilter = {}): Promise<ErrorLog[]> {
      let query = db.selectFrom('errorLogs').selectAll().where('userId', '=', userId)
      if (filter.strategyId) query = query.where('strategyId', '=', filter.strategyId)
      if (filter.since) query = query.where('ts', '>=', filter.since)
      if (filter.until) query = query.where('ts', '<=', filter.until)
      if (filter.unresolved) query = query.where('resolvedAt', 'is', null)
      return (
        await query
          .orderBy('ts', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit ?? 200)
          .execute()
      ).map(fromRow)
    },
    async get(userId: string, id: string): Promise<ErrorLog | null> {
      const row = await db
        .selectFrom('errorLogs')
        .selectAll()
        .where('userId', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? fromRow(row) : null
    },
    async unresolvedCount(userId: string): Promise<number> {
      const row = await db
        .selectFrom('errorLogs')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('userId', '=', userId)
        .where('resolvedAt', 'is', null)
        .executeTakeFirst()
      return Number(row?.count ?? 0)
    },
    /** Marks an unresolved error resolved; false when there is no such error or it was already resolved. */
    async resolve(userId: string, id: string, note: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable('errorLogs')
        .set({ resolvedAt: at, resolutionNote: note })
        .where('userId', '=', userId)
        .where('id', '=', id)
        .where('resolvedAt', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
  }
}
