import { useEffect } from 'react'
import { DataTable } from '../../components/DataTable'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useBacktestsStore } from '../../stores/backtests-store'
import { CompareRuns } from './CompareRuns'
import { RunDetail } from './RunDetail'
import { RunForm } from './RunForm'
import { annualisedRatio, meaningfulRatio, signedTone } from './stat-rows'

/** Strategies over history, as fast as the machine allows, apart from everything live. */
export function Backtests() {
  const { runs, loadError, selectedId, details, compareIds, outcome, load, select, toggleCompare } = useBacktestsStore()
  useEffect(() => {
    void load()
  }, [load])
  const selected = selectedId ? details[selectedId] : undefined
  const compared = compareIds.map((id) => details[id]).filter((run) => run !== undefined)
  return (
    <section className="page wide">
      <header className="page-header">
        <h1>Backtests</h1>
      </header>
      <RunForm />
      {outcome && (
        <div className={`outcome ${outcome.tone}`} role={outcome.tone === 'bad' ? 'alert' : 'status'}>
          {outcome.text}
        </div>
      )}
      {loadError && <ErrorPanel doing="Could not load the backtests" message={loadError} />}
      <section className="panel" aria-label="Backtest runs">
        <h2>Runs</h2>
        {runs.length === 0 ? (
          <p className="muted">No backtests yet. Run one above: a synthetic market needs no data.</p>
        ) : (
          <DataTable
            label="Backtest runs"
            rows={runs}
            rowKey={(run) => run.id}
            columns={[
              {
                header: 'Compare',
                cell: (run) => (
                  <input
                    type="checkbox"
                    aria-label={`Compare ${run.name}`}
                    checked={compareIds.includes(run.id)}
                    onChange={() => void toggleCompare(run.id)}
                  />
                ),
              },
              {
                header: 'Run',
                cell: (run) => (
                  <button
                    type="button"
                    className={run.id === selectedId ? 'link-button selected' : 'link-button'}
                    aria-current={run.id === selectedId || undefined}
                    onClick={() => void select(run.id)}
                  >
                    {run.name}
                  </button>
                ),
              },
              { header: 'Candles', className: 'mono', cell: (run) => run.candles.toLocaleString('en-US') },
              { header: 'Trades', className: 'mono', cell: (run) => run.stats.tradeCount },
              {
                header: 'Net P&L',
                className: (run) => `mono ${signedTone(run.stats.netPnl)}`,
                cell: (run) => Number(run.stats.netPnl).toFixed(2),
              },
              { header: 'Max DD', className: 'mono', cell: (run) => `${run.stats.maxDrawdownPct.toFixed(2)}%` },
              {
                header: 'Sharpe',
                className: 'mono',
                // The list has room for a figure only; the detail says why a short run has none.
                title: (run) => annualisedRatio(run, run.stats.sharpe),
                cell: (run) => (meaningfulRatio(run) ? annualisedRatio(run, run.stats.sharpe) : '—'),
              },
              {
                header: 'When',
                className: 'mono',
                cell: (run) =>
                  new Date(run.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }),
              },
            ]}
          />
        )}
      </section>
      {compared.length >= 2 && <CompareRuns runs={compared} />}
      {compareIds.length === 1 && <p className="muted">Tick one more run to compare them side by side.</p>}
      {selected && <RunDetail run={selected} />}
    </section>
  )
}
