import { useEffect, useState } from 'react'
import type { RiskDecision, TradeIdea } from '../../../../shared/domain'
import { useClock } from '../../hooks/use-clock'
import { IdeaChart } from '../../components/charts/IdeaChart'
import { useIdeasStore } from '../../stores/ideas-store'
import { ErrorPanel } from '../../components/ErrorPanel'

function timeLeft(expiresAt: string | null, now: number): string {
  if (!expiresAt) return 'no expiry'
  const seconds = Math.floor((Date.parse(expiresAt) - now) / 1000)
  if (seconds <= 0) return 'expired'
  return seconds < 120 ? `${seconds} s left` : `${Math.floor(seconds / 60)} min left`
}

function QueueRow({ idea, selected, now, onSelect }: { idea: TradeIdea; selected: boolean; now: number; onSelect(): void }) {
  return (
    <li>
      <button type="button" className={selected ? 'queue-row selected' : 'queue-row'} aria-current={selected || undefined} onClick={onSelect}>
        <span className={idea.direction === 'long' ? 'pill ok' : 'pill bad'}>{idea.direction}</span>
        <span className="queue-symbol">{idea.symbol}</span>
        <span className="queue-meta">
          {idea.size} @ {idea.entryPrice} · {Math.round(idea.confidence * 100)}% · {timeLeft(idea.expiresAt, now)}
        </span>
      </button>
    </li>
  )
}

function IdeaDetail({ now }: { now: number }) {
  const { detail, busy, decide, outcome } = useIdeasStore()
  const [note, setNote] = useState('')
  const [confirmReject, setConfirmReject] = useState(false)
  const ideaId = detail?.idea.id

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement || event.metaKey || event.ctrlKey) return
      const key = event.key.toLowerCase()
      const store = useIdeasStore.getState()
      if (key === 'j') store.move(1)
      else if (key === 'k') store.move(-1)
      else if (key === 'a' && ideaId) void decide('approve', note)
      else if (key === 'r' && ideaId) {
        if (confirmReject) void decide('reject', note)
        else setConfirmReject(true)
      } else if (key === 'escape') setConfirmReject(false)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [ideaId, note, confirmReject, decide])

  if (!detail) return <div className="panel muted-panel">Select an idea to see its details.</div>
  const { idea, history } = detail
  const proposal = history.find((row) => row.action === 'ai_proposed')
  const risk = proposal?.riskCheck as RiskDecision | undefined
  const levels: [string, string][] = [
    ['Entry', idea.entryPrice],
    ['Stop-loss', idea.stopLoss],
    ['Take-profit', idea.takeProfit],
    ['Size', idea.size],
    ['Confidence', `${Math.round(idea.confidence * 100)}%`],
    ['Expires', timeLeft(idea.expiresAt, now)],
  ]
  return (
    <div className="panel idea-detail" data-testid="idea-detail">
      <header className="panel-header">
        <h2>
          {idea.direction} {idea.symbol}
        </h2>
        <span className="muted">proposed {new Date(idea.createdAt).toLocaleString()}</span>
      </header>
      <dl className="facts">
        {levels.map(([label, value]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {detail.candles && (
        <IdeaChart
          data={detail.candles}
          levels={{ entry: idea.entryPrice, stopLoss: idea.stopLoss, takeProfit: idea.takeProfit }}
          label={`${idea.symbol} ${detail.candles.timeframe ?? ''} candles up to the idea, with entry ${idea.entryPrice}, stop-loss ${idea.stopLoss} and take-profit ${idea.takeProfit}`}
        />
      )}
      <h3>Why</h3>
      <p data-testid="idea-rationale">{idea.rationale}</p>
      {risk && (
        <>
          <h3>Risk check</h3>
          <ul className="reasons" data-testid="risk-reasons">
            {risk.reasons.map((reason) => (
              <li key={reason.code}>{reason.message}</li>
            ))}
          </ul>
        </>
      )}
      <label className="note">
        Note (optional)
        <textarea value={note} onChange={(event) => setNote(event.target.value)} rows={2} maxLength={2000} />
      </label>
      {outcome && (
        <div className={outcome.tone === 'ok' ? 'outcome ok' : 'outcome bad'} role="alert">
          {outcome.message}
          {outcome.reasons.length > 0 && (
            <ul>
              {outcome.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="actions">
        <button type="button" className="button primary" disabled={busy} onClick={() => void decide('approve', note)}>
          Approve <kbd>A</kbd>
        </button>
        {confirmReject ? (
          <>
            <span className="confirm-text">Reject this idea?</span>
            <button type="button" className="button danger" disabled={busy} onClick={() => void decide('reject', note)}>
              Yes, reject <kbd>R</kbd>
            </button>
            <button type="button" className="button" onClick={() => setConfirmReject(false)}>
              Cancel <kbd>Esc</kbd>
            </button>
          </>
        ) : (
          <button type="button" className="button danger" disabled={busy} onClick={() => setConfirmReject(true)}>
            Reject… <kbd>R</kbd>
          </button>
        )}
      </div>
    </div>
  )
}

export function TradeIdeas() {
  const { queue, incoming, selectedId, select, refresh, showIncoming, loadError, outcome } = useIdeasStore()
  const now = useClock()
  useEffect(() => {
    void refresh()
  }, [refresh])
  return (
    <section className="page wide">
      <header className="page-header">
        <h1>Trade Ideas</h1>
        <span className="muted">J/K move · A approve · R reject</span>
      </header>
      {loadError && (
        <ErrorPanel message={loadError} />
      )}
      <div className="ideas-layout">
        <div className="panel queue">
          <h2>Waiting for approval ({queue.length})</h2>
          {incoming.length > 0 && (
            // Arrivals wait here instead of pushing the rows down under the pointer.
            <button type="button" className="button new-ideas" onClick={showIncoming}>
              {incoming.length} new — show
            </button>
          )}
          {queue.length === 0 ? (
            <p className="muted" data-testid="queue-empty">
              No ideas are waiting. Ideas your strategies propose appear here when the risk config asks for a person.
            </p>
          ) : (
            <ul data-testid="queue">
              {queue.map((idea) => (
                <QueueRow key={idea.id} idea={idea} now={now} selected={idea.id === selectedId} onSelect={() => void select(idea.id)} />
              ))}
            </ul>
          )}
          {queue.length === 0 && outcome && (
            <div className={outcome.tone === 'ok' ? 'outcome ok' : 'outcome bad'} role="alert">
              {outcome.message}
            </div>
          )}
        </div>
        {/* Keyed by the selection, so a half-typed note or a pending reject never carries over to another idea. */}
        <IdeaDetail key={selectedId ?? 'none'} now={now} />
      </div>
    </section>
  )
}
