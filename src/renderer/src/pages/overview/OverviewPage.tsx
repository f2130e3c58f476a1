import { useEffect } from 'react'
import { DatabaseStatusPanel } from './DatabaseStatusPanel'
import { EquityChart } from '../../components/charts/EquityChart'
import { AccountPanel, VenueAccountsPanel, WaitingIdeasPanel } from './TradingPanels'
import { ImportedHistoryPanel } from './ImportedHistoryPanel'
import { PositionsPanel } from './PositionsPanel'
import { RunningStrategiesPanel } from './RunningStrategiesPanel'
import { UpcomingEventsPanel } from './UpcomingEventsPanel'
import { useClock } from '../../hooks/use-clock'
import { useSystemStore } from '../../stores/system-store'
import { useTradingStore } from '../../stores/trading-store'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useErrorsStore } from '../../stores/errors-store'
import { useNavigationStore } from '../../stores/navigation-store'
import { useStrategiesStore } from '../../stores/strategies-store'
import { StartHere } from './StartHere'

export function Overview() {
  const { status, error, loading, refresh } = useSystemStore()
  const {
    account,
    venues,
    risk,
    waiting,
    equity,
    positions,
    recentTrades,
    imported,
    error: tradingError,
    refresh: refreshTrading,
    loadImported,
  } = useTradingStore()
  const now = useClock(30_000)
  const { unresolved, load: loadErrors } = useErrorsStore()
  const go = useNavigationStore((state) => state.go)
  const { instances, loading: loadingInstances } = useStrategiesStore()
  // A desk with nothing yet: no instance, no trade of its own, none imported.
  const firstLaunch =
    !loadingInstances &&
    instances.length === 0 &&
    positions.length === 0 &&
    recentTrades.length === 0 &&
    imported !== null &&
    imported.trades === 0
  useEffect(() => {
    void refreshTrading()
    void loadImported()
    void loadErrors()
  }, [refreshTrading, loadImported, loadErrors])

  return (
    <section className="page">
      <header className="page-header">
        <h1>Overview</h1>
        <button
          type="button"
          className="button"
          onClick={() => void Promise.all([refresh(), refreshTrading()])}
          disabled={loading}
        >
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </header>
      {unresolved !== null && unresolved > 0 && (
        <div className="outcome bad" role="status" aria-label="Unresolved errors">
          {unresolved} unresolved error{unresolved === 1 ? '' : 's'}.{' '}
          <button type="button" className="link" onClick={() => go('database')}>
            Review them in Database → Errors
          </button>
        </div>
      )}
      {firstLaunch && <StartHere />}
      {tradingError && <ErrorPanel message={tradingError} />}
      {account && risk && <AccountPanel account={account} risk={risk} />}
      {risk && <VenueAccountsPanel venues={venues} risk={risk} />}
      <WaitingIdeasPanel waiting={waiting} now={now} />
      <section className="panel" aria-label="Equity">
        <h2>Equity, last 7 days</h2>
        <EquityChart points={equity} />
      </section>
      <PositionsPanel positions={positions} trades={recentTrades} />
      {imported && <ImportedHistoryPanel imported={imported} />}
      <RunningStrategiesPanel />
      <UpcomingEventsPanel />
      {error && <ErrorPanel doing="Could not read the database status" message={error} />}
      {status ? (
        <DatabaseStatusPanel status={status} />
      ) : (
        !error && <div className="panel muted-panel">Loading database status…</div>
      )}
    </section>
  )
}
