import { useNavigationStore } from '../../stores/navigation-store'

/** What a new desk shows first: where to begin, on paper, with nothing to connect. */
export function StartHere() {
  const go = useNavigationStore((state) => state.go)
  return (
    <section className="panel start-here" aria-label="Start here">
      <h2>Start here</h2>
      <ol>
        <li>
          <strong>Run a strategy on paper.</strong> Create an instance in Strategies and start it: it trades a simulated
          market, so no exchange or key is needed, and its ideas wait for you in Trade Ideas.{' '}
          <button type="button" className="link" onClick={() => go('strategies')}>
            Open Strategies
          </button>
        </li>
        <li>
          <strong>Or bring your history.</strong> Import the trades of Freqtrade or another system in Settings → Import;
          they show here and in Decision History.{' '}
          <button type="button" className="link" onClick={() => go('settings')}>
            Open Settings
          </button>
        </li>
        <li>
          <strong>Or test an idea first.</strong> A backtest replays history as fast as the machine allows and touches
          nothing live.{' '}
          <button type="button" className="link" onClick={() => go('backtests')}>
            Open Backtests
          </button>
        </li>
      </ol>
    </section>
  )
}
