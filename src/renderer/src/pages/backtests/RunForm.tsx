import { useEffect, useState } from 'react'
import { CANDLE_TIMEFRAMES } from '../../../../shared/contract'
import { useBacktestsStore, type BacktestForm } from '../../stores/backtests-store'
import { useStrategiesStore } from '../../stores/strategies-store'
import { ProgressBar } from '../../components/ProgressBar'
import { SchemaForm, defaultValues, toConfig, type FormValues, type ObjectSchema } from '../strategies/SchemaForm'
import { inapplicableFields } from '../strategies/applicable-fields'

/**
 * Settings of a kind that a backtest sets itself or never uses: its candles and their length come
 * from the form above, and nobody approves anything in a replay, so expiry and entry tolerance do not apply.
 */
const SET_BY_THE_RUN = ['feed', 'timeframe', 'seed', 'ideaExpiryMinutes', 'ideaExpiryCandles', 'entryToleranceR']

interface FormText {
  kind: string
  symbol: string
  timeframe: (typeof CANDLE_TIMEFRAMES)[number]
  source: 'synthetic' | 'stored'
  seed: string
  candles: string
  from: string
  to: string
  name: string
  startingEquity: string
}

const INITIAL: FormText = {
  kind: 'ema_crossover',
  symbol: 'BTC-USD',
  timeframe: '1m',
  source: 'synthetic',
  seed: '42',
  candles: '100000',
  from: '',
  to: '',
  name: '',
  startingEquity: '10000',
}

/** The kind's settings that apply to this run: on stored candles, the synthetic market's first price does not. */
function hiddenSettings(form: FormText, settings: FormValues): Set<string> {
  const hidden = inapplicableFields(settings, 'paper')
  for (const key of SET_BY_THE_RUN) hidden.add(key)
  if (form.source === 'stored') hidden.add('startPrice')
  return hidden
}

/** What is sent: the typed text as the contract wants it; the core names any wrong field. */
function requestOf(form: FormText, schema: ObjectSchema, settings: FormValues): BacktestForm {
  const base = {
    kind: form.kind,
    symbol: form.symbol.trim(),
    timeframe: form.timeframe,
    source: form.source,
    config: toConfig(schema, settings, hiddenSettings(form, settings)),
    ...(form.startingEquity.trim() ? { startingEquity: form.startingEquity.trim() } : {}),
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
  }
  if (form.source === 'synthetic') return { ...base, seed: Number(form.seed), candles: Number(form.candles) }
  const iso = (value: string) => (value ? new Date(value).toISOString() : undefined)
  return { ...base, ...(form.from ? { from: iso(form.from) } : {}), ...(form.to ? { to: iso(form.to) } : {}) }
}

/** Run a strategy over history: a seeded synthetic market, or candles imported on the Strategies page. */
export function RunForm() {
  const { kinds, loadKinds } = useStrategiesStore()
  const { running, run, cancel } = useBacktestsStore()
  const [form, setForm] = useState<FormText>(INITIAL)
  const [errors, setErrors] = useState<Record<string, string>>({})
  useEffect(() => {
    void loadKinds()
  }, [loadKinds])
  const schema = (kinds.find((kind) => kind.name === form.kind)?.configSchema ?? {}) as ObjectSchema
  // Each kind's settings as typed, kept per kind, so switching back and forth loses nothing.
  const [settingsByKind, setSettingsByKind] = useState<Record<string, FormValues>>({})
  // Sized by risk unless the trader says otherwise: a fixed size of 1 is a whole bitcoin on a 10,000 account.
  const settings = settingsByKind[form.kind] ?? { ...defaultValues(schema), sizing: 'risk' }
  const setSettings = (values: FormValues) => setSettingsByKind({ ...settingsByKind, [form.kind]: values })
  const set = <K extends keyof FormText>(key: K, value: FormText[K]) => setForm({ ...form, [key]: value })
  const field = (key: keyof FormText, label: string, input: React.ReactNode) => (
    <div className={errors[key] ? 'field invalid' : 'field'}>
      <label htmlFor={`bt-${key}`}>{label}</label>
      {input}
      {errors[key] && <span className="field-error">{errors[key]}</span>}
    </div>
  )
  const text = (
    key: 'symbol' | 'seed' | 'candles' | 'name' | 'startingEquity',
    label: string,
    inputMode?: 'numeric' | 'decimal',
  ) =>
    field(
      key,
      label,
      <input
        id={`bt-${key}`}
        value={form[key]}
        inputMode={inputMode}
        aria-invalid={errors[key] ? true : undefined}
        onChange={(event) => set(key, event.target.value)}
      />,
    )
  const progress = running && running.total ? Math.min(1, running.candles / running.total) : null
  return (
    <form
      className="panel"
      aria-label="New backtest"
      onSubmit={(event) => {
        event.preventDefault()
        void run(requestOf(form, schema, settings)).then(setErrors)
      }}
    >
      <h2>New backtest</h2>
      <div className="field-row">
        {field(
          'kind',
          'Strategy',
          <select id="bt-kind" value={form.kind} onChange={(event) => set('kind', event.target.value)}>
            {(kinds.length > 0 ? kinds : [{ name: 'ema_crossover', label: 'EMA crossover' }]).map((kind) => (
              <option key={kind.name} value={kind.name}>
                {kind.label}
              </option>
            ))}
          </select>,
        )}
        {text('symbol', 'Instrument')}
        {field(
          'timeframe',
          'Candle length',
          <select
            id="bt-timeframe"
            value={form.timeframe}
            onChange={(event) => set('timeframe', event.target.value as FormText['timeframe'])}
          >
            {CANDLE_TIMEFRAMES.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </select>,
        )}
        {field(
          'source',
          'Candles',
          <select
            id="bt-source"
            value={form.source}
            onChange={(event) => set('source', event.target.value as FormText['source'])}
          >
            <option value="synthetic">Synthetic market (seeded)</option>
            <option value="stored">Stored (imported CSV)</option>
          </select>,
        )}
        {form.source === 'synthetic' ? (
          <>
            {text('seed', 'Seed', 'numeric')}
            {text('candles', 'Number of candles', 'numeric')}
          </>
        ) : (
          <>
            {field(
              'from',
              'From (optional)',
              <input
                id="bt-from"
                type="datetime-local"
                value={form.from}
                onChange={(event) => set('from', event.target.value)}
              />,
            )}
            {field(
              'to',
              'To (optional)',
              <input
                id="bt-to"
                type="datetime-local"
                value={form.to}
                onChange={(event) => set('to', event.target.value)}
              />,
            )}
          </>
        )}
        {text('startingEquity', 'Starting capital', 'decimal')}
        {text('name', 'Name (optional)')}
      </div>
      <h3>{kinds.find((kind) => kind.name === form.kind)?.label ?? 'Strategy'} settings</h3>
      <SchemaForm
        schema={schema}
        values={settings}
        errors={errors}
        onChange={setSettings}
        idPrefix="bt-setting"
        hidden={hiddenSettings(form, settings)}
      />
      {errors[''] && (
        <p className="field-error" role="alert">
          {errors['']}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={running !== null}>
          Run backtest
        </button>
        {running && (
          <>
            <ProgressBar label="Backtest progress" fraction={progress} className="wide" />
            <span className="muted">{running.message}</span>
            <button type="button" className="button danger" onClick={() => void cancel()}>
              Cancel
            </button>
          </>
        )}
        <span className="muted">
          Fills as on paper: the next candle&apos;s open, 2 bp slippage, 4 bp fees. Nothing live is touched.
        </span>
      </div>
    </form>
  )
}
