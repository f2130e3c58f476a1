import { useEffect } from 'react'
import {
  TASK_LABELS,
  TASK_NAMES,
  TASK_OUTCOMES,
  type TaskName,
  type TaskOutcome,
  type TaskRun,
} from '../../../../shared/domain'
import { DataTable } from '../../components/DataTable'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useTasksStore } from '../../stores/tasks-store'
import { RetentionForm } from './RetentionForm'

const OUTCOME_TONE: Record<TaskOutcome, string> = { running: 'warn', ok: 'ok', failed: 'bad' }

const duration = (run: TaskRun) =>
  run.durationMs === null
    ? '—'
    : run.durationMs < 1000
      ? `${run.durationMs} ms`
      : `${(run.durationMs / 1000).toFixed(1)} s`

/** Database → Tasks: every run of the background jobs, newest first, kept seven days. */
export function TasksPanel() {
  const { runs, filter, loading, error, setFilter, load } = useTasksStore()
  useEffect(() => {
    void load()
  }, [load])
  return (
    <section className="panel" aria-label="Tasks">
      <header className="panel-header">
        <h2>Tasks</h2>
        <div className="row-actions">
          <select
            aria-label="Task"
            value={filter.task}
            onChange={(event) => void setFilter({ task: event.target.value as TaskName | '' })}
          >
            <option value="">Every task</option>
            {TASK_NAMES.map((task) => (
              <option key={task} value={task}>
                {TASK_LABELS[task]}
              </option>
            ))}
          </select>
          <select
            aria-label="Outcome"
            value={filter.outcome}
            onChange={(event) => void setFilter({ outcome: event.target.value as TaskOutcome | '' })}
          >
            <option value="">Any outcome</option>
            {TASK_OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {outcome}
              </option>
            ))}
          </select>
          <button className="button" type="button" onClick={() => void load()} disabled={loading}>
            {loading ? 'Loading…' : 'Refresh'}
          </button>
        </div>
      </header>
      {error && <ErrorPanel doing="Could not read the task history" message={error} />}
      {runs.length === 0 && !loading && !error ? (
        <p className="muted">
          No runs match. Background jobs record every run here: idea expiry, account snapshots, log pruning, backups and
          their retention, sync batches.
        </p>
      ) : (
        <div className="table-scroll">
          <DataTable
            label="Task runs"
            rows={runs}
            rowKey={(run) => run.id}
            columns={[
              { header: 'Task', cell: (run) => TASK_LABELS[run.task] },
              { header: 'Started', className: 'mono', cell: (run) => new Date(run.startedAt).toLocaleString() },
              { header: 'Duration', className: 'mono', cell: duration },
              {
                header: 'Outcome',
                cell: (run) => <span className={`pill ${OUTCOME_TONE[run.outcome]}`}>{run.outcome}</span>,
              },
              { header: 'Rows', className: 'mono', cell: (run) => run.rowsAffected ?? '—' },
              { header: 'Message', cell: (run) => run.message ?? '' },
            ]}
          />
        </div>
      )}
      <p className="muted small">Runs are kept for 7 days. A run that fails also raises a notification.</p>
      <RetentionForm />
    </section>
  )
}
