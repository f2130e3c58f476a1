import { useEffect, useState } from 'react'
import type { SyncStatusView } from '../../../../shared/contract'
import { timeAgo } from '../../format'
import { useClock } from '../../hooks/use-clock'
import { useSyncStore } from '../../stores/sync-store'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { DataTable } from '../../components/DataTable'
import { ProgressBar } from '../../components/ProgressBar'

const STATE_LABEL: Record<SyncStatusView['state'], { text: string; tone: 'ok' | 'warn' | 'bad' | 'muted' }> = {
  off: { text: 'Not syncing', tone: 'muted' },
  connecting: { text: 'Connecting', tone: 'warn' },
  copying: { text: 'Copying history', tone: 'warn' },
  syncing: { text: 'Sending', tone: 'ok' },
  idle: { text: 'Up to date', tone: 'ok' },
  retrying: { text: 'Retrying', tone: 'bad' },
  blocked: { text: 'Stopped: schema', tone: 'bad' },
  paused: { text: 'Paused', tone: 'muted' },
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function InitialCopy({ status, now }: { status: SyncStatusView; now: number }) {
  const { copied, total, table, done, doneAt } = status.initialCopy
  if (done) return <p className="muted">Initial copy finished {timeAgo(doneAt, now)}.</p>
  const percent = total > 0 ? Math.min(100, Math.round((copied / total) * 100)) : 0
  return (
    <div className="sync-copy">
      <ProgressBar label="Initial copy" fraction={percent / 100} />
      <p className="muted">
        Initial copy: {copied.toLocaleString()} of {total.toLocaleString()} rows ({percent}%)
        {table ? `, now ${table}` : ''}. An interrupted copy resumes where it stopped.
      </p>
    </div>
  )
}

function Verification({ status, now }: { status: SyncStatusView; now: number }) {
  const verification = status.verification
  if (!verification) return null
  return (
    <DataTable
      label="Verification"
      caption={`Last verified ${timeAgo(verification.at, now)}: ${verification.ok ? 'every table matches.' : 'differences found.'}`}
      rows={verification.tables}
      rowKey={(table) => table.table}
      columns={[
        { header: 'Table', cell: (table) => table.table },
        {
          header: 'This desk',
          headerClassName: 'num',
          className: 'num',
          cell: (table) => table.localRows.toLocaleString(),
        },
        {
          header: 'Central',
          headerClassName: 'num',
          className: 'num',
          cell: (table) => table.centralRows.toLocaleString(),
        },
        {
          header: 'Waiting',
          headerClassName: 'num',
          className: 'num',
          cell: (table) => table.pending.toLocaleString(),
        },
        {
          header: 'Checksum',
          cell: (table) =>
            table.matches ? (
              <span className="pill ok" title={table.localChecksum}>
                match {table.localChecksum.slice(0, 8)}
              </span>
            ) : (
              <span className="pill bad" title={table.mismatchedKeys.join(', ')}>
                {table.differing.toLocaleString()} differ
              </span>
            ),
        },
      ]}
    />
  )
}

function RestoreFromCentral({ disabled }: { disabled: boolean }) {
  const restoreFromCentral = useSyncStore((state) => state.restoreFromCentral)
  const [userId, setUserId] = useState('')
  const [confirm, setConfirm] = useState(false)
  const valid = UUID.test(userId.trim())
  return (
    <form
      className="field-row sync-restore"
      aria-label="Restore from the central database"
      onSubmit={(event) => {
        event.preventDefault()
        if (valid) setConfirm(true)
      }}
    >
      <label className={`field${userId && !valid ? ' invalid' : ''}`}>
        User id to rebuild this desk for
        <input
          value={userId}
          onChange={(event) => setUserId(event.target.value)}
          placeholder="0193…-…"
          spellCheck={false}
          size={40}
        />
        {userId && !valid && <span className="field-error">must be a user id (a UUID)</span>}
      </label>
      <button type="submit" className="button" disabled={disabled || !valid}>
        Restore from central…
      </button>
      {confirm && (
        <ConfirmDialog
          title="Rebuild this desk from the central database?"
          confirmLabel="Rebuild and swap in"
          danger
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false)
            void restoreFromCentral(userId.trim())
          }}
        >
          <ol>
            <li>
              A new database is built from the central copy of user {userId.trim()}: their strategies, ideas, orders,
              trades and decision history, and the market data they used.
            </li>
            <li>
              It is checked: integrity, foreign keys, and row counts and checksums against the central copy. If anything
              differs, nothing changes.
            </li>
            <li>
              The current database is backed up (a pre-restore backup), strategies stop, and the new database is swapped
              in; &quot;Undo last restore&quot; puts the old one back.
            </li>
          </ol>
        </ConfirmDialog>
      )}
    </form>
  )
}

