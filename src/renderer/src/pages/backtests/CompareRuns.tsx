import type { BacktestRun } from '../../../../shared/domain'
import { COMPARE_COLOURS, CompareEquityChart } from '../../components/charts/BacktestCharts'
import { STAT_ROWS } from './stat-rows'

/** Two or more runs side by side: every figure in a row, and their equity paths on one chart. */
export function CompareRuns({ runs }: { runs: BacktestRun[] }) {
  return (
    <section className="panel" aria-label="Compare backtests">
      <h2>Comparing {runs.length} runs</h2>
      <table className="data-table" aria-label="Backtest comparison">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            {runs.map((run, index) => (
              <th key={run.id} scope="col" style={{ color: COMPARE_COLOURS[index % COMPARE_COLOURS.length] }}>
                {run.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[
            ['Candles', (run: BacktestRun) => `${run.candles.toLocaleString('en-US')} × ${run.timeframe}`] as const,
            ...STAT_ROWS.map(([label, value]) => [label, (run: BacktestRun) => value(run)] as const),
          ].map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {runs.map((run) => (
                <td key={run.id} className="mono">
                  {value(run)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Equity through each run</h3>
      <CompareEquityChart runs={runs} />
    </section>
  )
}
