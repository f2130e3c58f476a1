import { useState } from 'react'
import type { PositionView, TradeView } from '../../../../shared/contract'
import { errorMessage } from '../../../../shared/errors'
import { api } from '../../bridge/client'
import { DataTable } from '../../components/DataTable'
import { ManagePosition } from './ManagePosition'
import { formatPrice, formatQuantity, formatQuote, type Precision } from '../../../../shared/money'

const priceOrDash = (value: string | null, precision: Precision | null) =>
  value === null ? '—' : formatPrice(value, precision)
const toneOf = (value: string | null) => (value === null ? 'muted' : value.startsWith('-') ? 'tone-bad' : 'tone-ok')
const EXIT_REASON: Record<string, string> = {
  take_profit: 'target',
  stop_loss: 'stop',
  manual: 'by hand',
  strategy: 'strategy',
  expired: 'expired',
  liquidation: 'liquidated',
}

const PROTECTION: Record<PositionView['protection'], string> = {
  exchange: 'stop on the exchange',
  watched: 'watched by Tradedeck',
  none: 'yours: no stop',
}

/** "Protect with a stop at …" for a position the trader opened outside Tradedeck; what they typed stays on a refusal. */
function ProtectForm({ position }: { position: PositionView }) {
  const [open, setOpen] = useState(false)
  const [stopLoss, setStopLoss] = useState('')
  const [takeProfit, setTakeProfit] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  if (!open)
    return (
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Protect…
      </button>
    )
  const submit = async () => {
    setBusy(true)
    setError(null)
    try {
      await api.positionsProtect({
        id: position.id,
        stopLoss,
        takeProfit: takeProfit.trim() === '' ? null : takeProfit,
      })
      setOpen(false)
    } catch (failure) {
      setError(errorMessage(failure))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form
      className="row-actions"
      onSubmit={(event) => {
        event.preventDefault()
        void submit()
      }}
    >
      <label htmlFor={`protect-stop-${position.id}`}>Stop at</label>
      <input
        id={`protect-stop-${position.id}`}
        value={stopLoss}
        onChange={(event) => setStopLoss(event.target.value)}
      />
      <label htmlFor={`protect-target-${position.id}`}>Target (optional)</label>
      <input
        id={`protect-target-${position.id}`}
        value={takeProfit}
        onChange={(event) => setTakeProfit(event.target.value)}
      />
      <button type="submit" className="button" disabled={busy || stopLoss.trim() === ''}>
        Protect
      </button>
      <button type="button" className="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  )
}

/** What the desk holds now, on paper and on exchanges, and the trades it closed last. */
export function PositionsPanel({ positions, trades }: { positions: PositionView[]; trades: TradeView[] }) {
  const [managing, setManaging] = useState<string | null>(null)
  const managed = positions.find((position) => position.id === managing) ?? null
  return (
    <section className="panel" aria-label="Positions and trades">
      <h2>Open positions</h2>
      {positions.length === 0 ? (
        <p className="muted">No open positions.</p>
      ) : (
        <DataTable
          label="Open positions"
          rows={positions}
          rowKey={(position) => position.id}
          columns={[
            { header: 'Symbol', className: 'mono', cell: (position) => position.symbol },
            {
              header: 'Venue',
              cell: (position) =>
                position.venue === 'paper' ? (
                  <span className="muted">paper</span>
                ) : (
                  <span className={position.venue.endsWith('live') ? 'pill bad' : 'pill'}>{position.venue}</span>
                ),
            },
            { header: 'Side', cell: (position) => position.direction },
            {
              header: 'Size',
              className: 'mono',
              cell: (position) => formatQuantity(position.quantity, position.precision),
            },
            {
              header: 'Entry',
              className: 'mono',
              cell: (position) => formatPrice(position.averagePrice, position.precision),
            },
            {
              header: 'Stop / target',
              className: 'mono',
              cell: (position) =>
                `${priceOrDash(position.stopLoss, position.precision)} / ${priceOrDash(position.takeProfit, position.precision)}`,
            },
            {
              header: 'Protection',
              cell: (position) =>
                position.protection === 'none' ? (
                  <span>
                    <span className="pill bad">{PROTECTION.none}</span> <ProtectForm position={position} />
                  </span>
                ) : (
                  <span className="muted">{PROTECTION[position.protection]}</span>
                ),
            },
            {
              header: 'Mark',
              className: 'mono',
              cell: (position) => priceOrDash(position.mark, position.precision),
            },
            {
              header: 'Open P&L',
              className: (position) => `mono ${toneOf(position.unrealisedPnl)}`,
              cell: (position) =>
                position.unrealisedPnl === null
                  ? '—'
                  : formatQuote(position.unrealisedPnl, position.symbol, { signed: true }),
            },
            {
              header: '',
              cell: (position) =>
                position.protection === 'none' ? null : (
                  <button
                    type="button"
                    className="button"
                    aria-label={`Manage ${position.direction} ${position.quantity} ${position.symbol} on ${position.venue}`}
                    aria-pressed={managing === position.id}
                    onClick={() => setManaging(managing === position.id ? null : position.id)}
                  >
                    Manage
                  </button>
                ),
            },
          ]}
        />
      )}
      {managed && <ManagePosition key={managed.id} position={managed} onDone={() => setManaging(null)} />}
      <h2>Recent trades</h2>
      {trades.length === 0 ? (
        <p className="muted">No closed trades yet.</p>
      ) : (
        <DataTable
          label="Recent trades"
          rows={trades}
          rowKey={(trade) => trade.id}
          columns={[
            {
              header: 'Closed',
              className: 'mono',
              cell: (trade) =>
                trade.importedFrom
                  ? new Date(trade.closedAt).toLocaleString()
                  : new Date(trade.closedAt).toLocaleTimeString(),
            },
            { header: 'Symbol', className: 'mono', cell: (trade) => trade.symbol },
            { header: 'Side', cell: (trade) => trade.direction },
            { header: 'Size', className: 'mono', cell: (trade) => formatQuantity(trade.quantity, trade.precision) },
            {
              header: 'Entry → exit',
              className: 'mono',
              cell: (trade) =>
                `${formatPrice(trade.entryPrice, trade.precision)} → ${formatPrice(trade.exitPrice, trade.precision)}`,
            },
            { header: 'Exit', cell: (trade) => EXIT_REASON[trade.exitReason] ?? trade.exitReason },
            {
              header: 'Source',
              cell: (trade) =>
                trade.importedFrom ? (
                  <span className="pill" title={`Imported from ${trade.importedFrom}`}>
                    imported: {trade.importedFrom}
                  </span>
                ) : (
                  <span className="muted">this desk</span>
                ),
            },
            {
              header: 'Net P&L',
              className: (trade) => `mono ${toneOf(trade.netPnl)}`,
              cell: (trade) => formatQuote(trade.netPnl, trade.symbol, { signed: true }),
            },
          ]}
        />
      )}
    </section>
  )
}
