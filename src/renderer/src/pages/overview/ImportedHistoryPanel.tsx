import type { ImportedHistoryView } from '../../../../shared/contract'
import { EquityChart } from '../../components/charts/EquityChart'
import { atPlaces, quoteDecimals } from '../../../../shared/money'

const toneOf = (value: string) => (Number(value) < 0 ? 'bad' : Number(value) > 0 ? 'ok' : '')

/** Trades brought in from other systems: their realised P&L, marked as imported and kept apart from this desk's account. */
export function ImportedHistoryPanel({ imported }: { imported: ImportedHistoryView }) {
  if (imported.trades === 0) return null
  // In the currency the trades share; where they are in several, cents, as for most.
  const places = quoteDecimals(imported.currency ?? 'USD')
  const signed = (value: string) => atPlaces(value, places, { signed: true })
  return (
    <section className="panel" aria-label="Imported history">
      <h2>
        Imported history <span className="pill">imported</span>
      </h2>
      <p className="muted">
        {imported.trades.toLocaleString()} closed trade{imported.trades === 1 ? '' : 's'} from other systems: realised
        P&L <span className={`mono ${toneOf(imported.netPnl)}`}>{signed(imported.netPnl)}</span> after{' '}
        <span className="mono">{atPlaces(imported.fees, places)}</span> in fees. Not part of this desk’s account above.
      </p>
      <table className="data-table" aria-label="Imported sources">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col" className="num">
              Trades
            </th>
            <th scope="col" className="num">
              Realised P&L
            </th>
          </tr>
        </thead>
        <tbody>
          {imported.sources.map((source) => (
            <tr key={source.file}>
              <th scope="row" className="mono">
                {source.file}
              </th>
              <td className="num">{source.trades.toLocaleString()}</td>
              <td className={`num mono ${toneOf(source.netPnl)}`}>{signed(source.netPnl)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <EquityChart
        points={imported.curve}
        label="Imported trades: running realised P&L"
        empty="The running P&L draws from the second imported trade on."
      />
    </section>
  )
}
