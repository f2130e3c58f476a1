import { useEffect, useState } from 'react'
import type { ErrorLogEntry } from '../../../../shared/domain'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useErrorsStore } from '../../stores/errors-store'

function ResolveForm({ entry }: { entry: ErrorLogEntry }) {
  const { resolve, resolveError } = useErrorsStore()
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const refusal = resolveError?.id === entry.id ? resolveError.message : null
  return (
    <form
      className="row-actions"
      aria-label={`Resolve error ${entry.id}`}
      onSubmit={(event) => {
        event.preventDefault()
        setBusy(true)
        // The note stays in the field when the resolve is refused.
        void resolve(entry.id, note).then((done) => {
          setBusy(false)
          if (done) setNote('')
        })
      }}
    >
      <input
        aria-label="What was done about it"
        placeholder="What was done about it"
        value={note}
        onChange={(event) => setNote(event.target.value)}
        maxLength={2000}
      />
      <button className="button" type="submit" disabled={busy}>
        Mark resolved
      </button>
      {refusal && (
        <span className="field-error" role="alert">
          {refusal}
        </span>
      )}
    </form>
  )
}

/** Database → Errors: faults kept for diagnosis; resolving one keeps a note and is recorded in the audit log. */
export function ErrorsPanel() {
  const { items, unresolved, onlyUnresolved, error, load, setOnlyUnresolved } = useErrorsStore()
  useEffect(() => {
    void load()
  }, [load])
  return (
    <section className="panel" aria-label="Errors">
      <header className="panel-header">
        <h2>Errors</h2>
        <div className="row-actions">
          {unresolved !== null && (
            <span className={`pill ${unresolved > 0 ? 'bad' : 'ok'}`}>{unresolved} unresolved</span>
          )}
          <label>
            <input
              type="checkbox"
              checked={onlyUnresolved}
              onChange={(event) => void setOnlyUnresolved(event.target.checked)}
            />{' '}
            Only unresolved
          </label>
        </div>
      </header>
      {error && <ErrorPanel doing="Could not read the errors" message={error} />}
      {items.length === 0 && !error ? (
        <p className="muted">{onlyUnresolved ? 'No unresolved errors.' : 'No errors recorded.'}</p>
      ) : (
        <ul className="health-checks" aria-label="Error list">
          {items.map((entry) => (
            <li key={entry.id} className={`health-check ${entry.resolvedAt ? 'ok' : 'bad'}`} aria-label={entry.message}>
              <div className="health-line">
                <span className={`pill ${entry.resolvedAt ? 'ok' : 'bad'}`}>
                  {entry.resolvedAt ? 'Resolved' : 'Unresolved'}
                </span>
                <strong>{entry.message}</strong>
                <span className="muted">{new Date(entry.ts).toLocaleString()}</span>
              </div>
              {entry.resolvedAt ? (
                <p className="health-fix">
                  Resolved {new Date(entry.resolvedAt).toLocaleString()}: {entry.resolutionNote}
                </p>
              ) : (
                <ResolveForm entry={entry} />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
