import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { HostKind } from '../../shared/contract'
import type { CoreContext } from './context'
import { DB_FILE_NAME } from './data-dir'
import { openSqlite, type SqliteDb } from './db/sqlite'
import type { HandlerTable } from './dispatch'
import { CoreEvents } from './events'
import { createHandlers } from './handlers'
import { acquireInstanceLock, type InstanceLock } from './instance-lock'
import { runStartupMigrations } from './startup'

export interface CoreOptions {
  dataDir: string
  host: HostKind
  appVersion: string
  /** better-sqlite3 addon built for Electron, when the host is Electron. */
  nativeBinding?: string
}

export interface Core {
  context: CoreContext
  handlers: HandlerTable
  events: CoreEvents
  close(): void
}

/**
 * Opens the data directory and everything that lives on it. Each host calls
 * this once and then only talks to the returned handler table and events.
 */
export function openCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true })
  const lock: InstanceLock = acquireInstanceLock(options.dataDir, options.host, options.nativeBinding)
  let db: SqliteDb | undefined
  try {
    const dbPath = join(options.dataDir, DB_FILE_NAME)
    const events = new CoreEvents()
    db = openSqlite(dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
    const context: CoreContext = {
      appVersion: options.appVersion,
      host: options.host,
      dataDir: options.dataDir,
      dbPath,
      events,
      startupMigration: { state: 'ok', applied: [], backupPath: null },
    }
    context.startupMigration = runStartupMigrations(context, db)
    const openDb = db
    return {
      context,
      events,
      handlers: createHandlers(context, openDb),
      close() {
        if (openDb.open) openDb.close()
        lock.release()
      },
    }
  } catch (error) {
    db?.close()
    lock.release()
    throw error
  }
}
