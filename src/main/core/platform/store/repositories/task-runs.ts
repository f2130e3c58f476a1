import type { Kysely, Selectable } from 'kysely'
import type { TaskName, TaskOutcome, TaskRun } from '../../../../../shared/domain'
import type { StoreSchema, TaskRunsTable } from '../schema'
import { newId } from '../values'

export type { TaskName, TaskOutcome, TaskRun } from '../../../../../shared/domain'

const fromRow = (row: Selectable<TaskRunsTable>): TaskRun => ({
  ...row,
  task: row.task as TaskName,
  outcome: row.outcome as TaskOutcome,
})

export interface TaskRunFilter {
  task?: TaskName
  outcome?: TaskOutcome
  limit?: number
}

/** The record of background jobs: a row when each starts, completed when it ends. */
export function taskRunsRepository(db: Kysely<StoreSchema>) {
  return {
    async start(task: TaskName, startedAt: string): Promise<string> {
      const id = newId()
      await db
        .insertInto('taskRuns')
        .values({
          id,
          task,
          startedAt,
          finishedAt: null,
          outcome: 'running',
          durationMs: null,
          rowsAffected: null,
          message: null,
        })
        .execute()
      return id
    },
    async finish(
      id: string,
      end: {
        finishedAt: string
        outcome: Exclude<TaskOutcome, 'running'>
        durationMs: number
        rowsAffected: number | null
        message: string | null
      },
    ): Promise<void> {
      await db.updateTable('taskRuns').set(end).where('id', '=', id).execute()
    },
    /** Newest first. */
    async list(filter: TaskRunFilter = {}): Promise<TaskRun[]> {
      let query = db.selectFrom('taskRuns').selectAll()
      if (filter.task) query = query.where('task', '=', filter.task)
      if (filter.outcome) query = query.where('outcome', '=', filter.outcome)
      return (
        await query
          .orderBy('startedAt', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit ?? 200)
          .execute()
      ).map(fromRow)
    },
    /** Finished runs that started before `iso`; a run still going is kept. */
    async pruneBefore(iso: string): Promise<number> {
      const result = await db
        .deleteFrom('taskRuns')
        .where('startedAt', '<', iso)
        .where('outcome', '!=', 'running')
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
}
