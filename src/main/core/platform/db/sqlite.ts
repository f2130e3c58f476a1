import { existsSync } from 'node:fs'
import { makePrivateFile } from '../files/private-files'
import Database from 'better-sqlite3'
import type { QuickCheck } from '../../../../shared/contract'

export type SqliteDb = Database.Database

export interface OpenSqliteOptions {
  readonly?: boolean
  /** Path to a better-sqlite3 addon built for another runtime (Electron). */
  nativeBinding?: string
  busyTimeoutMs?: number
}

let processNativeBinding: string | undefined

/**
 * Sets the better-sqlite3 addon every connection of this process uses (the
 * Electron host's build); one process has one runtime, so one addon.
 */
export function useNativeBinding(path: string | undefined): void {
  processNativeBinding = path
}

export function nativeBindingInUse(): string | undefined {
  return processNativeBinding
}

/**
 * Opens a database with the settings every Tradedeck connection relies on:
 * WAL, enforced foreign keys, a busy timeout instead of instant SQLITE_BUSY, and
 * full fsync, because this file is a trader's money trail.
 */
export function openSqlite(file: string, options: OpenSqliteOptions = {}): SqliteDb {
  // A new database starts owner-only; SQLite gives its -wal and -shm the same mode.
  if (!options.readonly && file !== ':memory:' && !existsSync(file)) makePrivateFile(file)
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
    ...((options.nativeBinding ?? processNativeBinding)
      ? { nativeBinding: options.nativeBinding ?? processNativeBinding }
      : {}),
  })
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
  if (!options.readonly) {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
  }
  db.pragma('foreign_keys = ON')
  return db
}

export function quickCheck(db: SqliteDb): QuickCheck {
  const rows = db.prepare('PRAGMA quick_check').pluck().all() as string[]
  const ok = rows.length === 1 && rows[0] === 'ok'
  return { ok, messages: rows }
}

export function sqliteVersion(db: SqliteDb): string {
  return db.prepare('SELECT sqlite_version()').pluck().get() as string
}

export function userVersion(db: SqliteDb): number {
  return db.pragma('user_version', { simple: true }) as number
}
