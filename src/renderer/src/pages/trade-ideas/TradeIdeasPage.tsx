import { useEffect, useRef, useState } from 'react'
import { IdeaEvents } from './IdeaEvents'
import type { IdeaVenue } from '../../../../shared/contract'
import type { RiskDecision, TradeIdea } from '../../../../shared/domain'
import { useClock } from '../../hooks/use-clock'
import { IdeaChart } from '../../components/charts/IdeaChart'
import { useSettled } from '../../hooks/use-settled'
import { canDecide, useIdeasStore } from '../../stores/ideas-store'
import { useNavigationStore } from '../../stores/navigation-store'
import { useTradingStore } from '../../stores/trading-store'
import { useStrategiesStore } from '../../stores/strategies-store'
import { ErrorPanel } from '../../components/ErrorPanel'
import { ideaKeyAction } from './idea-keys'
import { countdown, departureText, priceAgainstRange, visibleRows } from './queue-view'

/** How often the waiting ideas' prices are read while the page is open. */
const MARKS_EVERY_MS = 2000

const dialogOpen = () => document.querySelector('dialog[open], [role="dialog"], [role="alertdialog"]') !== null

function worth(idea: Pick<TradeIdea, 'size' | 'entryPrice'>): string {
  const value = Number(idea.size) * Number(idea.entryPrice)
  return Number.isFinite(value)
    ? value.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : '—'
}

function VenueTag({ venue }: { venue: IdeaVenue }) {
  if (venue.environment === 'live') return <span className="pill bad venue-tag">LIVE · {venue.label}</span>
  if (venue.environment === 'testnet') return <span className="pill warn venue-tag">TESTNET · {venue.label}</span>
  return <span className="pill muted venue-tag">Paper</span>
}

function QueueRow({
  idea,
  selected,
  departed,
  now,
  onSelect,
}: {
  idea: TradeIdea
  selected: boolean
  departed: boolean
  now: number
  onSelect(): void
}) {
  const mark = useIdeasStore((state) => state.marks[idea.id])
  const environment = useStrategiesStore(
    (state) => state.instances.find((instance) => instance.id === idea.strategyId)?.environment,
  )
  const range = priceAgainstRange(idea, mark)
  return (
    <li>
      <button
        type="button"
        className={`queue-row${selected ? ' selected' : ''}${departed ? ' departed' : ''}`}
        aria-current={selected || undefined}
        onClick={onSelect}
        data-idea-id={idea.id}
      >
        <span className={idea.direction === 'long' ? 'pill ok' : 'pill bad'}>{idea.direction}</span>
        <span className="queue-symbol">
          {idea.symbol}
          {environment === 'live' && <span className="pill bad queue-venue">LIVE</span>}
          {environment === 'testnet' && <span className="pill warn queue-venue">TESTNET</span>}
        </span>
        {departed ? (
          <span className="queue-meta" data-testid="departed-reason">
            {departureText(idea)}
          </span>
        ) : (
          <>
            <span className="queue-meta">
              {idea.size} @ {idea.entryPrice} · {Math.round(idea.confidence * 100)}% ·{' '}
              <span data-testid="countdown">{countdown(idea.expiresAt, now)}</span>
            </span>
            {idea.entryRangeLow && (
              <span className={`queue-range range-${range.where}`} data-testid="range-reading">
                {range.share !== null && (
                  <span className="range-bar" aria-hidden="true">
                    <span style={{ left: `${range.share * 100}%` }} />
                  </span>
                )}
                {range.text}
              </span>
            )}
          </>
        )}
      </button>
    </li>
  )
}

