import type { SystemStatus } from '../../../../shared/contract'
import { formatBytes, timeAgo } from '../../format'
import { useClock } from '../../hooks/use-clock'
import { useSystemStore } from '../../stores/system-store'

export function DatabaseStatusPanel({ status }: { status: SystemStatus }) {
  const checking = useSystemStore((state) => state.loading)
  const checkIntegrity = useSystemStore((state) => state.checkIntegrity)
  const now = useClock(10_000)
  const rows: [string, string][] = [
    ['Database file', status.dbPath],
    ['SQLite version', status.sqliteVersion],
    ['Size on disk', formatBytes(status.sizeBytes)],
    ['Schema version', String(status.schemaVersion)],
    ['App version', status.appVersion],
  ]
  return (
    <div className="panel" data-testid="db-status">
      <header className="panel-header">
        <h2>Database</h2>
        <span className={status.quickCheck.ok ? 'pill ok' : 'pill bad'} data-testid="quick-check">
          {status.quickCheck.ok ? 'Integrity ok' : 'Integrity problem'}
        </span>
        <div className="panel-actions">
          <span className="muted" data-testid="quick-check-time" title={status.quickCheck.checkedAt}>
            checked {timeAgo(status.quickCheck.checkedAt, now)}
          </span>
          <button type="button" className="button" disabled={checking} onClick={() => void checkIntegrity()}>
            Check now
          </button>
        </div>
      </header>
      <dl className="facts">
        {rows.map(([label, value], index) => (
          <div key={label} className={index === 0 ? 'fact wide' : 'fact'}>
            <dt>{label}</dt>
            <dd data-testid={`status-${label.toLowerCase().replace(/\s+/g, '-')}`}>{value}</dd>
          </div>
        ))}
      </dl>
      {!status.quickCheck.ok && (
        <ul className="problems">
          {status.quickCheck.messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  )
}
