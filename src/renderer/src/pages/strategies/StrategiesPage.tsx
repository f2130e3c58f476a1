import { useEffect, useState } from 'react'
import {
  defaultInstanceName,
  INSTANCE_NAME_MAX,
  liveLimitsInWords,
  type StrategyKindInfo,
  type StrategyView,
} from '../../../../shared/domain'
import { useTradingStore } from '../../stores/trading-store'
import { CsvImport } from './CsvImport'
import { timeAgo } from '../../format'
import { FORM_TIMEFRAME, shortLivedIdeasWarning, TIMEFRAME_MS, type Timeframe } from '../../../../shared/timeframes'
import { shownStatus } from './shown-status'
import { useClock } from '../../hooks/use-clock'
import { SchemaForm, defaultValues, toConfig, type FormValues, type ObjectSchema } from './SchemaForm'
import { inapplicableFields } from './applicable-fields'
import { useStrategiesStore, type StrategyAction } from '../../stores/strategies-store'
import { ErrorPanel } from '../../components/ErrorPanel'
import { DataTable } from '../../components/DataTable'

function StatusPill({ instance, now }: { instance: StrategyView; now: number }) {
  const shown = shownStatus(instance, now)
  return <span className={`pill ${shown.tone}`}>{shown.label}</span>
}

function RowActions({ instance, onEdit }: { instance: StrategyView; onEdit(): void }) {
  const { act, remove, busyId, openLogs, logsFor } = useStrategiesStore()
  const [confirmStop, setConfirmStop] = useState(false)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const [confirmLive, setConfirmLive] = useState<'start' | 'resume' | null>(null)
  const [typed, setTyped] = useState('')
  const risk = useTradingStore((state) => state.risk)
  const busy = busyId === instance.id
  const run = (action: StrategyAction) => {
    setConfirmStop(false)
    if (instance.environment === 'live' && (action === 'start' || action === 'resume')) {
      setTyped('')
      setConfirmLive(action)
      return
    }
    void act(instance.id, action)
  }
  const name = instance.name
  const stopped = instance.status === 'stopped' || instance.status === 'error'
  if (confirmLive) {
    const expected = `${instance.broker} ${instance.instrument}`
    return (
      <form
        className="row-actions"
        onSubmit={(event) => {
          event.preventDefault()
          setConfirmLive(null)
          void act(instance.id, confirmLive, typed)
        }}
      >
        <label className="confirm-text" htmlFor={`confirm-live-${instance.id}`}>
          Live, real money{risk ? `, under these limits: ${liveLimitsInWords(risk)}` : ''}. Type “{expected}”:
        </label>
        <input
          id={`confirm-live-${instance.id}`}
          value={typed}
          autoComplete="off"
          autoFocus
          onChange={(event) => setTyped(event.target.value)}
        />
        <button
          type="submit"
          className="button danger"
          disabled={typed.trim().toLowerCase().replace(/\s+/g, ' ') !== expected.toLowerCase()}
          aria-label={`Confirm ${confirmLive} ${name} live`}
        >
          {confirmLive === 'start' ? 'Start live' : 'Resume live'}
        </button>
        <button type="button" className="button" onClick={() => setConfirmLive(null)}>
          Cancel
        </button>
      </form>
    )
  }
  if (confirmStop) {
    return (
      <div className="row-actions">
        <span className="confirm-text">Stop it? It will not restart by itself.</span>
        <button type="button" className="button danger" onClick={() => run('stop')} aria-label={`Confirm stop ${name}`}>
          Stop
        </button>
        <button type="button" className="button" onClick={() => setConfirmStop(false)}>
          Keep running
        </button>
      </div>
    )
  }
  if (confirmDelete) {
    return (
      <div className="row-actions">
        <span className="confirm-text">Delete it? Its decisions stay in Decision History.</span>
        <button
          type="button"
          className="button danger"
          disabled={busy}
          onClick={() => {
            setConfirmDelete(false)
            void remove(instance.id)
          }}
          aria-label={`Confirm delete ${name}`}
        >
          Delete
        </button>
        <button type="button" className="button" onClick={() => setConfirmDelete(false)}>
          Keep it
        </button>
      </div>
    )
  }
  return (
    <div className="row-actions">
      {stopped && (
        <button
          type="button"
          className="button primary"
          disabled={busy}
          onClick={() => run('start')}
          aria-label={`Start ${name}`}
        >
          Start
        </button>
      )}
      {instance.status === 'active' && (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => run('pause')}
          aria-label={`Pause ${name}`}
        >
          Pause
        </button>
      )}
      {instance.status === 'paused' && (
        <button
          type="button"
          className="button primary"
          disabled={busy}
          onClick={() => run('resume')}
          aria-label={`Resume ${name}`}
        >
          Resume
        </button>
      )}
      {(instance.status === 'active' || instance.status === 'paused') && (
        <button
          type="button"
          className="button danger"
          disabled={busy}
          onClick={() => setConfirmStop(true)}
          aria-label={`Stop ${name}`}
        >
          Stop
        </button>
      )}
      <button
        type="button"
        className="button"
        aria-pressed={logsFor === instance.id}
        onClick={() => void openLogs(logsFor === instance.id ? null : instance.id)}
        aria-label={`Logs of ${name}`}
      >
        Logs
      </button>
      {instance.status !== 'active' && (
        <button type="button" className="button" disabled={busy} onClick={onEdit} aria-label={`Edit ${name}`}>
          Edit
        </button>
      )}
      {stopped && (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => setConfirmDelete(true)}
          aria-label={`Delete ${name}`}
        >
          Delete
        </button>
      )}
    </div>
  )
}

