import { useState } from 'react'
import type { BacktestRun } from '../../../../shared/domain'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { DataTable } from '../../components/DataTable'
import { EquityDrawdownChart, TradesOnCandlesChart } from '../../components/charts/BacktestCharts'
import { useBacktestsStore } from '../../stores/backtests-store'
import { signedTone, STAT_ROWS } from './stat-rows'
import { formatPrice, formatQuote } from '../../../../shared/money'

const TRADES_SHOWN = 500
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })
const EXIT = { stop_loss: 'stop', take_profit: 'target', strategy: 'time exit', end_of_data: 'end of data' } as const

/** One run: its figures, equity and drawdown, its trades on the candles and in a table, and its exports. */
export function RunDetail({ run }: { run: BacktestRun }) {
  const { exportRun, remove } = useBacktestsStore()
  const [confirmDelete, setConfirmDelete] = useState(false)
  const shown = run.trades.slice(-TRADES_SHOWN).reverse()
  // The run's candles were rounded to these decimals, so its prices are shown at them.
  const priceDecimals = Number(run.config.priceDecimals)
  const precision = Number.isInteger(priceDecimals) ? { price: priceDecimals, quantity: null } : null
  return (
    <section className="panel" aria-label={`Backtest ${run.name}`}>
      <header className="panel-header">
        <h2>{run.name}</h2>
        <div className="row-actions">
          <button type="button" className="button" onClick={() => void exportRun(run.id, 'trades_csv')}>
            Export trades (CSV)
          </button>
          <button type="button" className="button" onClick={() => void exportRun(run.id, 'stats_json')}>
            Export figures (JSON)
          </button>
          <button type="button" className="button danger" onClick={() => setConfirmDelete(true)}>
            Delete…
          </button>
        </div>
      </header>
      {confirmDelete && (
        <ConfirmDialog
          title="Delete this backtest?"
          confirmLabel="Delete run"
          danger
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => {
            setConfirmDelete(false)
            void remove(run.id)
          }}
        >
          <p>
            “{run.name}” and its {run.stats.tradeCount} trades go for good. Exports already written to the exports
            folder stay. Running it again with the same settings and seed gives the same figures.
          </p>
        </ConfirmDialog>
      )}
      <p className="muted">
        {run.candles.toLocaleString('en-US')} {run.timeframe} candles of {run.symbol} ({run.source}
        {run.seed !== null ? `, seed ${run.seed}` : ''}) from {when(run.dataFrom)} to {when(run.dataTo)}, run in{' '}
        {(run.durationMs / 1000).toFixed(1)} s by version {run.appVersion}.
      </p>
      <dl className="facts" data-testid="backtest-stats">
        {STAT_ROWS.map(([label, value]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd>{value(run)}</dd>
          </div>
        ))}
      </dl>
      <h3>Equity and drawdown</h3>
      <EquityDrawdownChart equity={run.equity} label={`Equity and drawdown of ${run.name}`} />
      <h3>Entries and exits</h3>
      <TradesOnCandlesChart run={run} />
      <h3>
        Trades
        {run.trades.length > TRADES_SHOWN ? ` (the last ${TRADES_SHOWN} of ${run.trades.length}; the CSV has all)` : ''}
      </h3>
      {run.trades.length === 0 ? (
        <p className="muted">The strategy made no trades on these candles.</p>
      ) : (
        <div className="table-scroll">
          <DataTable
            label="Backtest trades"
            rows={shown}
            rowKey={(trade) => `${trade.entryTs}-${trade.exitTs}`}
            columns={[
              { header: 'Entry', className: 'mono', cell: (trade) => when(trade.entryTs) },
              { header: 'Exit', className: 'mono', cell: (trade) => when(trade.exitTs) },
              { header: 'Side', cell: (trade) => trade.direction },
              {
                header: 'Entry → exit',
                className: 'mono',
                cell: (trade) =>
                  `${formatPrice(trade.entryPrice, precision)} → ${formatPrice(trade.exitPrice, precision)}`,
              },
              { header: 'Why', cell: (trade) => EXIT[trade.exitReason] },
              { header: 'Fees', className: 'mono', cell: (trade) => formatQuote(trade.fees, run.symbol) },
              {
                header: 'Net P&L',
                className: (trade) => `mono ${signedTone(trade.netPnl)}`,
                cell: (trade) => formatQuote(trade.netPnl, run.symbol, { signed: true }),
              },
            ]}
          />
        </div>
      )}
    </section>
  )
}
