import { DatabaseStatusPanel } from '../components/DatabaseStatusPanel'
import { useSystemStore } from '../stores/system-store'

export function Overview() {
  const { status, error, loading, refresh } = useSystemStore()

  return (
    <section className="page">
      <header className="page-header">
        <h1>Overview</h1>
        <button type="button" className="button" onClick={() => void refresh()} disabled={loading}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </header>
      {error && (
        <div className="panel error-panel" role="alert">
          Could not read the database status: {error}
        </div>
      )}
      {status ? <DatabaseStatusPanel status={status} /> : !error && <div className="panel muted-panel">Loading database status…</div>}
      <div className="panel muted-panel">
        <p>Equity, P&amp;L, running strategies and the approval queue appear here once trading is set up.</p>
      </div>
    </section>
  )
}