function InstancesTable({ now, onEdit }: { now: number; onEdit(id: string): void }) {
  const { instances, loading, loadError, venues } = useStrategiesStore()
  const venueLabel = (instance: StrategyView) =>
    instance.broker === 'paper'
      ? 'Paper'
      : (venues.find((venue) => venue.broker === instance.broker)?.label.replace(/ (testnet|live).*$/, '') ??
        instance.broker)
  if (loadError) return <ErrorPanel doing="Could not load the strategy instances" message={loadError} />
  if (loading) return <div className="panel muted-panel">Loading strategy instances…</div>
  if (instances.length === 0)
    return (
      <div className="panel muted-panel">
        No strategy instances yet. Create one below: the synthetic feed works without any market connection.
      </div>
    )
  return (
    <div className="panel table-panel">
      <DataTable
        label="Strategy instances"
        rows={instances}
        rowKey={(instance) => instance.id}
        columns={[
          {
            header: 'Status',
            cell: (instance) => (
              <>
                <StatusPill instance={instance} now={now} />
                {instance.lastAction === 'resumed_after_restart' && instance.status === 'active' && (
                  <span className="marker">resumed after restart</span>
                )}
              </>
            ),
          },
          { header: 'Name', cell: (instance) => instance.name },
          { header: 'Kind', cell: (instance) => instance.kindLabel },
          { header: 'Symbol', className: 'mono', cell: (instance) => instance.instrument },
          { header: 'Candle', className: 'mono', cell: (instance) => String(instance.config.timeframe ?? '—') },
          { header: 'Venue', cell: venueLabel },
          {
            header: 'Environment',
            className: (instance) => (instance.environment === 'live' ? 'tone-bad' : ''),
            cell: (instance) => instance.environment,
          },
          {
            header: 'Heartbeat',
            className: (instance) => (instance.stale ? 'tone-warn mono' : 'mono'),
            cell: (instance) => (instance.status === 'active' ? timeAgo(instance.lastHeartbeat, now) : '—'),
          },
          {
            header: 'Errors',
            className: (instance) => (instance.errorCount > 0 ? 'tone-bad' : 'muted'),
            title: (instance) => instance.errorMessage ?? undefined,
            cell: (instance) => (
              <>
                {instance.errorCount}
                {instance.errorMessage && <span className="last-error"> · {instance.errorMessage}</span>}
                {shownStatus(instance, now).reason && (
                  <span className="last-error"> · {shownStatus(instance, now).reason}</span>
                )}
                {instance.retryAt && (
                  <span className="last-error">
                    {' '}
                    · retry in {Math.max(0, Math.ceil((Date.parse(instance.retryAt) - now) / 1000))} s
                  </span>
                )}
              </>
            ),
          },
          {
            header: 'Actions',
            hiddenHeader: true,
            cell: (instance) => <RowActions instance={instance} onEdit={() => onEdit(instance.id)} />,
          },
        ]}
      />
    </div>
  )
}

function LogsDrawer({ now }: { now: number }) {
  const { logsFor, logs, instances, openLogs } = useStrategiesStore()
  const instance = instances.find((candidate) => candidate.id === logsFor)
  if (!logsFor || !instance) return null
  return (
    <aside className="panel logs-drawer" aria-label={`Logs of ${instance.name}`}>
      <div className="panel-header">
        <h2>Logs · {instance.name}</h2>
        <button type="button" className="button" onClick={() => void openLogs(null)}>
          Close logs
        </button>
      </div>
      {logs.length === 0 ? (
        <p className="muted">No log lines yet.</p>
      ) : (
        <ol className="log-lines">
          {logs.map((line) => (
            <li key={line.id} className={`log-${line.level}`}>
              <span className="mono muted" title={line.ts}>
                {timeAgo(line.ts, now)}
              </span>
              <span className="log-level">{line.level}</span>
              <span>{line.message}</span>
            </li>
          ))}
        </ol>
      )}
    </aside>
  )
}

