import { ErrorsPanel } from './ErrorsPanel'
import { HealthPanel } from './HealthPanel'
import { TasksPanel } from './TasksPanel'
import { SyncPanel } from './SyncPanel'
import { useEffect, useState, type ReactNode } from 'react'
import type { BackupInfo, MigrationStatusView } from '../../../../shared/contract'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { formatBytes, formatWhen } from '../../format'
import { useDatabaseStore, type OutcomePanel } from '../../stores/database-store'
import { ErrorPanel } from '../../components/ErrorPanel'
import { DataTable } from '../../components/DataTable'

const REASON_LABEL: Record<BackupInfo['reason'], string> = {
  manual: 'By hand',
  scheduled: 'Daily',
  'pre-migration': 'Before a migration',
  'pre-restore': 'Before a restore',
  'pre-rollback': 'Before a rollback',
  'from-central': 'Built from the central database',
  'pre-import': 'Before an import',
  'pre-profile-delete': 'Before deleting a profile',
}

/** An operation's progress and then its result, in the panel whose button started it. */
function PanelOutcome({ panel }: { panel: OutcomePanel }) {
  const { progress, busyPanel, outcome } = useDatabaseStore()
  return (
    <>
      {progress && busyPanel === panel && (
        <div className="outcome progress" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" /> {progress.message}…
        </div>
      )}
      {outcome?.panel === panel && (
        <div
          className={`outcome ${outcome.tone}`}
          role={outcome.tone === 'bad' ? 'alert' : 'status'}
          data-testid={`${panel}-outcome`}
        >
          {outcome.message}
          {outcome.details && outcome.details.length > 0 && (
            <ul>
              {outcome.details.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          {outcome.sql && outcome.sql.length > 0 && (
            <details className="sql-details">
              <summary>Details: the schema lines that changed</summary>
              <pre className="mono">{outcome.sql.join('\n')}</pre>
            </details>
          )}
        </div>
      )}
    </>
  )
}

function schemaSummary(view: MigrationStatusView): { tone: 'ok' | 'warn' | 'bad'; text: string } {
  const count = (state: string) => view.migrations.filter((entry) => entry.state === state).length
  if (count('drifted') + count('missing') + count('unknown_newer') > 0)
    return {
      tone: 'bad',
      text: `${count('drifted')} drifted, ${count('missing')} missing, ${count('unknown_newer')} from a newer version`,
    }
  if (view.schemaDrift.length > 0) return { tone: 'bad', text: 'Changed by hand' }
  if (count('pending') > 0) return { tone: 'warn', text: `${count('pending')} pending` }
  return { tone: 'ok', text: `All ${count('applied')} applied` }
}

function StatusPanel({ view, title, action }: { view: MigrationStatusView; title: string; action?: ReactNode }) {
  const summary = schemaSummary(view)
  const facts: [string, string][] = [
    ['Engine', view.engine === 'sqlite' ? 'SQLite (embedded)' : 'PostgreSQL (central)'],
    [view.engine === 'sqlite' ? 'Database file' : 'Database', view.path],
    ['Size on disk', formatBytes(view.sizeBytes)],
    ['Schema version', String(view.current)],
  ]
  return (
    <section className="panel" aria-label={title}>
      <header className="panel-header">
        <h2>{title}</h2>
        <div className="row-actions">
          <span className={`pill ${summary.tone}`}>{summary.text}</span>
          {action}
        </div>
      </header>
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label} className={label.startsWith('Database') ? 'fact wide' : 'fact'}>
            <dt>{label}</dt>
            <dd className={label.startsWith('Database') ? 'mono' : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
      {view.schemaDrift.length > 0 && (
        <div className="outcome bad">
          The schema differs from what the applied migrations produce:
          <ul>
            {view.schemaDrift.map((line) => (
              <li key={line} className="mono">
                {line}
              </li>
            ))}
          </ul>
        </div>
      )}
      {view.pending.length > 0 && (
        <DataTable
          label="Pending migrations"
          rows={view.pending}
          rowKey={(entry) => String(entry.version)}
          columns={[
            { header: 'Migration', className: 'mono', cell: (entry) => `${entry.version}_${entry.name}` },
            { header: 'Class', cell: (entry) => entry.class.replace('_', ' ') },
            { header: 'Statements', cell: (entry) => entry.statements },
            {
              header: 'Warnings',
              cell: (entry) =>
                entry.warnings.length === 0 ? <span className="muted">none</span> : entry.warnings.join(' '),
            },
          ]}
        />
      )}
    </section>
  )
}

function RestoreDialog({ backup, current, onClose }: { backup: BackupInfo; current: number; onClose(): void }) {
  const restore = useDatabaseStore((state) => state.restore)
  const newer = backup.schemaVersion > current
  return (
    <ConfirmDialog
      title={`Restore the backup from ${formatWhen(backup.createdAt)}?`}
      confirmLabel="Restore this backup"
      danger
      confirmDisabled={newer}
      onCancel={onClose}
      onConfirm={() => {
        onClose()
        void restore(backup.file)
      }}
    >
      {newer ? (
        <p className="tone-bad">
          This backup has schema version {backup.schemaVersion}, newer than this app ({current}). Install the newer
          Tradedeck to restore it.
        </p>
      ) : (
        <ol>
          <li>The backup is checked first: its sha256 against the catalogue, then integrity_check.</li>
          <li>The current database is backed up (a pre-restore backup), so nothing of today is lost.</li>
          <li>Running strategies stop, and the database file is replaced in one step.</li>
          {backup.schemaVersion < current && (
            <li>
              The backup is at schema version {backup.schemaVersion}; migrations bring it to {current}, with their own
              backup first.
            </li>
          )}
          <li>
            Strategies that were running in the backup start again. "Undo last restore" puts the current database back.
          </li>
        </ol>
      )}
      <p className="muted mono">{backup.file}</p>
    </ConfirmDialog>
  )
}

function RollbackDialog({ view, onClose }: { view: MigrationStatusView; onClose(): void }) {
  const rollback = useDatabaseStore((state) => state.rollback)
  const [acceptLoss, setAcceptLoss] = useState(false)
  const last = view.lastApplied
  if (!last) return null
  const name = `${last.version}_${last.name}`
  return (
    <ConfirmDialog
      title={`Roll back migration ${name}?`}
      confirmLabel="Roll back"
      danger
      confirmDisabled={last.irreversible || (last.lossy && !acceptLoss)}
      onCancel={onClose}
      onConfirm={() => {
        onClose()
        void rollback(last.lossy && acceptLoss)
      }}
    >
      {last.irreversible ? (
        <p className="tone-bad">This migration is irreversible. Restore a backup taken before it instead.</p>
      ) : (
        <>
          <ol>
            <li>A pre-rollback backup of the whole database is taken first.</li>
            <li>Running strategies stop.</li>
            <li>The migration&apos;s down script runs in one transaction: all of it or none of it.</li>
            <li>
              This version of Tradedeck needs the migration, so the app then waits on its start screen; Retry applies it
              again.
            </li>
          </ol>
          {last.lossy && (
            <label className="checkbox">
              <input type="checkbox" checked={acceptLoss} onChange={(event) => setAcceptLoss(event.target.checked)} />
              Rolling it back loses the data it added (kept in the backup). I understand.
            </label>
          )}
        </>
      )}
    </ConfirmDialog>
  )
}

function BackupsPanel({ view }: { view: MigrationStatusView }) {
  const { backups, busy, backupNow, verify, undoRestore } = useDatabaseStore()
  const [restoring, setRestoring] = useState<BackupInfo | null>(null)
  const [confirmUndo, setConfirmUndo] = useState(false)
  const lastPreRestore = backups.find((backup) => backup.reason === 'pre-restore')
  return (
    <section className="panel" aria-label="Backups">
      <header className="panel-header">
        <h2>Backups</h2>
        <div className="row-actions">
          {lastPreRestore && (
            <button type="button" className="button" disabled={busy} onClick={() => setConfirmUndo(true)}>
              Undo last restore
            </button>
          )}
          <button type="button" className="button primary" disabled={busy} onClick={() => void backupNow()}>
            Back up now
          </button>
        </div>
      </header>
      <p className="muted">
        Kept in the backups folder of the data directory, each checked after it is written. Daily backups run while the
        app is open.
      </p>
      <PanelOutcome panel="backups" />
      {backups.length === 0 ? (
        <p className="muted">No backups yet. &quot;Back up now&quot; takes one in a few seconds.</p>
      ) : (
        <DataTable
          label="Backup list"
          rows={backups}
          rowKey={(backup) => backup.file}
          columns={[
            { header: 'Taken', title: (backup) => backup.file, cell: (backup) => formatWhen(backup.createdAt) },
            { header: 'Why', cell: (backup) => REASON_LABEL[backup.reason] },
            { header: 'Size', className: 'mono', cell: (backup) => formatBytes(backup.size) },
            { header: 'Schema', className: 'mono', cell: (backup) => `v${backup.schemaVersion}` },
            {
              header: 'Checked',
              cell: (backup) =>
                backup.verified ? (
                  <span className="pill ok">✓ verified</span>
                ) : (
                  <span className="pill bad">✗ not verified</span>
                ),
            },
            {
              header: 'Actions',
              hiddenHeader: true,
              cell: (backup) => (
                <div className="row-actions">
                  <button
                    type="button"
                    className="button"
                    disabled={busy}
                    onClick={() => void verify(backup.file)}
                    aria-label={`Verify the backup from ${formatWhen(backup.createdAt)}`}
                  >
                    Verify
                  </button>
                  <button
                    type="button"
                    className="button danger"
                    disabled={busy}
                    onClick={() => setRestoring(backup)}
                    aria-label={`Restore the backup from ${formatWhen(backup.createdAt)}`}
                  >
                    Restore…
                  </button>
                </div>
              ),
            },
          ]}
        />
      )}
      {restoring && <RestoreDialog backup={restoring} current={view.current} onClose={() => setRestoring(null)} />}
      {confirmUndo && lastPreRestore && (
        <ConfirmDialog
          title="Undo the last restore?"
          confirmLabel="Undo restore"
          danger
          onCancel={() => setConfirmUndo(false)}
          onConfirm={() => {
            setConfirmUndo(false)
            void undoRestore()
          }}
        >
          <ol>
            <li>
              The database from before the last restore ({formatWhen(lastPreRestore.createdAt)}) is checked and put
              back.
            </li>
            <li>What is in place now is backed up first, so this undo can be undone too.</li>
            <li>Running strategies stop, and those running in the database put back start again.</li>
          </ol>
        </ConfirmDialog>
      )}
    </section>
  )
}

function RollbackPanel({ view }: { view: MigrationStatusView }) {
  const busy = useDatabaseStore((state) => state.busy)
  const [open, setOpen] = useState(false)
  const last = view.lastApplied
  return (
    <section className="panel" aria-label="Rollback">
      <header className="panel-header">
        <h2>Rollback</h2>
        <button type="button" className="button danger" disabled={busy || !last} onClick={() => setOpen(true)}>
          Roll back last migration…
        </button>
      </header>
      <p className="muted">
        {last ? (
          <>
            The last migration is <span className="mono">{`${last.version}_${last.name}`}</span>
            {last.irreversible
              ? ': irreversible, so restore a backup instead.'
              : last.lossy
                ? ': rolling it back loses the data it added.'
                : ': it can be rolled back without losing data.'}
          </>
        ) : (
          'No migration is applied.'
        )}
      </p>
      <PanelOutcome panel="rollback" />
      {open && <RollbackDialog view={view} onClose={() => setOpen(false)} />}
    </section>
  )
}

function CentralPanel() {
  const { central, centralError, busy, migrateCentral } = useDatabaseStore()
  const [confirm, setConfirm] = useState(false)
  if (centralError) {
    return (
      <section className="panel" aria-label="Central PostgreSQL">
        <h2>Central PostgreSQL</h2>
        <p className="tone-bad" role="alert">
          Could not reach the central database: {centralError}
        </p>
      </section>
    )
  }
  if (!central) return null
  const pending = central.pending.length
  return (
    <>
      <StatusPanel
        view={central}
        title="Central PostgreSQL"
        action={
          <button
            type="button"
            className="button primary"
            disabled={busy || pending === 0}
            onClick={() => setConfirm(true)}
          >
            Migrate
          </button>
        }
      />
      <PanelOutcome panel="central" />
      {confirm && (
        <ConfirmDialog
          title={`Apply ${pending} migration${pending === 1 ? '' : 's'} to the central database?`}
          confirmLabel="Migrate"
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false)
            void migrateCentral()
          }}
        >
          <ol>
            <li>An advisory lock keeps every other desk from migrating it at the same time.</li>
            <li>
              Each migration runs in its own transaction; one that fails is rolled back and named, and the rest are not
              run.
            </li>
            <li>PostgreSQL is not backed up by Tradedeck: take a server backup first if your team relies on it.</li>
          </ol>
        </ConfirmDialog>
      )}
    </>
  )
}

export function Database() {
  const { migrations, centralConfigured, loading, loadError, load } = useDatabaseStore()
  useEffect(() => {
    void load()
  }, [load])
  return (
    <section className="page wide">
      <header className="page-header">
        <h1>Database</h1>
      </header>
      {loadError ? (
        <ErrorPanel doing="Could not read the database status" message={loadError} />
      ) : loading || !migrations ? (
        <div className="panel muted-panel">Reading the database status…</div>
      ) : (
        <>
          <StatusPanel view={migrations} title="Schema status" />
          <HealthPanel />
          <TasksPanel />
          <ErrorsPanel />
          <CentralPanel />
          {centralConfigured && <SyncPanel />}
          <BackupsPanel view={migrations} />
          <RollbackPanel view={migrations} />
        </>
      )}
    </section>
  )
}
