import { useEffect } from 'react'
import { DatabaseStatusPanel } from '../components/DatabaseStatusPanel'
import { EquityChart } from '../components/charts/EquityChart'
import { AccountPanel, HaltBanner, WaitingIdeasPanel } from '../components/TradingPanels'
import { PositionsPanel } from '../components/PositionsPanel'
import { RunningStrategiesPanel } from '../components/RunningStrategiesPanel'
import { useClock } from '../hooks/use-clock'
import { useSystemStore } from '../stores/system-store'
import { useTradingStore } from '../stores/trading-store'

export function Overview() {
  const { status, error, loading, refresh } = useSystemStore()
  const { account, risk, waiting, equity, positions, recentTrades, error: tradingError, refresh: refreshTrading } = useTradingStore()
  const now = useClock(30_000)
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
      <section className="panel" aria-label="Equity">
        <h2>Equity, last 7 days</h2>
        <EquityChart points={equity} />
      </section>
      <PositionsPanel positions={positions} trades={recentTrades} />
      <RunningStrategiesPanel />
      {error && (
        <div className="panel error-panel" role="alert">
          Could not read the database status: {error}
        </div>
      )}
      {status ? <DatabaseStatusPanel status={status} /> : !error && <div className="panel muted-panel">Loading database status…</div>}
    </section>
  )
}
