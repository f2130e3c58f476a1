import { useEffect } from 'react'
import { timeAgo } from '../../format'
import { useClock } from '../../hooks/use-clock'
import { shownStatus } from '../strategies/shown-status'
import { useNavigationStore } from '../../stores/navigation-store'
import { useStrategiesStore } from '../../stores/strategies-store'

/** The Overview's glance at what runs: each active or troubled instance with its heartbeat age. */
export function RunningStrategiesPanel() {
  const { instances, loadError, refresh } = useStrategiesStore()
  const now = useClock()
  useEffect(() => {
    void refresh()
  }, [refresh])
  const shown = instances.filter((instance) => instance.status !== 'stopped')
  return (
    <section className="panel" aria-label="Running strategies">
      <header className="panel-header">
        <h2>Strategies</h2>
        <button type="button" className="button" onClick={() => useNavigationStore.getState().go('strategies')}>
          Open Strategies
        </button>
      </header>
      {loadError ? (
        <p className="tone-bad">Could not load the strategies: {loadError}</p>
      ) : shown.length === 0 ? (
        <p className="muted">No strategy is running.</p>
      ) : (
        <ul className="running-list">
          {shown.map((instance) => (
            <li key={instance.id}>
              <span
                className={`pill ${shownStatus(instance, now).tone}`}
                title={shownStatus(instance, now).reason ?? undefined}
              >
                {shownStatus(instance, now).label}
              </span>
              <span>{instance.name}</span>
              <span className={instance.stale ? 'tone-warn mono' : 'muted mono'}>
                heartbeat {timeAgo(instance.lastHeartbeat, now)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
