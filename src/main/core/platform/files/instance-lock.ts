import Database from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

export const LOCK_FILE_NAME = 'tradedeck.lock'
const OWNER_FILE_NAME = 'tradedeck.lock.json'

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner | null,
  ) {
    const who = owner
      ? `${owner.host} (pid ${owner.pid} on ${owner.hostname}, since ${owner.since})`
      : 'another Tradedeck process'
    super(`The data directory ${dataDir} is already in use by ${who}. Close it first, or use another --data-dir.`)
    this.name = 'DataDirLockedError'
  }
}

export interface LockOwner {
  pid: number
  hostname: string
  host: string
  since: string
}

export interface InstanceLock {
  release(): void
}

/**
 * One process owns a data directory at a time. The lock is an exclusive SQLite
 * lock on a small file, i.e. an OS file lock: the kernel drops it when the
 * process dies, so a crash or kill -9 never leaves a stale lock behind, and a
 * reused pid can never keep it alive.
 */
export function acquireInstanceLock(dataDir: string, host: string, nativeBinding?: string): InstanceLock {
  const lockDb = new Database(join(dataDir, LOCK_FILE_NAME), nativeBinding ? { nativeBinding } : {})
  try {
    lockDb.pragma('busy_timeout = 0')
    lockDb.pragma('journal_mode = DELETE')
    lockDb.pragma('locking_mode = EXCLUSIVE')
    lockDb.exec('CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL)')
    lockDb
      .prepare('INSERT INTO owner (id, pid) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid')
      .run(process.pid)
  } catch (error) {
    lockDb.close()
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirLockedError(dataDir, readOwner(dataDir))
    throw error
  }
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), host, since: new Date().toISOString() }
  writeFileSync(join(dataDir, OWNER_FILE_NAME), JSON.stringify(owner), { mode: 0o600 })
  return {
    release() {
      if (lockDb.open) lockDb.close()
    },
  }
}

function readOwner(dataDir: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, OWNER_FILE_NAME), 'utf8')) as LockOwner
  } catch {
    return null
  }
}
