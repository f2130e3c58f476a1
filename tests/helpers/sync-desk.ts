import pg from 'pg'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import type { SyncStatusView } from '../../src/shared/contract'
import { sourceWorkerEntry } from './strategy-worker'

/** Quick retries so fault tests take seconds, not minutes. */
export const FAST_SYNC = { idleMs: 50, backoffBaseMs: 50, backoffMaxMs: 400, blockedRecheckMs: 200, batchSize: 500 }

export async function openDesk(dataDir: string): Promise<Core> {
  const core = openCore({
    dataDir,
    host: 'browser',
    appVersion: 'test',
    strategies: { worker: sourceWorkerEntry },
    sync: FAST_SYNC,
  })
  await core.start()
  return core
}

export async function call<T>(core: Core, channel: string, input: unknown = {}): Promise<T> {
  const result = await dispatch(core.handlers, channel, input)
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
  return result.value as T
}

/** Settings → PostgreSQL with host fields and the password sealed, as a trader fills the form. */
export async function connectDesk(
  core: Core,
  url: string,
  overrides: { user?: string; password?: string; port?: number } = {},
): Promise<void> {
  const parsed = new URL(url)
  await call(core, 'central:save', {
    connection: {
      host: parsed.hostname,
      port: overrides.port ?? Number(parsed.port),
      database: parsed.pathname.slice(1),
      user: overrides.user ?? decodeURIComponent(parsed.username),
      sslMode: 'disable',
      password: overrides.password ?? decodeURIComponent(parsed.password),
    },
  })
}

export async function waitFor<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Everything sent: the initial copy finished and the outbox empty. */
export function waitForCaughtUp(core: Core, timeoutMs?: number): Promise<SyncStatusView> {
  return waitFor(
    'sync to catch up',
    () => core.services.sync.status(),
    (status) => status.initialCopy.done && status.lagRows === 0 && status.state === 'idle',
    timeoutMs,
  )
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export const REPLICATED_COUNTS = [
  'users',
  'risk_config',
  'strategies',
  'market_snapshots',
  'trade_ideas',
  'orders',
  'fills',
  'positions',
  'trades',
  'account_snapshots',
  'decision_history',
] as const

export function localCounts(core: Core): Record<string, number> {
  return Object.fromEntries(
    REPLICATED_COUNTS.map((table) => [
      table,
      core.context.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number,
    ]),
  )
}

export async function centralCounts(url: string): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const counts: Record<string, number> = {}
    for (const table of REPLICATED_COUNTS)
      counts[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n)
    return counts
  })
}
