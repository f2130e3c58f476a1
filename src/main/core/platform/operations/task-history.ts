import { TASK_LABELS } from '../../../../shared/domain'
import { errorMessage } from '../../../../shared/errors'
import type { CoreContext } from '../context'
import type { TaskName } from '../store/repositories/task-runs'

/** How long finished task runs are kept. */
export const TASK_RETENTION_DAYS = 7

/** What recording a task needs from the core: the database, and the profile to notify. */
export type TaskHost = Pick<CoreContext, 'db' | 'store' | 'startupMigration'> & { profileId?: string | null }

/**
 * Runs a background job and records the run: a row when it starts, completed
 * with its outcome, duration and rows affected when it ends. A job that fails
 * is recorded with its error, raises a notification, and the error is thrown
 * on to the caller. Before the schema is ready (or after the database closed)
 * the job runs unrecorded.
 */
export async function recordTaskRun(
  ctx: TaskHost,
  task: TaskName,
  job: () => Promise<number | null>,
): Promise<number | null> {
  if (ctx.startupMigration.state !== 'ok' || !ctx.db.open) return job()
  const store = ctx.store
  const started = performance.now()
  const id = await store.taskRuns.start(task, new Date().toISOString())
  const finish = (outcome: 'ok' | 'failed', rowsAffected: number | null, message: string | null) =>
    store.taskRuns.finish(id, {
      finishedAt: new Date().toISOString(),
      outcome,
      durationMs: Math.round(performance.now() - started),
      rowsAffected,
      message,
    })
  try {
    const rows = await job()
    await finish('ok', rows, null)
    return rows
  } catch (error) {
    const message = errorMessage(error)
    try {
      await finish('failed', null, message)
      const userId = ctx.profileId
      if (userId)
        await store.notifications.create(userId, {
          level: 'error',
          title: `${TASK_LABELS[task]} failed`,
          body: `${message} It runs again on its next tick; Database → Tasks lists every run.`,
        })
    } catch {
      // The database itself is failing; the next run records it if it can.
    }
    throw error
  }
}

/** recordTaskRun for a timer's job: the failure is recorded and notified, and the next tick tries again. */
export async function recordedTask(
  ctx: TaskHost,
  task: TaskName,
  job: () => Promise<number | null>,
): Promise<number | null> {
  try {
    return await recordTaskRun(ctx, task, job)
  } catch {
    return null
  }
}

/** Task runs older than the retention window go; a run still going stays. */
export function pruneTaskHistory(ctx: CoreContext): Promise<number | null> {
  return recordedTask(ctx, 'task_retention', () =>
    ctx.store.taskRuns.pruneBefore(new Date(Date.now() - TASK_RETENTION_DAYS * 86_400_000).toISOString()),
  )
}
