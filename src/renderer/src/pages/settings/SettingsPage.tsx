import { useEffect, useState } from 'react'
import type { AuditEntryView, SettingsView } from '../../../../shared/contract'
import type { RiskConfig, RiskConfigPatch } from '../../../../shared/domain'
import { ApiError, errorMessage } from '../../../../shared/errors'
import { ErrorPanel } from '../../components/ErrorPanel'
import { HistoryImport } from './HistoryImport'
import { NotificationSettings } from './NotificationSettings'
import { ExchangeSettings } from './ExchangeSettings'
import { CentralConnectionForm } from './CentralConnectionForm'
import { useSettingsStore } from '../../stores/settings-store'
import { useTradingStore } from '../../stores/trading-store'
import { DataTable } from '../../components/DataTable'
import { Outcome, type OutcomeMessage } from '../../components/Outcome'
import { fieldInWords } from '../../../../shared/error-words'

/** The risk config as the form holds it: text for what a person types, so nothing typed is lost on an error. */
interface RiskForm {
  aiTradingEnabled: boolean
  minConfidenceThreshold: string
  maxLotSize: string
  maxConcurrentTrades: string
  dailyProfitTarget: string
  stopAfterTarget: boolean
  maxDrawdownAmount: string
  maxOrderNotional: string
  maxDailyNotional: string
  maxDailyLoss: string
  haltOnDrawdown: boolean
  allowOffWatchlistAutotrade: boolean
  watchlist: string
  dayBoundaryTimezone: string
}

function formOf(risk: RiskConfig): RiskForm {
  return {
    aiTradingEnabled: risk.aiTradingEnabled,
    minConfidenceThreshold: String(risk.minConfidenceThreshold),
    maxLotSize: risk.maxLotSize,
    maxConcurrentTrades: String(risk.maxConcurrentTrades),
    dailyProfitTarget: risk.dailyProfitTarget ?? '',
    stopAfterTarget: risk.stopAfterTarget,
    maxDrawdownAmount: risk.maxDrawdownAmount ?? '',
    maxOrderNotional: risk.maxOrderNotional ?? '',
    maxDailyNotional: risk.maxDailyNotional ?? '',
    maxDailyLoss: risk.maxDailyLoss ?? '',
    haltOnDrawdown: risk.haltOnDrawdown,
    allowOffWatchlistAutotrade: risk.allowOffWatchlistAutotrade,
    watchlist: risk.watchlist.join(', '),
    dayBoundaryTimezone: risk.dayBoundaryTimezone,
  }
}

const numberOrText = (text: string): number | string =>
  text.trim() !== '' && !Number.isNaN(Number(text)) ? Number(text) : text

/** Only what changed goes to the core; its validation names any wrong field. */
function patchOf(form: RiskForm, saved: RiskForm): RiskConfigPatch {
  const patch: Record<string, unknown> = {}
  for (const key of Object.keys(form) as (keyof RiskForm)[]) {
    if (form[key] === saved[key]) continue
    const value = form[key]
    if (typeof value === 'boolean') patch[key] = value
    else if (key === 'minConfidenceThreshold' || key === 'maxConcurrentTrades') patch[key] = numberOrText(value)
    else if (
      key === 'dailyProfitTarget' ||
      key === 'maxDrawdownAmount' ||
      key === 'maxOrderNotional' ||
      key === 'maxDailyNotional' ||
      key === 'maxDailyLoss'
    )
      patch[key] = value.trim() === '' ? null : value.trim()
    else if (key === 'watchlist')
      patch[key] = value
        .split(',')
        .map((symbol) => symbol.trim())
        .filter(Boolean)
    else patch[key] = value.trim()
  }
  return patch as RiskConfigPatch
}

const TEXT_FIELDS: {
  key: Exclude<keyof RiskForm, 'aiTradingEnabled' | 'stopAfterTarget' | 'haltOnDrawdown' | 'allowOffWatchlistAutotrade'>
  label: string
  hint: string
}[] = [
  { key: 'minConfidenceThreshold', label: 'Minimum confidence to auto-execute', hint: '0 to 1' },
  { key: 'maxLotSize', label: 'Largest size per trade', hint: 'e.g. 0.5' },
  { key: 'maxConcurrentTrades', label: 'Most open trades at once', hint: 'whole number' },
  { key: 'dailyProfitTarget', label: 'Daily profit target', hint: 'blank for none' },
  { key: 'maxDrawdownAmount', label: 'Largest drawdown from the day’s peak', hint: 'blank for none' },
  { key: 'maxOrderNotional', label: 'Most one order may be worth (size × price)', hint: 'blank for no cap' },
  { key: 'maxDailyNotional', label: 'Most the day’s orders may be worth together', hint: 'blank for no cap' },
  {
    key: 'maxDailyLoss',
    label: 'Largest loss in a day on any one venue (realised and open); halts trading',
    hint: 'blank for none',
  },
  { key: 'watchlist', label: 'Watchlist', hint: 'symbols, separated by commas' },
  { key: 'dayBoundaryTimezone', label: 'Trading day starts at midnight in', hint: 'e.g. Europe/Amsterdam' },
]

const CHECKBOXES: {
  key: 'aiTradingEnabled' | 'stopAfterTarget' | 'haltOnDrawdown' | 'allowOffWatchlistAutotrade'
  label: string
}[] = [
  { key: 'aiTradingEnabled', label: 'AI trading: execute confident ideas without asking' },
  { key: 'stopAfterTarget', label: 'Halt for the day when the profit target is reached' },
  { key: 'haltOnDrawdown', label: 'Halt when the drawdown limit is reached' },
  { key: 'allowOffWatchlistAutotrade', label: 'Auto-execute symbols off the watchlist too' },
]

