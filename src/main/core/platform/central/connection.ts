import { readFileSync } from 'node:fs'
import pg from 'pg'
import type { CentralConnectionInput, CentralConnectionView, CentralTestResult } from '../../../../shared/contract'
import { redactCredentials } from '../../../../shared/redact'
import type { Repositories, Store } from '../store/store'
import type { SecretBox } from './secret-box'

const SETTINGS_KEY = 'central.postgres'
const PASSWORD_KEY = 'central.postgres.password'
const CONNECT_TIMEOUT_MS = 5000

/** What is stored in settings: everything but the password, which is sealed separately. */
type StoredConnection = Omit<CentralConnectionInput, 'password'>

export async function readConnection(store: Repositories, secrets: SecretBox): Promise<CentralConnectionView> {
  const stored = await store.settings.get<StoredConnection>(SETTINGS_KEY)
  const sealed = await store.settings.get<string>(PASSWORD_KEY)
  return {
    configured: stored !== null,
    connection: stored,
    passwordSaved: sealed !== null,
    secretStorage: secrets.describe(),
  }
}

/** A connection URL without its password, and the password it carried (null when it had none). */
export function splitUrlPassword(url: string): { url: string; password: string | null } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { url, password: null }
  }
  if (parsed.password === '') return { url, password: null }
  const password = decodeURIComponent(parsed.password)
  parsed.password = ''
  return { url: parsed.toString(), password }
}

/**
 * The connection as it may be stored, audited and shown: a password typed into
 * the URL is taken out of it and treated like one typed into the password field
 * (which wins when both are given).
 */
export function separatePassword(input: CentralConnectionInput): {
  connection: StoredConnection
  password: string | null | undefined
} {
  const { password, ...connection } = input
  if (!connection.url) return { connection, password }
  const split = splitUrlPassword(connection.url)
  return {
    connection: { ...connection, url: split.url },
    password: password !== undefined ? password : (split.password ?? undefined),
  }
}

/**
 * Saves the connection; `password` undefined keeps the saved one, null forgets
 * it. Only the sealed password reaches the disk, and the audit row (which says
 * only whether the password changed) commits with it.
 */
export async function saveConnection(
  store: Pick<Store, 'transaction'>,
  secrets: SecretBox,
  input: CentralConnectionInput,
  actor: string,
): Promise<void> {
  const { connection, password } = separatePassword(input)
  await store.transaction(async (tx) => {
    await tx.settings.set(SETTINGS_KEY, connection)
    if (password === null) await tx.settings.set(PASSWORD_KEY, null)
    else if (password !== undefined) await tx.settings.set(PASSWORD_KEY, secrets.encrypt(password))
    await tx.auditLog.record({
      userId: null,
      actor,
      subject: 'settings',
      action: 'central_connection',
      details: {
        ...connection,
        password: password === undefined ? 'kept' : password === null ? 'forgotten' : 'changed',
      },
    })
  })
}

/**
 * Earlier versions stored a password typed into the URL as it was typed, in
 * settings and in the audit log. This seals it like the password field and
 * scrubs both, in one transaction; it does nothing once they are clean.
 */
export async function sealStoredUrlPassword(
  store: Pick<Store, 'transaction'>,
  secrets: SecretBox,
): Promise<{ sealed: boolean; scrubbedAuditRows: number }> {
  return store.transaction(async (tx) => {
    const stored = await tx.settings.get<StoredConnection>(SETTINGS_KEY)
    let sealed = false
    if (stored?.url) {
      const split = splitUrlPassword(stored.url)
      if (split.password !== null) {
        await tx.settings.set(SETTINGS_KEY, { ...stored, url: split.url })
        // A password saved in the password field is newer than one left in the URL.
        if ((await tx.settings.get<string>(PASSWORD_KEY)) === null)
          await tx.settings.set(PASSWORD_KEY, secrets.encrypt(split.password))
        sealed = true
      }
    }
    const scrubbedAuditRows = await tx.auditLog.redactDetails((details) => {
      const text = JSON.stringify(details)
      const clean = redactCredentials(text)
      return clean === text ? null : (JSON.parse(clean) as Record<string, unknown>)
    })
    return { sealed, scrubbedAuditRows }
  })
}

export async function savedPassword(store: Repositories, secrets: SecretBox): Promise<string | null> {
  const sealed = await store.settings.get<string>(PASSWORD_KEY)
  return sealed ? secrets.decrypt(sealed) : null
}

function withUrlPassword(url: string, password: string): string {
  const parsed = new URL(url)
  parsed.password = encodeURIComponent(password)
  return parsed.toString()
}

