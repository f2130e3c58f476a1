import { useState } from 'react'
import { IMPORT_TABLES, invalidRowsOf, newRowsOf, type ImportReport } from '../../../../shared/domain'
import { ErrorPanel } from '../../components/ErrorPanel'
import { picksFilesInMainProcess, useHistoryImportStore } from '../../stores/history-import-store'

const TABLE_LABEL = {
  orders: 'Orders',
  fills: 'Fills',
  trades: 'Closed trades',
  positions: 'Open positions',
  risk_config: 'Risk config',
  watchlist: 'Watchlist symbols',
  calendar_events: 'Calendar events',
  news_items: 'News items',
  strategies: 'Rules instances',
} as const

/** "4 closed trades, 8 orders and 8 fills": what a run writes, in the page's words. */
function writtenRows(report: ImportReport): string {
  const parts = IMPORT_TABLES.flatMap((table) => {
    const fresh = report.tables[table]?.new ?? 0
    return fresh > 0 ? [`${fresh.toLocaleString()} ${TABLE_LABEL[table].toLowerCase()}`] : []
  })
  return parts.length <= 1 ? (parts[0] ?? 'nothing') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
}

function Report({ report }: { report: ImportReport }) {
  return (
    <>
      <table className="data-table" aria-label="What the file holds">
        <caption>
          {report.file}, sha256 <span className="mono">{report.sha256.slice(0, 16)}…</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="num">
              New
            </th>
            <th scope="col" className="num">
              Already here
            </th>
            <th scope="col" className="num">
              Invalid
            </th>
          </tr>
        </thead>
        <tbody>
          {IMPORT_TABLES.map((table) => {
            const counts = report.tables[table]
            return (
              counts && (
                <tr key={table}>
                  <th scope="row">{TABLE_LABEL[table]}</th>
                  <td className="num">{counts.new.toLocaleString()}</td>
                  <td className="num">{counts.duplicate.toLocaleString()}</td>
                  <td className="num">{counts.invalid.toLocaleString()}</td>
                </tr>
              )
            )
          })}
        </tbody>
      </table>
      {report.skipped.map((skipped) => (
        <p key={skipped.reason} className="muted">
          Left out: {skipped.count.toLocaleString()} {skipped.unit}
          {skipped.count === 1 ? '' : 's'} {skipped.reason}.
        </p>
      ))}
      {report.issues.length > 0 && (
        <ul className="health-details mono" aria-label="Problems in the file">
          {report.issues.map((issue, index) => (
            <li key={index}>
              {issue.where}
              {issue.field ? `, ${issue.field}` : ''}: {issue.message}
            </li>
          ))}
          {report.issueCount > report.issues.length && (
            <li>… and {(report.issueCount - report.issues.length).toLocaleString()} more</li>
          )}
        </ul>
      )}
    </>
  )
}

/** Settings → Import: history, a risk config or strategies from another system, shown as a dry run before anything is written. */
export function HistoryImport() {
  const { state, error, pick, upload, commit, discard } = useHistoryImportStore()
  const fresh =
    state.step === 'reviewing' || state.step === 'importing' || state.step === 'imported' ? newRowsOf(state.report) : 0
  const busy = state.step === 'uploading' || state.step === 'checking' || state.step === 'importing'
  const invalid = state.step === 'reviewing' || state.step === 'importing' ? invalidRowsOf(state.report) : 0
  // The choice belongs to the file it was made for: a new dry run starts unticked.
  const [leftOutOf, setLeftOutOf] = useState<string | null>(null)
  const offered = state.step === 'reviewing' || state.step === 'importing' ? state.report.importId : null
  const leaveOut = offered !== null && leftOutOf === offered
  const records = `${invalid.toLocaleString()} invalid record${invalid === 1 ? '' : 's'}`
  return (
    <section className="panel" aria-label="Import trade history">
      <h2>Import history and settings</h2>
      <p className="muted">
        A Freqtrade database (<span className="mono">tradesv3.sqlite</span>,{' '}
        <span className="mono">tradesv3.dryrun.sqlite</span>), order history as JSON (
        <span className="mono">trades_history.json</span>, <span className="mono">pending_orders.json</span>, a
        paper-trading file), a risk config or strategy list as CSV (<span className="mono">risk_config.csv</span>,{' '}
        <span className="mono">strategies.csv</span>), or an economic calendar or news as CSV (columns{' '}
        <span className="mono">event_time, currency, impact_level, title</span>… or{' '}
        <span className="mono">headline, source, symbols, published_at</span>). Trades and orders come in as history of
        this profile, never as ideas to approve; the calendar and news are shared by every profile. You see what the
        file holds before anything is written; the import itself backs up first and writes everything or nothing.
      </p>
      {state.step !== 'reviewing' && state.step !== 'importing' && (
        <div className="row-actions">
          {picksFilesInMainProcess ? (
            <button className="button" type="button" disabled={busy} onClick={() => void pick()}>
              Choose a file…
            </button>
          ) : (
            <label>
              File to import{' '}
              <input
                type="file"
                accept=".sqlite,.db,.json,.csv"
                disabled={busy}
                onChange={(event) => {
                  const file = event.target.files?.[0]
                  event.target.value = ''
                  if (file) void upload(file)
                }}
              />
            </label>
          )}
        </div>
      )}
      {state.step === 'uploading' && <p role="status">Uploading… {Math.round(state.fraction * 100)}%</p>}
      {state.step === 'checking' && <p role="status">Reading and checking the file…</p>}
      {error && <ErrorPanel doing="Could not import the file" message={error} />}
      {(state.step === 'reviewing' || state.step === 'importing') && (
        <div aria-label="Dry run">
          <p>
            <strong>Dry run:</strong> nothing has been written yet.
          </p>
          <Report report={state.report} />
          {fresh === 0 && (
            <p role="status">
              Nothing new to import: everything in this file is already on this profile, invalid or left out for the
              reasons above.
            </p>
          )}
          {invalid > 0 && (
            <div className="field">
              <label>
                <input
                  type="checkbox"
                  checked={leaveOut}
                  disabled={state.step === 'importing'}
                  onChange={(event) => setLeftOutOf(event.target.checked ? offered : null)}
                />{' '}
                Leave out the {records}
              </label>
              <p className="muted">
                A file with invalid records imports nothing unless you leave them out; the decision history then lists
                what was left out.
              </p>
            </div>
          )}
          <div className="row-actions">
            <button
              type="button"
              className="button primary"
              disabled={state.step === 'importing' || fresh === 0 || (invalid > 0 && !leaveOut)}
              onClick={() => void commit(leaveOut)}
            >
              {state.step === 'importing'
                ? state.total > 0
                  ? `Importing… ${state.done.toLocaleString()} of ${state.total.toLocaleString()} records`
                  : 'Importing…'
                : `Import ${writtenRows(state.report)}`}
            </button>
            <button
              type="button"
              className="button"
              disabled={state.step === 'importing'}
              onClick={() => void discard()}
            >
              Discard
            </button>
          </div>
        </div>
      )}
      {state.step === 'imported' && (
        <div className="outcome ok" role="status">
          Imported {writtenRows(state.report)} from {state.report.file}
          {state.report.backupFile ? `, after a backup (${state.report.backupFile})` : ''}. Decision History has the
          import's row.
        </div>
      )}
    </section>
  )
}
