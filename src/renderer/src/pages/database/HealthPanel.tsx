import { useEffect } from 'react'
import type { HealthStatus } from '../../../../shared/domain'
import { ErrorPanel } from '../../components/ErrorPanel'
import { ProgressBar } from '../../components/ProgressBar'
import { useHealthStore } from '../../stores/health-store'
import { messageForPage } from '../../../../shared/error-words'

const TONE: Record<HealthStatus, 'ok' | 'warn' | 'bad'> = { ok: 'ok', warn: 'warn', fail: 'bad' }
const LABEL: Record<HealthStatus, string> = { ok: 'OK', warn: 'Warning', fail: 'Failing' }

/** Database → Health: every check tradedeck doctor runs, each with its figure and, when something is wrong, the fix. */
export function HealthPanel() {
  const { report, running, error, check, integrityProgress } = useHealthStore()
  useEffect(() => {
    void check()
  }, [check])
  const counts = (status: HealthStatus) => report?.checks.filter((item) => item.status === status).length ?? 0
  return (
    <section className="panel" aria-label="Health">
      <header className="panel-header">
        <h2>Health</h2>
        <div className="row-actions">
          {report && (
            <span className={`pill ${TONE[report.status]}`}>
              {counts('fail')} failing, {counts('warn')} warning, {counts('ok')} ok
            </span>
          )}
          <button className="button" type="button" onClick={() => void check()} disabled={running !== null}>
            {running === 'checks' ? 'Checking…' : 'Check again'}
          </button>
          <button
            className="button"
            type="button"
            onClick={() => void check({ integrity: true })}
            disabled={running !== null}
            title="Reads every page of the database in the background"
          >
            {running === 'integrity' ? 'Checking integrity…' : 'Full integrity check'}
          </button>
        </div>
      </header>
      {running === 'integrity' && <IntegrityProgress progress={integrityProgress} />}
      {error && <ErrorPanel doing="Could not run the health checks" message={error} />}
      {!report && !error && <p className="muted">Running the health checks…</p>}
      {report && (
        <ul className="health-checks" aria-label="Health checks">
          {report.checks.map((item) => (
            <li key={item.id} className={`health-check ${TONE[item.status]}`} aria-label={item.title}>
              <div className="health-line">
                <span className={`pill ${TONE[item.status]}`}>{LABEL[item.status]}</span>
                <strong>{item.title}</strong>
                <span className="muted">{item.figure}</span>
              </div>
              {item.details.length > 0 && (
                <ul className="health-details mono">
                  {item.details.map((detail) => (
                    <li key={detail}>{detail}</li>
                  ))}
                </ul>
              )}
              {item.fix && (
                <p className="health-fix">
                  <strong>How to fix:</strong> {messageForPage(item.fix)}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {report && (
        <p className="muted small">
          Checked {new Date(report.checkedAt).toLocaleString()}. The same checks run from the command line: tradedeck
          doctor.
        </p>
      )}
    </section>
  )
}

function IntegrityProgress({ progress }: { progress: { done: number; total: number; step: string } | null }) {
  const percent = progress ? Math.round((progress.done / progress.total) * 100) : 0
  return (
    <div className="sync-copy">
      <ProgressBar label="Integrity check" fraction={progress ? progress.done / progress.total : 0} />
      <p className="muted">
        {progress
          ? progress.done < progress.total - 1
            ? `Integrity check: ${progress.done} of ${progress.total - 1} tables checked (${percent}%), last ${progress.step}; the whole-file pass comes last.`
            : 'Integrity check: every table checked; the whole-file pass is running.'
          : 'Integrity check: starting…'}
      </p>
    </div>
  )
}
