/** Health checks, background tasks and the error log. */

/** What one health check found: `fail` needs action now, `warn` soon. */
export type HealthStatus = 'ok' | 'warn' | 'fail'

export interface HealthCheck {
  id: string
  title: string
  status: HealthStatus
  /** The measurement behind the status, in words and numbers. */
  figure: string
  /** What to do about it, in words; null when nothing needs doing. */
  fix: string | null
  /** The individual findings (orphaned rows, missing indexes, …), at most a few dozen. */
  details: string[]
}

export interface HealthReport {
  checkedAt: string
  /** The worst status of any check. */
  status: HealthStatus
  checks: HealthCheck[]
}

/** The background jobs whose every run is recorded. */
export const TASK_NAMES = [
  'idea_expiry',
  'account_snapshot',
  'log_pruning',
  'scheduled_backup',
  'backup_retention',
  'sync_batch',
  'task_retention',
  'market_data_retention',
] as const
export type TaskName = (typeof TASK_NAMES)[number]
export const TASK_LABELS: Record<TaskName, string> = {
  idea_expiry: 'Idea expiry',
  account_snapshot: 'Account snapshot',
  log_pruning: 'Log pruning',
  scheduled_backup: 'Scheduled backup',
  backup_retention: 'Backup retention',
  sync_batch: 'Sync batch',
  task_retention: 'Task history pruning',
  market_data_retention: 'Market data retention',
}
export const TASK_OUTCOMES = ['running', 'ok', 'failed'] as const
export type TaskOutcome = (typeof TASK_OUTCOMES)[number]

/** One run of a background job. */
export interface TaskRun {
  id: string
  task: TaskName
  startedAt: string
  finishedAt: string | null
  outcome: TaskOutcome
  durationMs: number | null
  rowsAffected: number | null
  /** Why it failed, or what it did in words. */
  message: string | null
}

/** A fault kept for diagnosis, until someone marks it resolved. */
export interface ErrorLogEntry {
  id: string
  strategyId: string | null
  message: string
  stack: string | null
  context: Record<string, unknown>
  ts: string
  resolvedAt: string | null
  resolutionNote: string | null
}

export interface ErrorLogPage {
  items: ErrorLogEntry[]
  /** Unresolved errors of the profile, whatever the filter. */
  unresolved: number
}
