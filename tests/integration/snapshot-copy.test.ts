import { existsSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { openSqlite, type SqliteDb } from '../../src/main/core/platform/db/sqlite'
import { makePrivateFile } from '../../src/main/core/platform/files/private-files'
import { copyVerified, type CopyHooks } from '../../src/main/core/platform/backups/snapshot-copy'
import { stopBackupWorkers } from '../../src/main/core/platform/backups/worker-pool'
import { sha256Of } from '../helpers/sha256'
import { makeTempDir } from '../helpers/temp-dir'

describe('the verified copy behind every backup', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })
  afterAll(() => stopBackupWorkers())

  /** A live WAL database whose newest rows are only in the WAL (no automatic checkpoint). */
  function liveDatabase(rows: number): { db: SqliteDb; dbPath: string; dir: string } {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    const dbPath = join(dir.path, 'live.sqlite')
    const db = openSqlite(dbPath)
    cleanups.push(() => db.close())
    db.pragma('wal_autocheckpoint = 0')
    db.exec('CREATE TABLE fills (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, price TEXT NOT NULL, note BLOB)')
    addFills(db, rows)
    return { db, dbPath, dir: dir.path }
  }

  function addFills(db: SqliteDb, rows: number): void {
    const insert = db.prepare("INSERT INTO fills (symbol, price, note) VALUES ('BTC-USD', ?, randomblob(300))")
    db.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(String(60000 + i))
    })()
  }

  function walFrames(db: SqliteDb): number {
    // A checkpoint that copies nothing back: it reports how many frames the WAL holds.
    const [state] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[]
    return state?.log ?? 0
  }

  async function copyOf(dbPath: string, dir: string, hooks?: CopyHooks) {
    const path = join(dir, 'copy.sqlite')
    makePrivateFile(path)
    const copy = await copyVerified(dbPath, path, hooks)
    return { path, copy }
  }

  function readCopy(path: string): { count: number; journalMode: string; integrity: string[] } {
    const db = new Database(path, { readonly: true, fileMustExist: true })
    try {
      return {
        count: db.prepare('SELECT COUNT(*) FROM fills').pluck().get() as number,
        journalMode: db.pragma('journal_mode', { simple: true }) as string,
        integrity: db.prepare('PRAGMA integrity_check').pluck().all() as string[],
      }
    } finally {
      db.close()
    }
  }

  it('copies a live database in one pass, rows still in the WAL included, into a file that stands alone', async () => {
    const { db, dbPath, dir } = liveDatabase(3000)
    db.pragma('wal_checkpoint(TRUNCATE)')
    addFills(db, 500)
    const reader = new Database(dbPath, { readonly: true })
    cleanups.push(() => reader.close())

    const { path, copy } = await copyOf(dbPath, dir)

    expect(copy.method).toBe('snapshot')
    expect(copy.inspection.check).toEqual(['ok'])
    expect(copy.inspection.rowCounts.fills).toBe(3500)
    expect(copy.sha256).toBe(sha256Of(path))
    expect(readCopy(path)).toEqual({ count: 3500, journalMode: 'delete', integrity: ['ok'] })
    expect(existsSync(`${path}-wal`)).toBe(false)
  })

  it('stays consistent while the app keeps writing: the recorded counts are the copy’s own', async () => {
    const { db, dbPath, dir } = liveDatabase(20_000)
    const writer = setInterval(() => addFills(db, 50), 1)
    try {
      const { path, copy } = await copyOf(dbPath, dir)
      expect(copy.method).toBe('snapshot')
      const copied = readCopy(path)
      expect(copied.integrity).toEqual(['ok'])
      expect(copied.count).toBe(copy.inspection.rowCounts.fills)
    } finally {
      clearInterval(writer)
    }
    expect(db.prepare('SELECT COUNT(*) FROM fills').pluck().get()).toBeGreaterThan(20_000)
  })

  it('uses SQLite’s backup API when a connection holding an older snapshot keeps the WAL from being checkpointed', async () => {
    const { db, dbPath, dir } = liveDatabase(2000)
    const old = new Database(dbPath, { readonly: true })
    cleanups.push(() => old.close())
    old.exec('BEGIN')
    old.prepare('SELECT COUNT(*) FROM fills').get()
    addFills(db, 700)
    expect(walFrames(db)).toBeGreaterThan(0)

    const { path, copy } = await copyOf(dbPath, dir)

    expect(copy.method).toBe('backup-api')
    expect(copy.fallbackReason).toContain('could not be checkpointed')
    expect(copy.inspection.rowCounts.fills).toBe(2700)
    expect(copy.sha256).toBe(sha256Of(path))
    expect(readCopy(path)).toEqual({ count: 2700, journalMode: 'delete', integrity: ['ok'] })
    old.exec('ROLLBACK')
  })

  it('starts over with SQLite’s backup API when the database file changes under the copy', async () => {
    const { dbPath, dir } = liveDatabase(2000)
    const { path, copy } = await copyOf(dbPath, dir, {
      afterSnapshot: () => {
        const later = new Date(Date.now() + 60_000)
        utimesSync(dbPath, later, later)
      },
    })
    expect(copy.method).toBe('backup-api')
    expect(copy.fallbackReason).toBe('the database file changed while it was copied')
    expect(readCopy(path)).toEqual({ count: 2000, journalMode: 'delete', integrity: ['ok'] })
    expect(copy.sha256).toBe(sha256Of(path))
  })

  it('uses SQLite’s backup API for a database that is not in WAL mode', async () => {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    const dbPath = join(dir.path, 'plain.sqlite')
    const db = new Database(dbPath)
    db.exec(
      "CREATE TABLE fills (id INTEGER PRIMARY KEY, symbol TEXT, price TEXT, note BLOB); INSERT INTO fills (symbol, price) VALUES ('ETH-USD', '3000')",
    )
    db.close()
    const { path, copy } = await copyOf(dbPath, dir.path)
    expect(copy).toMatchObject({ method: 'backup-api', fallbackReason: 'the database is not in WAL mode' })
    expect(readCopy(path)).toEqual({ count: 1, journalMode: 'delete', integrity: ['ok'] })
  })
})
