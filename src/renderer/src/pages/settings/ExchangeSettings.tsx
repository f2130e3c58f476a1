import { useEffect, useState } from 'react'
import { DOWNLOAD_TIMEFRAMES } from '../../../../shared/contract'
import type { ExchangeCapabilities, ExchangeKeyTest, ExchangeKeyView } from '../../../../shared/domain'
import { errorMessage } from '../../../../shared/errors'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { ErrorPanel } from '../../components/ErrorPanel'
import { ProgressBar } from '../../components/ProgressBar'
import { useExchangesStore } from '../../stores/exchanges-store'
import { Outcome, type OutcomeMessage } from '../../components/Outcome'
import { CertifyExchange } from './CertifyExchange'

const yesNo = (value: boolean) => (value ? 'yes' : 'no')

/** A date picker's "2026-11-01T00:00", read as UTC as its label says; empty stays empty for the core to name. */
function utcPickerToIso(value: string): string {
  if (!value) return ''
  const time = Date.parse(`${value}Z`)
  return Number.isNaN(time) ? value : new Date(time).toISOString()
}

function TestOutcome({ outcome }: { outcome: ExchangeKeyTest | { error: string } | 'testing' | undefined }) {
  if (!outcome) return null
  if (outcome === 'testing') return <p role="status">Asking the exchange…</p>
  if ('error' in outcome)
    return (
      <div className="outcome bad" role="alert">
        {outcome.error}
      </div>
    )
  return (
    <div className="outcome ok" role="status" aria-label="Key test">
      Account {outcome.accountId ?? 'not named by the exchange'}. Balances:{' '}
      {outcome.balances.length === 0
        ? 'none'
        : outcome.balances.map((balance) => `${balance.total} ${balance.currency}`).join(', ')}
      . Can trade: {outcome.canTrade === null ? 'not said' : yesNo(outcome.canTrade)}. Can withdraw:{' '}
      {outcome.canWithdraw === null ? 'not said' : yesNo(outcome.canWithdraw)}.
      {outcome.warnings.map((warning) => (
        <p key={warning} className="field-error">
          {warning}
        </p>
      ))}
    </div>
  )
}

function ExchangeField({
  id,
  exchanges,
  value,
  onChange,
}: {
  id: string
  exchanges: ExchangeCapabilities[]
  value: string
  onChange(exchange: string): void
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Exchange</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {exchanges.map((exchange) => (
          <option key={exchange.id} value={exchange.id}>
            {exchange.label}
          </option>
        ))}
      </select>
    </div>
  )
}

