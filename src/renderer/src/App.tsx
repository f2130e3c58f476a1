import { useEffect } from 'react'
import { Sidebar } from './components/Sidebar'
import { Toasts } from './components/Toasts'
import { MigrationProgressScreen, NewerDatabaseScreen, RecoveryScreen } from './components/StartupScreens'
import { Overview } from './pages/overview/OverviewPage'
import { TradeIdeas } from './pages/trade-ideas/TradeIdeasPage'
import { Backtests } from './pages/backtests/BacktestsPage'
import { DecisionHistory } from './pages/decision-history/DecisionHistoryPage'
import { Strategies } from './pages/strategies/StrategiesPage'
import { Database } from './pages/database/DatabasePage'
import { Settings } from './pages/settings/SettingsPage'
import { useNavigationStore } from './stores/navigation-store'
import { useSystemStore } from './stores/system-store'
import { useTradingStore } from './stores/trading-store'
import { HaltBanner, LiveHeldBanner } from './pages/overview/TradingPanels'

function Shell({ readOnly }: { readOnly: boolean }) {
  const page = useNavigationStore((state) => state.page)
  const risk = useTradingStore((state) => state.risk)
  // The halt and the waiting ideas are the desk's state on every page, not just the Overview's.
  useEffect(() => {
    void useTradingStore.getState().refresh()
  }, [])
  return (
    <div className="shell">
      <Sidebar />
      <main className="content">
        {readOnly && (
          <div className="banner warn" role="status">
            Read-only: this database was written by a newer version of Tradedeck and will not be changed.
          </div>
        )}
        {risk && <HaltBanner risk={risk} />}
        {!readOnly && <LiveHeldBanner />}
        {page === 'overview' ? (
          <Overview />
        ) : page === 'strategies' ? (
          <Strategies />
        ) : page === 'ideas' ? (
          <TradeIdeas />
        ) : page === 'backtests' ? (
          <Backtests />
        ) : page === 'history' ? (
          <DecisionHistory />
        ) : page === 'database' ? (
          <Database />
        ) : (
          <Settings />
        )}
      </main>
      <Toasts />
    </div>
  )
}

export function App() {
  const { status, error, refresh, readOnlyAcknowledged } = useSystemStore()
  useEffect(() => {
    void refresh()
  }, [refresh])

  if (!status) {
    return (
      <div className="startup-screen">
        {error ? <p role="alert">Could not reach the Tradedeck core: {error}</p> : <p>Connecting…</p>}
      </div>
    )
  }
  const startup = status.startupMigration
  if (startup.state === 'running') return <MigrationProgressScreen />
  if (startup.state === 'failed') return <RecoveryScreen state={startup} />
  if (startup.state === 'newer_database' && !readOnlyAcknowledged) return <NewerDatabaseScreen state={startup} />
  return <Shell readOnly={startup.state === 'newer_database'} />
}
