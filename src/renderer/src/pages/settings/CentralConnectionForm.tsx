import { useEffect, useState } from 'react'
import type { CentralConnectionView } from '../../../../shared/contract'
import { ApiError, errorMessage } from '../../../../shared/errors'
import { useCentralConnectionStore } from '../../stores/central-connection-store'
import { Outcome, type OutcomeMessage } from '../../components/Outcome'

type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full'

interface Form {
  useUrl: boolean
  url: string
  host: string
  port: string
  database: string
  user: string
  sslMode: SslMode
  caFile: string
  password: string
}

const EMPTY: Form = {
  useUrl: false,
  url: '',
  host: '',
  port: '5432',
  database: '',
  user: '',
  sslMode: 'verify-full',
  caFile: '',
  password: '',
}

function formOf(view: CentralConnectionView): Form {
  const c = view.connection
  if (!c) return EMPTY
  return {
    useUrl: Boolean(c.url),
    url: c.url ?? '',
    host: c.host ?? '',
    port: String(c.port ?? 5432),
    database: c.database ?? '',
    user: c.user ?? '',
    sslMode: c.sslMode,
    caFile: c.caFile ?? '',
    password: '',
  }
}

/** What is sent: the typed text as the contract wants it; the core names any wrong field. An empty password keeps the saved one. */
function connectionOf(form: Form) {
  const common = {
    sslMode: form.sslMode,
    ...(form.caFile.trim() ? { caFile: form.caFile.trim() } : {}),
    ...(form.password ? { password: form.password } : {}),
  }
  if (form.useUrl) return { url: form.url.trim(), ...common }
  return {
    host: form.host.trim(),
    port: Number(form.port),
    database: form.database.trim(),
    user: form.user.trim(),
    ...common,
  }
}

/** Settings → PostgreSQL: where the central database is. The password goes in and never comes back out. */
export function CentralConnectionForm() {
  const { view, loadError, load, save: saveConnection, test: testConnection } = useCentralConnectionStore()
  const [form, setForm] = useState<Form>(EMPTY)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [outcome, setOutcome] = useState<OutcomeMessage | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    let live = true
    void load().then((loaded) => {
      // Whatever was typed before the saved connection arrived is kept.
      if (live && loaded) setForm((current) => (current === EMPTY ? formOf(loaded) : current))
    })
    return () => {
      live = false
    }
  }, [load])
  const fail = (error: unknown) => {
    const issues = error instanceof ApiError ? (error.issues ?? []) : []
    setErrors(Object.fromEntries(issues.map((issue) => [String(issue.path.at(-1) ?? ''), issue.message])))
    setOutcome({ tone: 'bad', text: errorMessage(error) })
  }
  const save = async () => {
    setBusy(true)
    try {
      await saveConnection(connectionOf(form))
      setForm({ ...form, password: '' })
      setErrors({})
      setOutcome({ tone: 'ok', text: 'Saved. The password is sealed and will not be shown again.' })
    } catch (error) {
      fail(error)
    } finally {
      setBusy(false)
    }
  }
  const test = async () => {
    setBusy(true)
    try {
      const result = await testConnection(connectionOf(form))
      setErrors({})
      setOutcome({ tone: result.ok ? 'ok' : 'bad', text: result.message })
    } catch (error) {
      fail(error)
    } finally {
      setBusy(false)
    }
  }
  const text = (key: 'url' | 'host' | 'port' | 'database' | 'user' | 'caFile', label: string, placeholder = '') => (
    <div className={errors[key] ? 'field invalid' : 'field'}>
      <label htmlFor={`pg-${key}`}>{label}</label>
      <input
        id={`pg-${key}`}
        value={form[key]}
        placeholder={placeholder}
        aria-invalid={errors[key] ? true : undefined}
        onChange={(event) => setForm({ ...form, [key]: event.target.value })}
      />
      {errors[key] && <span className="field-error">{errors[key]}</span>}
    </div>
  )
  return (
    <form
      aria-label="PostgreSQL connection"
      onSubmit={(event) => {
        event.preventDefault()
        void save()
      }}
    >
      <h3>Central PostgreSQL</h3>
      <p className="muted">
        {view?.configured
          ? 'A connection is saved.'
          : 'Not connected: everything lives in the local SQLite database, which works offline.'}{' '}
        Once it is saved and migrated, Start sync on the Database page copies this desk&apos;s data to it and keeps it
        up to date; SQLite stays the source of truth.
      </p>
      <label className="checkbox plain">
        <input
          type="checkbox"
          checked={form.useUrl}
          onChange={(event) => setForm({ ...form, useUrl: event.target.checked })}
        />
        Use a connection URL
      </label>
      <div className="schema-form">
        {form.useUrl ? (
          text('url', 'Connection URL', 'postgres://user@host:5432/tradedeck')
        ) : (
          <>
            {text('host', 'Host', 'db.example.com')}
            {text('port', 'Port')}
            {text('database', 'Database', 'tradedeck')}
            {text('user', 'User')}
          </>
        )}
        <div className="field">
          <label htmlFor="pg-sslMode">SSL mode</label>
          <select
            id="pg-sslMode"
            value={form.sslMode}
            onChange={(event) => setForm({ ...form, sslMode: event.target.value as SslMode })}
          >
            <option value="verify-full">verify-full (check the certificate and host)</option>
            <option value="verify-ca">verify-ca (check the certificate)</option>
            <option value="require">require (encrypt, no check)</option>
            <option value="disable">disable (no encryption)</option>
          </select>
        </div>
        {text('caFile', 'CA file (for verify modes)', '/path/to/root.crt')}
        <div className="field">
          <label htmlFor="pg-password">Password</label>
          <input
            id="pg-password"
            type="password"
            autoComplete="off"
            value={form.password}
            placeholder={view?.passwordSaved ? 'saved; leave blank to keep it' : ''}
            onChange={(event) => setForm({ ...form, password: event.target.value })}
          />
        </div>
      </div>
      {view?.secretStorage.note && (
        <p className={view.secretStorage.storage === 'basic-text' ? 'tone-warn' : 'muted'}>{view.secretStorage.note}</p>
      )}
      {loadError && !outcome && (
        <div className="outcome bad" role="alert">{`Could not read the saved connection: ${loadError}`}</div>
      )}
      <Outcome outcome={outcome} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          Save connection
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void test()}>
          {busy ? 'Working…' : 'Test connection'}
        </button>
      </div>
    </form>
  )
}