/** Replication to the central database: what is waiting, what failed, and the controls. */
export function SyncPanel() {
  const { status, loadError, busy, message, load, start, pause, resume, verify } = useSyncStore()
  const now = useClock()
  useEffect(() => {
    void load()
  }, [load])
  if (loadError) {
    return (
      <section className="panel" aria-label="Replication">
        <h2>Replication</h2>
        <p className="tone-bad" role="alert">
          Could not read the sync status: {loadError}
        </p>
      </section>
    )
  }
  if (!status) return null
  const label = STATE_LABEL[status.state]
  const off = status.state === 'off'
  return (
    <section className="panel" aria-label="Replication">
      <header className="panel-header">
        <h2>Replication</h2>
        <span className={`pill ${label.tone}`} data-testid="sync-state">
          {label.text}
        </span>
        <div className="panel-actions">
          {off ? (
            <button type="button" className="button primary" disabled={busy} onClick={() => void start()}>
              Start sync
            </button>
          ) : status.paused ? (
            <button type="button" className="button primary" disabled={busy} onClick={() => void resume()}>
              Resume sync
            </button>
          ) : (
            <button type="button" className="button" disabled={busy} onClick={() => void pause()}>
              Pause sync
            </button>
          )}
          <button type="button" className="button" disabled={busy || off} onClick={() => void verify()}>
            Verify now
          </button>
        </div>
      </header>
      {off ? (
        <p className="muted">
          This desk keeps its data in SQLite. Start sync to copy its history to the central database, then send every
          change through a durable outbox: written in the same transaction as the change, sent in order, retried while
          the server is away.
        </p>
      ) : (
        <>
          <dl className="facts">
            <div className="fact wide">
              <dt>Central database</dt>
              <dd>
                {status.target ?? 'none'} · {status.connected ? 'connected' : 'not connected'}
              </dd>
            </div>
            <div className="fact">
              <dt>Waiting to send</dt>
              <dd data-testid="sync-lag">
                {status.lagRows.toLocaleString()} rows
                {status.oldestQueuedAt ? `, oldest ${timeAgo(status.oldestQueuedAt, now)}` : ''}
              </dd>
            </div>
            <div className="fact">
              <dt>Last success</dt>
              <dd>{timeAgo(status.lastSuccessAt, now)}</dd>
            </div>
            {status.nextRetryAt && (
              <div className="fact">
                <dt>Next attempt</dt>
                <dd>in {Math.max(0, Math.round((Date.parse(status.nextRetryAt) - now) / 1000))} s</dd>
              </div>
            )}
          </dl>
          {status.lastError && (
            <p className="tone-bad" role="alert" data-testid="sync-error">
              {timeAgo(status.lastErrorAt, now)}: {status.lastError}
            </p>
          )}
          <InitialCopy status={status} now={now} />
        </>
      )}
      {message && (
        <p className={message.tone === 'ok' ? 'tone-ok' : 'tone-bad'} role={message.tone === 'ok' ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <Verification status={status} now={now} />
      <RestoreFromCentral disabled={busy} />
    </section>
  )
}
