import { useEffect, useState } from 'react'
import {
  LIVE_HELD_AFTER_RESTORE,
  PAUSED_AFTER_RESTORE,
  type AccountSummary,
  type RiskConfig,
  type TradeIdea,
} from '../../../../shared/domain'
import { useTradingStore } from '../../stores/trading-store'
import { useStrategiesStore } from '../../stores/strategies-store'
import { FlattenAndHalt } from './FlattenAndHalt'
import { DataTable } from '../../components/DataTable'
import Decimal from 'decimal.js'

function signed(value: string): string {
  return value.startsWith('-') ? value : `+${value}`
}

function money(value: string): string {
  const number = Number(value)
  return Number.isFinite(number)
    ? number.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : value
}

function age(from: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(from)) / 60_000))
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** Halting is one reasoned step; resuming too, because both are recorded with who and why. */
function ReasonForm({
  label,
  confirmLabel,
  danger,
  onSubmit,
}: {
  label: string
  confirmLabel: string
  danger?: boolean
  onSubmit(reason: string): Promise<boolean>
}) {
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const busy = useTradingStore((state) => state.busy)
  if (!open) {
    return (
      <button type="button" className={danger ? 'button danger' : 'button primary'} onClick={() => setOpen(true)}>
        {label}
      </button>
    )
  }
  return (
    <form
      className="reason-form"
      onSubmit={(event) => {
        event.preventDefault()
        void onSubmit(reason).then((ok) => ok && (setOpen(false), setReason('')))
      }}
    >
      <input
        aria-label="Reason"
        placeholder="Why? (recorded in the decision history)"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        autoFocus
      />
      <button
        type="submit"
        className={danger ? 'button danger' : 'button primary'}
        disabled={busy || reason.trim().length < 3}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  )
}

/** Live instances a restore paused: they wait for the trader, who resumes them from Strategies once the positions are reviewed. */
export function LiveHeldBanner() {
  const instances = useStrategiesStore((state) => state.instances)
  useEffect(() => {
    void useStrategiesStore.getState().refresh()
  }, [])
  const held = instances.filter(
    (instance) => instance.status === 'paused' && instance.lastAction === PAUSED_AFTER_RESTORE,
  )
  if (held.length === 0) return null
  return (
    <div className="banner warn" role="alert" data-testid="live-held-banner">
      <strong>{LIVE_HELD_AFTER_RESTORE}</strong>{' '}
      <span className="muted">
        {held.map((instance) => `${instance.instrument} on ${instance.broker}`).join(', ')}: resume each from
        Strategies.
      </span>
    </div>
  )
}

export function HaltBanner({ risk }: { risk: RiskConfig }) {
  const resume = useTradingStore((state) => state.resume)
  if (!risk.halted) return null
  return (
    <div className="banner bad" role="alert" data-testid="halt-banner">
      <div>
        <strong>Trading is halted.</strong> {risk.lastHaltReason ?? 'No reason was given.'}
        {risk.haltedAt && <span className="muted"> Since {new Date(risk.haltedAt).toLocaleString()}.</span>}
      </div>
      <ReasonForm label="Resume…" confirmLabel="Resume trading" onSubmit={resume} />
    </div>
  )
}

export function AccountPanel({ account, risk }: { account: AccountSummary; risk: RiskConfig }) {
  const drawdownLimit = risk.maxDrawdownAmount
  const drawdownShare = drawdownLimit ? Number(account.drawdown) / Number(drawdownLimit) : 0
  const facts: [string, string, string?][] = [
    ['Equity', money(account.equity)],
    [
      "Today's P&L",
      signed(money(account.todayRealisedPnl)),
      Number(account.todayRealisedPnl) < 0 ? 'bad' : Number(account.todayRealisedPnl) > 0 ? 'ok' : undefined,
    ],
    [
      'Drawdown from today’s peak',
      `${money(account.drawdown)}${drawdownLimit ? ` of ${money(drawdownLimit)}` : ' (no limit set)'}`,
      drawdownShare >= 0.8 ? 'bad' : drawdownShare >= 0.5 ? 'warn' : undefined,
    ],
    ['Open positions', String(account.openPositions)],
    ['Unrealised P&L', signed(money(account.unrealisedPnl))],
    [
      'AI trading',
      risk.aiTradingEnabled ? `On, from confidence ${risk.minConfidenceThreshold}` : 'Off: every idea waits for you',
    ],
  ]
  return (
    <div className="panel" data-testid="account-panel">
      <header className="panel-header">
        <h2>Paper account</h2>
        <div className="row-actions">
          {!risk.halted && (
            <ReasonForm
              label="Halt trading…"
              confirmLabel="Halt now"
              danger
              onSubmit={useTradingStore.getState().halt}
            />
          )}
          <FlattenAndHalt />
        </div>
      </header>
      <dl className="facts">
        {facts.map(([label, value, tone]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd
              className={tone ? `tone-${tone}` : undefined}
              data-testid={`account-${label.toLowerCase().replace(/[^a-z]+/g, '-')}`}
            >
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  )
}

/** Each exchange venue's day as its limits read it: the desk's P&L there, realised and open, and the drawdown from its peak. */
export function VenueAccountsPanel({ venues, risk }: { venues: AccountSummary[]; risk: RiskConfig }) {
  if (venues.length === 0) return null
  const limits = [
    risk.maxDailyLoss ? `a day's loss of ${money(risk.maxDailyLoss)}` : null,
    risk.maxDrawdownAmount && risk.haltOnDrawdown ? `a drawdown of ${money(risk.maxDrawdownAmount)}` : null,
  ].filter(Boolean)
  return (
    <section className="panel" aria-label="Exchange accounts">
      <h2>Exchange accounts</h2>
      <p className="muted">
        {limits.length > 0
          ? `Trading halts when any one venue reaches ${limits.join(' or ')}.`
          : 'No daily loss or drawdown limit is set: live trading needs both (Settings → Risk).'}
      </p>
      <DataTable
        label="Exchange accounts"
        rows={venues}
        rowKey={(venue) => `${venue.broker} ${venue.environment}`}
        columns={[
          {
            header: 'Venue',
            cell: (venue) => (
              <span className={venue.environment === 'live' ? 'pill bad' : 'pill'}>
                {venue.broker} · {venue.environment}
              </span>
            ),
          },
          {
            header: 'Today (realised + open)',
            className: 'mono',
            cell: (venue) => signed(money(new Decimal(venue.todayRealisedPnl).plus(venue.unrealisedPnl).toString())),
          },
          { header: 'Realised today', className: 'mono', cell: (venue) => signed(money(venue.todayRealisedPnl)) },
          { header: 'Open P&L', className: 'mono', cell: (venue) => signed(money(venue.unrealisedPnl)) },
          { header: 'Drawdown from today’s peak', className: 'mono', cell: (venue) => money(venue.drawdown) },
          { header: 'Open positions', className: 'mono', cell: (venue) => String(venue.openPositions) },
        ]}
      />
    </section>
  )
}

export function WaitingIdeasPanel({ waiting, now }: { waiting: TradeIdea[]; now: number }) {
  const oldest = waiting.at(-1)
  return (
    <div className="panel" data-testid="waiting-panel">
      <header className="panel-header">
        <h2>Waiting for approval</h2>
      </header>
      {waiting.length === 0 ? (
        <p className="muted">No ideas are waiting for you.</p>
      ) : (
        <p>
          <strong data-testid="waiting-count">{waiting.length}</strong> idea{waiting.length === 1 ? '' : 's'} waiting;
          the oldest for {oldest ? age(oldest.createdAt, now) : '—'}.
        </p>
      )}
    </div>
  )
}
