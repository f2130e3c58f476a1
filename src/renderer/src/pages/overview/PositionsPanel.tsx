import type { PositionView, TradeView } from '../../../../shared/contract'
import { DataTable } from '../../components/DataTable'

const signed = (value: string) => (value.startsWith('-') ? value : `+${value}`)
const toneOf = (value: string | null) => (value === null ? 'muted' : value.startsWith('-') ? 'tone-bad' : 'tone-ok')
const EXIT_REASON: Record<string, string> = {
  take_profit: 'target',
  stop_loss: 'stop',
  manual: 'by hand',
  strategy: 'strategy',
  expired: 'expired',
  liquidation: 'liquidated',
}

/** What the desk holds now, on paper and on exchanges, and the trades it closed last. */
export function PositionsPanel({ positions, trades }: { positions: PositionView[]; trades: TradeView[] }) {
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
            { header: 'Size', className: 'mono', cell: (position) => position.quantity },
            { header: 'Entry', className: 'mono', cell: (position) => position.averagePrice },
            {
              header: 'Stop / target',
              className: 'mono',
              cell: (position) => `${position.stopLoss ?? '—'} / ${position.takeProfit ?? '—'}`,
            },
            { header: 'Mark', className: 'mono', cell: (position) => position.mark ?? '—' },
            {
              header: 'Open P&L',
              className: (position) => `mono ${toneOf(position.unrealisedPnl)}`,
              cell: (position) => (position.unrealisedPnl === null ? '—' : signed(position.unrealisedPnl)),
            },
          ]}
        />
      )}
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
            { header: 'Size', className: 'mono', cell: (trade) => trade.quantity },
            { header: 'Entry → exit', className: 'mono', cell: (trade) => `${trade.entryPrice} → ${trade.exitPrice}` },
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
              cell: (trade) => signed(trade.netPnl),
            },
          ]}
        />
      )}
    </section>
  )
}