function RiskSettings({ risk }: { risk: RiskConfig }) {
  const updateRisk = useTradingStore((state) => state.updateRisk)
  const saved = formOf(risk)
  const [form, setForm] = useState<RiskForm>(saved)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [outcome, setOutcome] = useState<OutcomeMessage | null>(null)
  const [saving, setSaving] = useState(false)
  const patch = patchOf(form, saved)
  const changed = Object.keys(patch).length > 0
  const save = async () => {
    setSaving(true)
    setOutcome(null)
    try {
      const updated = await updateRisk(patch)
      setErrors({})
      setForm(formOf(updated))
      setOutcome({
        tone: 'ok',
        text: `Saved ${Object.keys(patch).length} change${Object.keys(patch).length === 1 ? '' : 's'}; the audit log below records them.`,
      })
    } catch (error) {
      const issues = error instanceof ApiError ? (error.issues ?? []) : []
      setErrors(Object.fromEntries(issues.map((issue) => [String(issue.path.at(-1) ?? ''), issue.message])))
      setOutcome({ tone: 'bad', text: `Nothing was saved: ${errorMessage(error)}` })
    } finally {
      setSaving(false)
    }
  }
  return (
    <form
      className="panel"
      aria-label="Risk limits"
      onSubmit={(event) => {
        event.preventDefault()
        void save()
      }}
    >
      <header className="panel-header">
        <h2>Risk limits</h2>
        {risk.halted && <span className="pill bad">Trading halted</span>}
      </header>
      <Outcome outcome={outcome} />
      <div className="checkbox-list">
        {CHECKBOXES.map(({ key, label }) => (
          <label key={key} className="checkbox plain">
            <input
              type="checkbox"
              checked={form[key]}
              onChange={(event) => setForm({ ...form, [key]: event.target.checked })}
            />
            {label}
          </label>
        ))}
      </div>
      <div className="schema-form">
        {TEXT_FIELDS.map(({ key, label, hint }) => (
          <div key={key} className={errors[key] ? 'field invalid' : 'field'}>
            <label htmlFor={`risk-${key}`}>{label}</label>
            <input
              id={`risk-${key}`}
              value={form[key]}
              placeholder={hint}
              aria-invalid={errors[key] ? true : undefined}
              aria-describedby={errors[key] ? `risk-${key}-error` : undefined}
              onChange={(event) => setForm({ ...form, [key]: event.target.value })}
            />
            {errors[key] && (
              <span id={`risk-${key}-error`} className="field-error">
                {errors[key]}
              </span>
            )}
          </div>
        ))}
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={!changed || saving}>
          {saving ? 'Saving…' : 'Save risk limits'}
        </button>
        <button type="button" className="button" disabled={!changed || saving} onClick={() => setForm(saved)}>
          Discard changes
        </button>
      </div>
    </form>
  )
}

function describeChange(entry: AuditEntryView): string {
  const changes = Object.entries(entry.details)
    .filter(([, value]) => typeof value === 'object' && value !== null && 'from' in value && 'to' in value)
    .map(([key, value]) => {
      const { from, to } = value as { from: unknown; to: unknown }
      return `${fieldInWords([key])}: ${JSON.stringify(from)} → ${JSON.stringify(to)}`
    })
  if (changes.length > 0) return changes.join('; ')
  const file = entry.details.file ?? entry.details.restoredFrom
  return typeof file === 'string' ? file : ''
}

function AuditLog({ entries }: { entries: AuditEntryView[] }) {
  return (
    <section className="panel table-panel" aria-label="Audit log">
      <h2>Audit log</h2>
      {entries.length === 0 ? (
        <p className="muted">No changes recorded yet.</p>
      ) : (
        <DataTable
          label="Audit entries"
          rows={entries}
          rowKey={(entry) => String(entry.id)}
          columns={[
            {
              header: 'When',
              className: 'mono',
              cell: (entry) =>
                new Date(entry.occurredAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }),
            },
            { header: 'Who', cell: (entry) => (entry.actor.startsWith('human:') ? 'You' : entry.actor) },
            {
              header: 'What',
              cell: (entry) => `${entry.subject.replace('_', ' ')} · ${entry.action.replace('_', ' ')}`,
            },
            { header: 'Change', className: 'mono audit-change', cell: describeChange },
          ]}
        />
      )}
    </section>
  )
}

function Places({ view }: { view: SettingsView }) {
  const openDataFolder = useSettingsStore((state) => state.openDataFolder)
  return (
    <section className="panel" aria-label="Profile and data">
      <h2>Profile and data</h2>
      <dl className="facts">
        <div className="fact">
          <dt>Profile</dt>
          <dd>{view.profile.displayName}</dd>
        </div>
        <div className="fact wide">
          <dt>Data directory</dt>
          <dd className="mono">{view.dataDir}</dd>
        </div>
      </dl>
      {view.host === 'electron' && (
        <button
          type="button"
          className="button"
          onClick={() => void openDataFolder().catch((error: unknown) => window.alert(errorMessage(error)))}
        >
          Open folder
        </button>
      )}
      <CentralConnectionForm />
    </section>
  )
}

export function Settings() {
  const { risk, refresh: refreshTrading } = useTradingStore()
  const { view, error, load } = useSettingsStore()
  useEffect(() => {
    void load()
    void refreshTrading()
  }, [load, refreshTrading])
  return (
    <section className="page wide">
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      {error && <ErrorPanel doing="Could not load the settings" message={error} />}
      {!risk || !view ? (
        !error && <div className="panel muted-panel">Loading settings…</div>
      ) : (
        <>
          <RiskSettings risk={risk} />
          <NotificationSettings />
          <ExchangeSettings />
          <AuditLog entries={view.audit} />
          <Places view={view} />
          <HistoryImport />
        </>
      )}
    </section>
  )
}