function KeyForm() {
  const { exchanges, saveKey } = useExchangesStore()
  const [form, setForm] = useState({ exchange: 'deribit', environment: 'testnet', apiKey: '', secret: '' })
  const [outcome, setOutcome] = useState<OutcomeMessage | null>(null)
  return (
    <form
      aria-label="Add an exchange key"
      onSubmit={(event) => {
        event.preventDefault()
        setOutcome(null)
        saveKey(form).then(
          () => {
            setForm({ ...form, apiKey: '', secret: '' })
            setOutcome({ tone: 'ok', text: 'Saved, sealed. Use Test to check it with the exchange.' })
          },
          (error: unknown) => setOutcome({ tone: 'bad', text: `Nothing was saved: ${errorMessage(error)}` }),
        )
      }}
    >
      <h3>Add a key</h3>
      <div className="schema-form">
        <ExchangeField
          id="key-exchange"
          exchanges={exchanges}
          value={form.exchange}
          onChange={(exchange) => setForm({ ...form, exchange })}
        />
        <div className="field">
          <label htmlFor="key-environment">Environment</label>
          <select
            id="key-environment"
            value={form.environment}
            onChange={(event) => setForm({ ...form, environment: event.target.value })}
          >
            <option value="testnet">Testnet</option>
            <option value="live">Live (real money)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="key-api">API key</label>
          <input
            id="key-api"
            autoComplete="off"
            spellCheck={false}
            value={form.apiKey}
            onChange={(event) => setForm({ ...form, apiKey: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="key-secret">Secret</label>
          <input
            id="key-secret"
            type="password"
            autoComplete="new-password"
            value={form.secret}
            onChange={(event) => setForm({ ...form, secret: event.target.value })}
          />
        </div>
      </div>
      <Outcome outcome={outcome} />
      <div className="actions">
        <button type="submit" className="button primary">
          Save key
        </button>
      </div>
    </form>
  )
}

function DownloadForm() {
  const { exchanges, download, downloadCandles } = useExchangesStore()
  const [form, setForm] = useState({
    exchange: 'deribit',
    environment: 'live',
    symbol: 'BTC-PERPETUAL',
    timeframe: '1h',
    from: '',
    to: '',
  })
  const [problem, setProblem] = useState<string | null>(null)
  const running = download.state === 'running'
  return (
    <form
      aria-label="Download candle history"
      onSubmit={(event) => {
        event.preventDefault()
        setProblem(null)
        downloadCandles({ ...form, from: utcPickerToIso(form.from), to: utcPickerToIso(form.to) || undefined }).catch(
          (error: unknown) => setProblem(errorMessage(error)),
        )
      }}
    >
      <h3>Download candle history</h3>
      <p className="muted">
        Into the market data backtests read (stored candles), page by page; a candle already stored is kept.
      </p>
      <div className="schema-form">
        <ExchangeField
          id="download-exchange"
          exchanges={exchanges}
          value={form.exchange}
          onChange={(exchange) => setForm({ ...form, exchange })}
        />
        <div className="field">
          <label htmlFor="download-environment">Market</label>
          <select
            id="download-environment"
            value={form.environment}
            onChange={(event) => setForm({ ...form, environment: event.target.value })}
          >
            <option value="live">Live prices</option>
            <option value="testnet">Testnet prices</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="download-symbol">Instrument</label>
          <input
            id="download-symbol"
            value={form.symbol}
            onChange={(event) => setForm({ ...form, symbol: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="download-timeframe">Candle</label>
          <select
            id="download-timeframe"
            value={form.timeframe}
            onChange={(event) => setForm({ ...form, timeframe: event.target.value })}
          >
            {DOWNLOAD_TIMEFRAMES.map((timeframe) => (
              <option key={timeframe}>{timeframe}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="download-from">From (UTC)</label>
          <input
            id="download-from"
            type="datetime-local"
            value={form.from}
            onChange={(event) => setForm({ ...form, from: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="download-to">To (UTC; empty: now)</label>
          <input
            id="download-to"
            type="datetime-local"
            value={form.to}
            onChange={(event) => setForm({ ...form, to: event.target.value })}
          />
        </div>
      </div>
      {running && (
        <ProgressBar
          label={`Downloading: ${download.received.toLocaleString()} candles`}
          fraction={download.fraction}
        />
      )}
      {problem && <div className="outcome bad" role="alert">{`Nothing more was downloaded: ${problem}`}</div>}
      {download.state === 'done' && (
        <div className="outcome ok" role="status">
          {download.result.received.toLocaleString()} {download.result.timeframe} candles of {download.result.symbol}:{' '}
          {download.result.inserted.toLocaleString()} new,{' '}
          {(download.result.received - download.result.inserted).toLocaleString()} already stored.
        </div>
      )}
      <div className="actions">
        <button type="submit" className="button" disabled={running}>
          {running ? 'Downloading…' : 'Download'}
        </button>
      </div>
    </form>
  )
}

/** Settings → Exchanges: what each exchange offers through ccxt, this profile's keys (sealed; never shown again), and candle history downloads. */
function describeSkew(ms: number, windowMs: number | null): string {
  const off = `the exchange's clock is ${Math.abs(ms)} ms ${ms >= 0 ? 'ahead of' : 'behind'} this machine's`
  if (windowMs !== null && Math.abs(ms) >= windowMs)
    return `${off}, more than the ${windowMs / 1000} s it accepts: new entries are refused until this machine's clock is set (turn on automatic time)`
  return `${off}${Math.abs(ms) > 1000 ? ': set this machine’s clock before it drifts further' : ''}`
}

/** The exchange is the truth: compare the desk's orders and positions with it, now, and say what differed. */
function Reconciliation() {
  const { reconciliation, reconcile, exchanges } = useExchangesStore()
  const labelOf = (id: string) => exchanges.find((exchange) => exchange.id === id)?.label ?? id
  return (
    <div className="reconciliation">
      <button
        type="button"
        className="button"
        disabled={reconciliation.state === 'running'}
        onClick={() => void reconcile()}
      >
        {reconciliation.state === 'running' ? 'Reconciling…' : 'Reconcile with the exchanges now'}
      </button>
      <span className="muted">
        {' '}
        Also done at every start and after every reconnect. Each difference is written to the decision history.
      </span>
      {reconciliation.state === 'failed' && <Outcome outcome={{ tone: 'bad', text: reconciliation.error }} />}
      {reconciliation.state === 'done' && (
        <ul className="outcome ok" role="status" aria-label="Reconciliation">
          {reconciliation.reports.map((report) => (
            <li key={`${report.exchange}:${report.environment}`}>
              <strong>
                {labelOf(report.exchange)} {report.environment}:
              </strong>{' '}
              {report.error
                ? `could not be reached: ${report.error}`
                : `${report.differences.length === 0 ? 'the desk and the exchange agree' : report.differences.join(' ')}; ${describeSkew(report.clockSkewMs ?? 0, report.receiveWindowMs)}.`}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export function ExchangeSettings() {
  const { exchanges, keys, tests, error, load, testKey, deleteKey } = useExchangesStore()
  const [deleting, setDeleting] = useState<ExchangeKeyView | null>(null)
  const labelOf = (id: string) => exchanges.find((exchange) => exchange.id === id)?.label ?? id
  useEffect(() => {
    void load()
  }, [load])
  return (
    <section className="panel" aria-label="Exchanges">
      <h2>Exchanges</h2>
      {error && <ErrorPanel doing="Could not load the exchanges" message={error} />}
      <table className="data-table" aria-label="What each exchange offers">
        <thead>
          <tr>
            <th scope="col">Exchange</th>
            <th scope="col">Markets</th>
            <th scope="col">Order types</th>
            <th scope="col">Native stop-loss / take-profit</th>
            <th scope="col">Trailing stop</th>
            <th scope="col">Testnet</th>
            <th scope="col">Shorts</th>
            <th scope="col">Candles</th>
            <th scope="col">Tradedeck trades here</th>
          </tr>
        </thead>
        <tbody>
          {exchanges.map((exchange) => (
            <tr key={exchange.id}>
              <th scope="row">{exchange.label}</th>
              <td>{exchange.markets}</td>
              <td className="mono">{exchange.orderTypes.join(', ')}</td>
              <td>
                {yesNo(exchange.nativeStopLoss)} / {yesNo(exchange.nativeTakeProfit)}
              </td>
              <td>{exchange.trailingStop}</td>
              <td>{yesNo(exchange.testnet)}</td>
              <td>{exchange.longOnly ? 'no: long only' : 'yes'}</td>
              <td>{exchange.streamsCandles ? 'streamed as they form' : 'read each minute'}</td>
              <td>
                {exchange.placesOrders
                  ? `yes: market orders; stop-loss and take-profit ${exchange.nativeStopLoss ? 'held by the exchange' : 'watched by Tradedeck'}`
                  : 'not yet'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Keys of this profile</h3>
      {keys.length === 0 ? (
        <p className="muted">
          No exchange keys yet. Testnet keys first: a key for live trading is never needed to try Tradedeck.
        </p>
      ) : (
        <ul className="key-list" aria-label="Exchange keys">
          {keys.map((key) => (
            <li key={key.id}>
              <strong>{labelOf(key.exchange)}</strong>{' '}
              <span className={key.environment === 'live' ? 'pill bad' : 'pill'}>{key.environment}</span>{' '}
              <span className="mono">{key.label}</span>{' '}
              <button
                type="button"
                className="button"
                disabled={tests[key.id] === 'testing'}
                onClick={() => void testKey(key.id)}
              >
                Test
              </button>{' '}
              <button type="button" className="button danger" onClick={() => setDeleting(key)}>
                Delete
              </button>
              <TestOutcome outcome={tests[key.id]} />
            </li>
          ))}
        </ul>
      )}
      {keys.length > 0 && <Reconciliation />}
      {keys.length > 0 && <CertifyExchange exchanges={exchanges} keys={keys} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete the ${labelOf(deleting.exchange)} ${deleting.environment} key?`}
          confirmLabel="Delete the key"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            void deleteKey(deleting.id)
            setDeleting(null)
          }}
        >
          <p>
            The sealed key <span className="mono">{deleting.label}</span> is erased from this desk. It stays valid at
            the exchange: revoke it there too if you no longer use it.
          </p>
        </ConfirmDialog>
      )}
      <KeyForm />
      <DownloadForm />
    </section>
  )
}
