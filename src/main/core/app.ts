import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { HostKind } from '../../shared/contract'
import type { CoreContext } from './context'
import { DB_FILE_NAME } from './data-dir'
import { openSqlite } from './db/sqlite'
import type { HandlerTable } from './dispatch'
import { CoreEvents } from './events'
import { createHandlers } from './handlers'
import { acquireInstanceLock } from './instance-lock'
import { runStartupMigrations } from './startup'
import { sqliteStoreDb } from './store/connection'
import { createStore } from './store/store'
import { TradingRegistry } from './trading/trading-registry'
import { expireWaitingIdeas, snapshotWhileActive } from './trading/background-tasks'

export interface CoreOptions {
  dataDir: string
  host: HostKind
  appVersion: string
  /** better-sqlite3 addon built for Electron, when the host is Electron. */
  nativeBinding?: string
  /** How often waiting ideas are checked for expiry. */
  expiryCheckMs?: number
  /** How often the account is snapshotted while a strategy runs. */
  snapshotEveryMs?: number
}

const DEFAULT_EXPIRY_CHECK_MS = 15_000
const DEFAULT_SNAPSHOT_EVERY_MS = 60_000

export interface Core {
  context: CoreContext
  handlers: HandlerTable
  events: CoreEvents
  /** Runs launch work (pending migrations); hosts call it once their event relays are attached. */
  start(): Promise<void>
  close(): void
}

/**
 * Opens the data directory: takes its lock and opens the database. Each host
 * calls this once and then only talks to the handler table and the events.
 */
export function openCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true })
  const lock = acquireInstanceLock(options.dataDir, options.host, options.nativeBinding)
  const timers: NodeJS.Timeout[] = []
  try {
    const dbPath = join(options.dataDir, DB_FILE_NAME)
    const events = new CoreEvents()
    const db = openSqlite(dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
    const context: CoreContext = {
      appVersion: options.appVersion,
      host: options.host,
      dataDir: options.dataDir,
      dbPath,
      events,
      db,
      store: createStore(sqliteStoreDb(db)),
      startupMigration: { state: 'running' },
      nativeBinding: options.nativeBinding,
      profileId: null,
      trading: new TradingRegistry(() => context.store, events),
    }
    return {
      context,
      events,
      handlers: createHandlers(context),
      async start() {
        await runStartupMigrations(context)
        timers.push(setInterval(() => void expireWaitingIdeas(context), options.expiryCheckMs ?? DEFAULT_EXPIRY_CHECK_MS))
        timers.push(setInterval(() => void snapshotWhileActive(context), options.snapshotEveryMs ?? DEFAULT_SNAPSHOT_EVERY_MS))
        for (const timer of timers) timer.unref()
      },
      close() {
        for (const timer of timers.splice(0)) clearInterval(timer)
        if (context.db.open) context.db.close()
        lock.release()
      },
    }
  } catch (error) {
    lock.release()
    throw error
  }
}
