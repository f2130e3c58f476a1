import { useState } from 'react'
import type { StartupMigrationState } from '../../../shared/contract'
import { useSystemStore } from '../stores/system-store'

export function MigrationProgressScreen() {
  const progress = useSystemStore((state) => state.progress)
  const percent = progress && progress.total > 0 ? Math.round((progress.index / progress.total) * 100) : 0
  return (
    <div className="startup-screen" role="status" aria-live="polite">
      <h1>Updating your database</h1>
      <p className="muted">A backup is taken first. Please keep Tradedeck open.</p>
      <div className="progress" aria-label="Migration progress">
        <div className="progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <p>{progress?.message ?? 'Checking the database…'}</p>
    </div>
  )
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path
}

function ActionMessage() {
  const message = useSystemStore((state) => state.actionMessage)
  return message ? (
    <p className="action-message" role="alert">
      {message}
    </p>
  ) : null
}

export function RecoveryScreen({ state }: { state: Extract<StartupMigrationState, { state: 'failed' }> }) {
  const { busy, retryStartup, restoreBackup } = useSystemStore()
  const [confirmRestore, setConfirmRestore] = useState(false)
  const [copyLabel, setCopyLabel] = useState('Copy diagnostics')
  const copyDiagnostics = async () => {
    try {
      await navigator.clipboard.writeText(state.diagnostics)
      setCopyLabel('Diagnostics copied')
    } catch {
      setCopyLabel('Copy failed: select the text above instead')
    }
  }
  return (
    <div className="startup-screen" data-testid="recovery-screen">
      {state.rolledBack ? (
        <>
          <h1>The schema was rolled back</h1>
          <p>
            Your data is safe, and a backup from before the rollback is in the backups folder. Tradedeck waits here
            until its schema is complete again.
          </p>
        </>
      ) : (
        <>
          <h1>The database update did not complete</h1>
          <p>Your data is safe: the failed step was rolled back. Tradedeck has not changed anything else.</p>
        </>
      )}
      <pre className="error-detail">{state.message}</pre>
      <ActionMessage />
      <div className="actions">
        <button type="button" className="button primary" disabled={busy} onClick={() => void retryStartup()}>
          Retry
        </button>
        {state.backupPath &&
          (confirmRestore ? (
            <>
              <span className="confirm-text">
                Replace the database with the backup from before this {state.rolledBack ? 'rollback' : 'update'}?
              </span>
              <button
                type="button"
                className="button danger"
                disabled={busy}
                onClick={() => void restoreBackup(basename(state.backupPath as string))}
              >
                Yes, restore
              </button>
              <button type="button" className="button" disabled={busy} onClick={() => setConfirmRestore(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className="button" disabled={busy} onClick={() => setConfirmRestore(true)}>
              {state.rolledBack ? 'Restore the pre-rollback backup' : 'Restore the pre-update backup'}
            </button>
          ))}
        <button type="button" className="button" onClick={() => void copyDiagnostics()}>
          {copyLabel}
        </button>
      </div>
    </div>
  )
}

export function NewerDatabaseScreen({ state }: { state: Extract<StartupMigrationState, { state: 'newer_database' }> }) {
  const { busy, restoreBackup, acknowledgeReadOnly } = useSystemStore()
  return (
    <div className="startup-screen" data-testid="newer-database-screen">
      <h1>This database is from a newer Tradedeck</h1>
      <pre className="error-detail">{state.message}</pre>
      <ActionMessage />
      <div className="actions">
        <button type="button" className="button primary" onClick={acknowledgeReadOnly}>
          Continue read-only
        </button>
        {state.restorableBackup && (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void restoreBackup(state.restorableBackup as string)}
          >
            Restore the backup from before the upgrade
          </button>
        )}
      </div>
    </div>
  )
}