function IdeaDetail({ now, halted }: { now: number; halted: boolean }) {
  const { detail, busy, decide, outcome, liveArmed, disarm, marks } = useIdeasStore()
  const [note, setNote] = useState('')
  const [rejecting, setRejecting] = useState(false)
  const noteBox = useRef<HTMLTextAreaElement>(null)
  const ready = useSettled(detail?.shownAt ?? null)
  const ideaId = detail?.idea.id ?? null
  const waiting = detail?.idea.status === 'needs_approval'
  const armed = liveArmed !== null && liveArmed === ideaId

  useEffect(() => {
    if (rejecting) noteBox.current?.focus()
  }, [rejecting])
  useEffect(() => {
    if (!ideaId) return
    const onKey = (event: KeyboardEvent) => {
      const action = ideaKeyAction(event, { dialogOpen: dialogOpen(), liveArmed: armed })
      if (action === 'approve') {
        event.preventDefault()
        void decide('approve', ideaId, note, { halted })
      } else if (action === 'send-live') {
        event.preventDefault()
        void decide('approve', ideaId, note, { halted, confirmLive: true })
      } else if (action === 'reject' && canDecide(useIdeasStore.getState(), ideaId, Date.now())) {
        // No letter of this key lands in the note the focus moves to.
        event.preventDefault()
        setRejecting(true)
      } else if (action === 'cancel') {
        disarm()
        setRejecting(false)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [ideaId, note, armed, halted, decide, disarm])

  if (!detail)
    return <div className="panel muted-panel">Select an idea to see its details (J and K move through the list).</div>
  const { idea, history, venue } = detail
  const proposal = history.find((row) => row.action === 'ai_proposed')
  const risk = proposal?.riskCheck as RiskDecision | undefined
  const range = priceAgainstRange(idea, marks[idea.id])
  const levels: [string, string][] = [
    ['Entry', idea.entryPrice],
    [
      'Entry range',
      idea.entryRangeLow && idea.entryRangeHigh ? `${idea.entryRangeLow}–${idea.entryRangeHigh}` : 'none',
    ],
    ['Price now', waiting && range.where !== 'unknown' ? range.text : '—'],
    ['Stop-loss', idea.stopLoss],
    ['Take-profit', idea.takeProfit],
    ['Size', idea.size],
    ['Order worth', worth(idea)],
    ['Confidence', `${Math.round(idea.confidence * 100)}%`],
    ['Ends', waiting ? countdown(idea.expiresAt, now) : '—'],
  ]
  const mine = outcome && outcome.ideaId === idea.id ? outcome : null
  const canAct = waiting && ready && !busy
  const reject = () => {
    if (!rejecting) return setRejecting(true)
    void decide('reject', idea.id, note)
  }
  return (
    <div
      className={waiting ? 'panel idea-detail' : 'panel idea-detail departed'}
      data-testid="idea-detail"
      data-idea-id={idea.id}
      data-settled={canAct ? 'true' : 'false'}
    >
      <header className="panel-header">
        <h2>
          {idea.direction} {idea.symbol}
        </h2>
        <VenueTag venue={venue} />
        <span className="muted">proposed {new Date(idea.createdAt).toLocaleString()}</span>
      </header>
      {!waiting && (
        <div className="outcome departed-note" role="status" data-testid="idea-departed">
          {departureText(idea)}
        </div>
      )}
      <dl className="facts">
        {levels.map(([label, value]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd
              className={
                label === 'Price now' && range.where !== 'inside' && range.where !== 'unknown' ? 'tone-bad' : undefined
              }
            >
              {value}
            </dd>
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
      <IdeaEvents ideaId={idea.id} />
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
      {mine && (
        <div className={mine.tone === 'ok' ? 'outcome ok' : 'outcome bad'} role="alert">
          {mine.message}
          {mine.reasons.length > 0 && (
            <ul>
              {mine.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {waiting && (
        <>
          <label className="note">
            {rejecting ? 'Why reject? (optional; Enter rejects, Esc cancels)' : 'Note (optional)'}
            <textarea
              ref={noteBox}
              value={note}
              onChange={(event) => setNote(event.target.value)}
              onKeyDown={(event) => {
                if (!rejecting) return
                if (event.key === 'Enter' && !event.shiftKey) {
                  event.preventDefault()
                  void decide('reject', idea.id, note)
                } else if (event.key === 'Escape') {
                  // Back to the page, so the shortcuts work again without a click.
                  event.preventDefault()
                  event.currentTarget.blur()
                  setRejecting(false)
                }
              }}
              rows={2}
              maxLength={2000}
            />
          </label>
          {armed ? (
            <div className="live-confirm" role="group" aria-label="Confirm the live order">
              <span className="confirm-text">
                Send a LIVE order on {venue.label}: {idea.direction} {idea.size} {idea.symbol}, worth {worth(idea)}?
              </span>
              <button
                type="button"
                className="button danger"
                autoFocus
                disabled={busy}
                onClick={() => void decide('approve', idea.id, note, { halted, confirmLive: true })}
              >
                Send live order <kbd>Enter</kbd>
              </button>
              <button type="button" className="button" onClick={disarm}>
                Cancel <kbd>Esc</kbd>
              </button>
            </div>
          ) : (
            <div className="actions">
              <button
                type="button"
                className="button primary"
                disabled={!canAct || halted}
                title={halted ? 'Approvals are paused while trading is halted' : undefined}
                onClick={() => void decide('approve', idea.id, note, { halted })}
              >
                {venue.environment === 'live' ? 'Approve live…' : 'Approve'} <kbd>A</kbd>
              </button>
              {rejecting ? (
                <>
                  <span className="confirm-text">Reject this idea?</span>
                  <button type="button" className="button danger" disabled={!canAct} onClick={reject}>
                    Yes, reject <kbd>Enter</kbd>
                  </button>
                  <button type="button" className="button" onClick={() => setRejecting(false)}>
                    Cancel <kbd>Esc</kbd>
                  </button>
                </>
              ) : (
                <button type="button" className="button danger" disabled={!canAct} onClick={reject}>
                  Reject… <kbd>R</kbd>
                </button>
              )}
            </div>
          )}
        </>
      )}
    </div>
  )
}

function RecentlyWithdrawn() {
  const withdrawn = useIdeasStore((state) => state.withdrawn)
  const select = useIdeasStore((state) => state.select)
  if (withdrawn.length === 0) return null
  return (
    <details className="panel withdrawn" data-testid="recently-withdrawn">
      <summary>Recently withdrawn ({withdrawn.length})</summary>
      <ul>
        {withdrawn.map((idea) => (
          <li key={idea.id}>
            <button type="button" className="link-button" onClick={() => void select(idea.id)}>
              {idea.direction} {idea.symbol} @ {idea.entryPrice}
            </button>
            <span className="muted"> {departureText(idea)}</span>
          </li>
        ))}
      </ul>
    </details>
  )
}

export function TradeIdeas() {
  const { queue, departedAt, incoming, selectedId, select, refresh, refreshMarks, showIncoming, move, loadError } =
    useIdeasStore()
  const halted = useTradingStore((state) => state.risk?.halted ?? false)
  const linked = useNavigationStore((state) => state.item)
  const now = useClock()
  const rows = visibleRows(queue, departedAt, selectedId, now)
  const waitingCount = rows.filter((idea) => departedAt[idea.id] === undefined).length

  useEffect(() => {
    // The idea the URL names (a deep link, a notification, a reload), else the one selected before.
    const first = useNavigationStore.getState().item ?? useIdeasStore.getState().selectedId
    if (first) void useIdeasStore.getState().select(first)
    void refresh(true)
    // Which instance, and so which venue, each row's idea comes from.
    void useStrategiesStore.getState().refresh()
  }, [refresh])
  useEffect(() => {
    if (linked && linked !== useIdeasStore.getState().selectedId) void select(linked)
  }, [linked, select])
  useEffect(() => {
    const timer = setInterval(() => void refreshMarks(), MARKS_EVERY_MS)
    return () => clearInterval(timer)
  }, [refreshMarks])
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = ideaKeyAction(event, { dialogOpen: dialogOpen(), liveArmed: false })
      if (action !== 'next' && action !== 'previous') return
      event.preventDefault()
      const state = useIdeasStore.getState()
      move(action === 'next' ? 1 : -1, visibleRows(state.queue, state.departedAt, state.selectedId, Date.now()))
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [move])

  return (
    <section className="page wide">
      <header className="page-header">
        <h1>Trade Ideas</h1>
        <span className="muted">J/K move · A approve · R reject</span>
      </header>
      {halted && (
        <div className="outcome bad" role="status" data-testid="ideas-halted">
          Approvals are paused while trading is halted; rejecting still works. No idea alerts are raised until trading
          resumes.
        </div>
      )}
      {loadError && <ErrorPanel message={loadError} />}
      <div className="ideas-layout">
        <div className="queue-column">
          <div className="panel queue">
            <h2>Waiting for approval ({waitingCount})</h2>
            {incoming.length > 0 && (
              // Arrivals wait here instead of pushing the rows down under the pointer.
              <button type="button" className="button new-ideas" onClick={showIncoming}>
                {incoming.length} new — show
              </button>
            )}
            {rows.length === 0 ? (
              <p className="muted" data-testid="queue-empty">
                No ideas are waiting. Ideas your strategies propose appear here when the risk config asks for a person.
              </p>
            ) : (
              <ul data-testid="queue">
                {rows.map((idea) => (
                  <QueueRow
                    key={idea.id}
                    idea={idea}
                    now={now}
                    selected={idea.id === selectedId}
                    departed={departedAt[idea.id] !== undefined}
                    onSelect={() => void select(idea.id)}
                  />
                ))}
              </ul>
            )}
          </div>
          <RecentlyWithdrawn />
        </div>
        {/* Keyed by the selection, so a half-typed note or a pending reject never carries over to another idea. */}
        <IdeaDetail key={selectedId ?? 'none'} now={now} halted={halted} />
      </div>
    </section>
  )
}