/** An instance's name, with the core's refusal (a name in use) beside it. */
function NameField(props: {
  id: string
  value: string
  onChange(value: string): void
  error: string | undefined
  placeholder?: string
}) {
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <label htmlFor={props.id}>Name</label>
      <input
        id={props.id}
        value={props.value}
        maxLength={INSTANCE_NAME_MAX}
        placeholder={props.placeholder}
        onChange={(event) => props.onChange(event.target.value)}
        aria-invalid={props.error ? true : undefined}
      />
      {props.error && <span className="field-error">{props.error}</span>}
    </div>
  )
}

function CreateInstance() {
  const { kinds } = useStrategiesStore()
  const [kindName, setKindName] = useState('')
  const [instrument, setInstrument] = useState('BTC-USD')
  const kind = kinds.find((candidate) => candidate.name === kindName) ?? kinds[0]
  if (!kind) return <div className="panel muted-panel">Loading strategy kinds…</div>
  // Keyed by kind so a different kind starts from its own defaults.
  return (
    <CreateForm
      key={kind.name}
      kind={kind}
      kinds={kinds}
      onKindChange={setKindName}
      instrument={instrument}
      onInstrumentChange={setInstrument}
    />
  )
}

interface CreateFormProps {
  kind: StrategyKindInfo
  kinds: StrategyKindInfo[]
  onKindChange: (name: string) => void
  instrument: string
  onInstrumentChange: (instrument: string) => void
}

