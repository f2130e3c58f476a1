import { useState } from 'react'
import {
  UNTRADED_CERTIFICATION,
  type CertifyResult,
  type ExchangeCapabilities,
  type ExchangeKeyView,
} from '../../../../shared/domain'
import { errorMessage } from '../../../../shared/errors'
import { api } from '../../bridge/client'

/**
 * Settings → Exchanges → Certify: the same steps as `tradedeck exchange certify`, with this profile's key, each
 * said in words. A round trip trades the smallest size; on live it needs the trader to tick that it is real money.
 */
export function CertifyExchange({ exchanges, keys }: { exchanges: ExchangeCapabilities[]; keys: ExchangeKeyView[] }) {
  const venues = keys.map((key) => ({ exchange: key.exchange, environment: key.environment }))
  const [venue, setVenue] = useState(venues[0] ? `${venues[0].exchange}:${venues[0].environment}` : '')
  const [instrument, setInstrument] = useState('BTCUSDT')
  const [trade, setTrade] = useState(false)
  const [understands, setUnderstands] = useState(false)
  const [running, setRunning] = useState(false)
  const [result, setResult] = useState<CertifyResult | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [exchange = '', environment = 'testnet'] = venue.split(':')
  const live = environment === 'live'
  const labelOf = (id: string) => exchanges.find((candidate) => candidate.id === id)?.label ?? id
  return (
    <form
      aria-label="Certify an exchange"
      onSubmit={(event) => {
        event.preventDefault()
        setRunning(true)
        setProblem(null)
        setResult(null)
        api
          .exchangesCertify({
            exchange: exchange as CertifyResult['exchange'],
            environment: environment as CertifyResult['environment'],
            instrument: instrument.trim(),
            trade,
            understandsRealMoney: understands,
          })
          .then(setResult, (error: unknown) => setProblem(errorMessage(error)))
          .finally(() => setRunning(false))
      }}
    >
      <h3>Certify</h3>
      <p className="muted">
        Before going live, certify the exchange with this profile&apos;s key: its clock against this machine&apos;s, the
        balance, the market&apos;s steps and minimums, an order lookup by client id, a small post-only buy resting far
        below the price and then cancelled, and, if you ask, the smallest round trip with its stop resting on the
        exchange. Run it on testnet first.
      </p>
      <div className="schema-form">
        <div className="field">
          <label htmlFor="certify-venue">Exchange and key</label>
          <select id="certify-venue" value={venue} onChange={(event) => setVenue(event.target.value)}>
            {venues.map((option) => (
              <option
                key={`${option.exchange}:${option.environment}`}
                value={`${option.exchange}:${option.environment}`}
              >
                {labelOf(option.exchange)} {option.environment}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="certify-instrument">Instrument</label>
          <input id="certify-instrument" value={instrument} onChange={(event) => setInstrument(event.target.value)} />
        </div>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={trade} onChange={(event) => setTrade(event.target.checked)} />
        With a round trip: buy the smallest size, rest its stop, close it
      </label>
      {live && (
        <label className="checkbox tone-bad">
          <input type="checkbox" checked={understands} onChange={(event) => setUnderstands(event.target.checked)} />I
          understand this places orders with real money
        </label>
      )}
      <div className="actions">
        <button type="submit" className="button" disabled={running || !venue || (live && !understands)}>
          {running ? 'Certifying…' : 'Certify'}
        </button>
      </div>
      {problem && (
        <div className="outcome bad" role="alert">
          {problem}
        </div>
      )}
      {result && (
        <div className={`outcome ${result.passed ? 'ok' : 'bad'}`} role="status" aria-label="Certification">
          {labelOf(result.exchange)} {result.environment}:{' '}
          {result.passed
            ? `every step passed${result.traded ? '' : `; ${UNTRADED_CERTIFICATION}: certify with a round trip for that`}.`
            : 'a step failed; nothing after it was tried.'}
          <ul>
            {result.steps.map((step) => (
              <li key={step.name}>
                <strong>
                  {step.ok ? '✓' : '✗'} {step.name}:
                </strong>{' '}
                {step.detail}
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  )
}
