import { useEffect, useState } from 'react'
import { DatabaseStatusPanel } from '../components/DatabaseStatusPanel'
import { AccountPanel, HaltBanner, WaitingIdeasPanel } from '../components/TradingPanels'
import { useSystemStore } from '../stores/system-store'
import { useTradingStore } from '../stores/trading-store'

function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000)
    return () => clearInterval(timer)
  }, [])
  return now
}

export function Overview() {
  const { status, error, loading, refresh } = useSystemStore()
  const { account, risk, waiting, error: tradingError, refresh: refreshTrading } = useTradingStore()
  const now = useMinuteClock()
  useEffect(() => {
    void refreshTrading()
  }, [refreshTrading])

  return (
    <section className="page">
      <header className="page-header">
        <h1>Overview</h1>
        <button type="button" className="button" onClick={() => void Promise.all([refresh(), refreshTrading()])} disabled={loading}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </header>
      {risk && <HaltBanner risk={risk} />}
      {tradingError && (
        <div className="panel error-panel" role="alert">
          {tradingError}
        </div>
      )}
      {account && risk && <AccountPanel account={account} risk={risk} />}
      <WaitingIdeasPanel waiting={waiting} now={now} />
      {error && (
        <div className="panel error-panel" role="alert">
          Could not read the database status: {error}
        </div>
      )}
      {status ? <DatabaseStatusPanel status={status} /> : !error && <div className="panel muted-panel">Loading database status…</div>}
    </section>
  )
}