function CreateForm({ kind, kinds, onKindChange, instrument, onInstrumentChange }: CreateFormProps) {
  const { create, venues } = useStrategiesStore()
  const schema = kind.configSchema as ObjectSchema
  // A paper instance starts on the short candle that brings ideas within minutes; an exchange's shortest is 1m.
  const [values, setValues] = useState<FormValues>(() => ({
    ...defaultValues(schema),
    timeframe: FORM_TIMEFRAME.paper,
  }))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [saving, setSaving] = useState(false)
  const [venueKey, setVenueKey] = useState('paper:paper')
  const [confirmation, setConfirmation] = useState('')
  const [name, setName] = useState('')
  const venue = venues.find((option) => `${option.broker}:${option.environment}` === venueKey) ?? venues[0]
  const live = venue?.environment === 'live'
  const shortLived = shortLivedIdeasWarning(values)
  const hidden = inapplicableFields(values, venue?.broker ?? 'paper')
  const suggestedName = defaultInstanceName(kind.label, instrument.trim(), values.timeframe)
  const submit = async () => {
    setSaving(true)
    const result = await create({
      strategyName: kind.name,
      ...(name.trim() ? { name: name.trim() } : {}),
      instrument: instrument.trim(),
      config: toConfig(schema, values, hidden),
      broker: venue?.broker ?? 'paper',
      environment: venue?.environment ?? 'paper',
      ...(live ? { confirmation } : {}),
    })
    setErrors(result)
    if (Object.keys(result).length === 0) {
      setConfirmation('')
      setName('')
    }
    setSaving(false)
  }
  return (
    <form
      className="panel create-form"
      aria-label="New strategy instance"
      onSubmit={(event) => {
        event.preventDefault()
        void submit()
      }}
    >
      <h2>New instance</h2>
      <div className="field-row">
        <NameField id="new-name" value={name} onChange={setName} error={errors.name} placeholder={suggestedName} />
        <div className="field">
          <label htmlFor="new-kind">Strategy kind</label>
          <select id="new-kind" value={kind.name} onChange={(event) => onKindChange(event.target.value)}>
            {kinds.map((option) => (
              <option key={option.name} value={option.name}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className={errors.instrument ? 'field invalid' : 'field'}>
          <label htmlFor="new-instrument">Instrument</label>
          <input
            id="new-instrument"
            value={instrument}
            onChange={(event) => onInstrumentChange(event.target.value)}
            aria-invalid={errors.instrument ? true : undefined}
          />
          {errors.instrument && <span className="field-error">{errors.instrument}</span>}
        </div>
        <div className={errors.broker || errors.environment ? 'field invalid' : 'field'}>
          <label htmlFor="new-venue">Venue</label>
          <select
            id="new-venue"
            value={venueKey}
            onChange={(event) => {
              setVenueKey(event.target.value)
              const onExchange = !event.target.value.endsWith(':paper')
              const candleMs = TIMEFRAME_MS[values.timeframe as Timeframe]
              if (onExchange && candleMs !== undefined && candleMs < TIMEFRAME_MS[FORM_TIMEFRAME.exchange])
                setValues({ ...values, timeframe: FORM_TIMEFRAME.exchange })
            }}
          >
            {venues.map((option) => (
              <option key={`${option.broker}:${option.environment}`} value={`${option.broker}:${option.environment}`}>
                {option.label}
              </option>
            ))}
          </select>
          {(errors.broker || errors.environment) && (
            <span className="field-error">{errors.broker ?? errors.environment}</span>
          )}
        </div>
        {live && (
          <div className={errors.confirmation ? 'field invalid' : 'field'}>
            <label htmlFor="new-confirmation">
              Type “{venue?.broker} {instrument.trim()}” to confirm live trading
            </label>
            <input
              id="new-confirmation"
              value={confirmation}
              autoComplete="off"
              onChange={(event) => setConfirmation(event.target.value)}
              aria-invalid={errors.confirmation ? true : undefined}
            />
            {errors.confirmation && <span className="field-error">{errors.confirmation}</span>}
          </div>
        )}
        <p className="muted kind-description">{kind.description}</p>
      </div>
      <SchemaForm schema={schema} values={values} errors={errors} onChange={setValues} idPrefix="new" hidden={hidden} />
      {shortLived && (
        <p className="form-warning" role="status" data-testid="short-lived-warning">
          {shortLived}
        </p>
      )}
      {errors[''] && (
        <p className="field-error" role="alert">
          {errors['']}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? 'Creating…' : 'Create instance'}
        </button>
        <span className="muted">{venue?.note}</span>
      </div>
    </form>
  )
}

/** Name and settings of an instance that is not running; its kind, symbol and venue are what it is, so they stay. */
function EditInstance({ instance, onDone }: { instance: StrategyView; onDone(): void }) {
  const { kinds, update } = useStrategiesStore()
  const kind = kinds.find((candidate) => candidate.name === instance.strategyName)
  const schema = (kind?.configSchema ?? {}) as ObjectSchema
  const [name, setName] = useState(instance.name)
  const [values, setValues] = useState<FormValues>(() => ({
    ...defaultValues(schema),
    ...Object.fromEntries(Object.entries(instance.config).map(([key, value]) => [key, String(value)])),
  }))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [saving, setSaving] = useState(false)
  const hidden = inapplicableFields(values, instance.broker)
  const submit = async () => {
    setSaving(true)
    const result = await update(instance.id, { name: name.trim(), config: toConfig(schema, values, hidden) })
    setSaving(false)
    setErrors(result)
    if (Object.keys(result).length === 0) onDone()
  }
  return (
    <form
      className="panel create-form"
      aria-label={`Edit ${instance.name}`}
      onSubmit={(event) => {
        event.preventDefault()
        void submit()
      }}
    >
      <h2>Edit {instance.name}</h2>
      <p className="muted">
        {instance.kindLabel} on <span className="mono">{instance.instrument}</span>, {instance.broker}{' '}
        {instance.environment}. Its kind, symbol and venue stay; a different one is a new instance.
      </p>
      <div className="field-row">
        <NameField id="edit-name" value={name} onChange={setName} error={errors.name} />
      </div>
      <SchemaForm
        schema={schema}
        values={values}
        errors={errors}
        onChange={setValues}
        idPrefix="edit"
        hidden={hidden}
      />
      {errors[''] && (
        <p className="field-error" role="alert">
          {errors['']}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}

export function Strategies() {
  const { refresh, loadKinds, outcome, instances } = useStrategiesStore()
  const [editing, setEditing] = useState<string | null>(null)
  // The form edits what the trader chose; if that instance starts meanwhile, the form goes rather than edit a running one.
  const edited = instances.find((instance) => instance.id === editing && instance.status !== 'active')
  const now = useClock()
  useEffect(() => {
    void refresh()
    void loadKinds()
  }, [refresh, loadKinds])
  return (
    <section className="page wide">
      <header className="page-header">
        <h1>Strategies</h1>
      </header>
      {outcome && (
        <div className={`outcome ${outcome.tone}`} role="status">
          {outcome.message}
        </div>
      )}
      <InstancesTable now={now} onEdit={setEditing} />
      <LogsDrawer now={now} />
      {edited ? <EditInstance key={edited.id} instance={edited} onDone={() => setEditing(null)} /> : <CreateInstance />}
      <CsvImport />
    </section>
  )
}