/** The pg client config for a saved connection: SSL set exactly as its mode says. */
export function clientConfig(connection: StoredConnection, password: string | null): pg.ClientConfig {
  // pg ignores a separate password when a connection string is given, so the sealed one goes into the string, in memory only.
  const base: pg.ClientConfig = connection.url
    ? { connectionString: password !== null ? withUrlPassword(connection.url, password) : connection.url }
    : {
        host: connection.host ?? '127.0.0.1',
        port: connection.port ?? 5432,
        database: connection.database ?? 'postgres',
        user: connection.user ?? 'postgres',
      }
  if (password !== null && !connection.url) base.password = password
  const ca = connection.caFile ? readFileSync(connection.caFile, 'utf8') : undefined
  const ssl =
    connection.sslMode === 'disable'
      ? false
      : connection.sslMode === 'require'
        ? { rejectUnauthorized: false }
        : // verify-ca checks the chain only; verify-full also checks the host name.
          {
            rejectUnauthorized: true,
            ...(ca ? { ca } : {}),
            ...(connection.sslMode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
          }
  return { ...base, ssl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'tradedeck-test' }
}

/** Turns a driver error into what went wrong and what to do, in plain words. */
export function explainConnectionError(error: unknown): {
  kind: CentralTestResult['failure'] & string
  message: string
} {
  const e = error as { code?: string; message?: string }
  const code = e.code ?? ''
  const detail = redactCredentials(e.message ?? String(error))
  if (code === '28P01' || code === '28000')
    return {
      kind: 'auth',
      message: `PostgreSQL refused the user name or password (${detail}). Check both, and the server's pg_hba.conf.`,
    }
  if (code === '3D000')
    return {
      kind: 'database_missing',
      message: `The database does not exist (${detail}). Create it, or correct its name.`,
    }
  if (/SSL|TLS|certificate|CERT_|self[- ]signed/i.test(`${code} ${detail}`))
    return { kind: 'ssl', message: `The secure connection failed (${detail}). Check the SSL mode and the CA file.` }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(code) ||
    /timeout|terminated unexpectedly/i.test(detail)
  ) {
    return {
      kind: 'network',
      message: `No PostgreSQL server answered (${detail}). Check the host and port, that the server runs, and any firewall in between.`,
    }
  }
  if (code === 'ENOENT') return { kind: 'ssl', message: `The CA file cannot be read (${detail}).` }
  return { kind: 'other', message: `The connection failed: ${detail}` }
}

/** Connects once and reports the server version, the round-trip latency, and whether this role may create tables. */
export async function testConnection(
  connection: StoredConnection,
  password: string | null,
): Promise<CentralTestResult> {
  let client: pg.Client | null = null
  try {
    client = new pg.Client(clientConfig(connection, password))
    await client.connect()
    const version =
      (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown'
    const rounds: number[] = []
    for (let i = 0; i < 3; i++) {
      const started = process.hrtime.bigint()
      await client.query('SELECT 1')
      rounds.push(Number(process.hrtime.bigint() - started) / 1e6)
    }
    const rights = await client.query<{ can_create: boolean; database: string; role: string }>(
      "SELECT has_schema_privilege(current_user, current_schema(), 'CREATE') AS can_create, current_database() AS database, current_user AS role",
    )
    const row = rights.rows[0]
    const latencyMs = Number([...rounds].sort((a, b) => a - b)[1]?.toFixed(1))
    return {
      ok: true,
      serverVersion: version,
      latencyMs,
      canCreateTables: Boolean(row?.can_create),
      message: `Connected to PostgreSQL ${version} as ${row?.role} on ${row?.database}: ${latencyMs} ms round trip; ${row?.can_create ? 'this role may create tables, so Tradedeck can migrate it' : 'this role may not create tables, so an administrator has to migrate it'}.`,
      failure: null,
    }
  } catch (error) {
    const explained = explainConnectionError(error)
    return {
      ok: false,
      serverVersion: null,
      latencyMs: null,
      canCreateTables: null,
      message: explained.message,
      failure: explained.kind,
    }
  } finally {
    await client?.end().catch(() => undefined)
  }
}

/**
 * Where the connection points, for the screen and to recognise the same
 * database however it was entered (URL or host fields): never with the password.
 */
export function describeTarget(connection: StoredConnection): string {
  if (connection.url) {
    const url = new URL(connection.url)
    return `${decodeURIComponent(url.username) || 'postgres'}@${url.hostname}:${url.port || 5432}/${decodeURIComponent(url.pathname.slice(1)) || 'postgres'}`
  }
  return `${connection.user ?? 'postgres'}@${connection.host ?? '127.0.0.1'}:${connection.port ?? 5432}/${connection.database ?? 'postgres'}`
}
