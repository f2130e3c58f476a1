import type { PositionView, TradeView } from '../../../shared/contract'

const signed = (value: string) => (value.startsWith('-') ? value : `+${value}`)
const toneOf = (value: string | null) => (value === null ? 'muted' : value.startsWith('-') ? 'tone-bad' : 'tone-ok')
const EXIT_REASON: Record<string, string> = { take_profit: 'target', stop_loss: 'stop', manual: 'by hand', strategy: 'strategy', expired: 'expired', liquidation: 'liquidated' }

/** What the paper account holds now, and the trades it closed last. */
export function PositionsPanel({ positions, trades }: { positions: PositionView[]; trades: TradeView[] }) {
  return (
    <section className="panel" aria-label="Positions and trades">
      <h2>Open positions</h2>
      {positions.length === 0 ? (
        <p className="muted">No open positions.</p>
      ) : (
        <table className="data-table" aria-label="Open positions">
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Side</th>
              <th scope="col">Size</th>
              <th scope="col">Entry</th>
              <th scope="col">Stop / target</th>
              <th scope="col">Mark</th>
              <th scope="col">Open P&amp;L</th>
            </tr>
          </thead>
          <tbody>
            {positions.map((position) => (
              <tr key={position.id}>
                <td className="mono">{position.symbol}</td>
                <td>{position.direction}</td>
                <td className="mono">{position.quantity}</td>
                <td className="mono">{position.averagePrice}</td>
                <td className="mono">
                  {position.stopLoss ?? '—'} / {position.takeProfit ?? '—'}
                </td>
                <td className="mono">{position.mark ?? '—'}</td>
                <td className={`mono ${toneOf(position.unrealisedPnl)}`}>{position.unrealisedPnl === null ? '—' : signed(position.unrealisedPnl)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Recent trades</h2>
      {trades.length === 0 ? (
        <p className="muted">No closed trades yet.</p>
      ) : (
        <table className="data-table" aria-label="Recent trades">
          <thead>
            <tr>
              <th scope="col">Closed</th>
              <th scope="col">Symbol</th>
              <th scope="col">Side</th>
              <th scope="col">Size</th>
              <th scope="col">Entry → exit</th>
              <th scope="col">Exit</th>
              <th scope="col">Net P&amp;L</th>
            </tr>
          </thead>
          <tbody>
            {trades.map((trade) => (
              <tr key={trade.id}>
                <td className="mono">{new Date(trade.closedAt).toLocaleTimeString()}</td>
                <td className="mono">{trade.symbol}</td>
                <td>{trade.direction}</td>
                <td className="mono">{trade.quantity}</td>
                <td className="mono">
                  {trade.entryPrice} → {trade.exitPrice}
                </td>
                <td>{EXIT_REASON[trade.exitReason] ?? trade.exitReason}</td>
                <td className={`mono ${toneOf(trade.netPnl)}`}>{signed(trade.netPnl)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
