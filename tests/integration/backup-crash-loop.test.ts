import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCatalogue } from '../../src/main/core/platform/backups/catalogue'
import { reconcileBackups } from '../../src/main/core/platform/backups/reconcile'
import { backupDirFor } from '../../src/main/core/platform/backups/sqlite-backup'
import { sha256Of } from '../helpers/sha256'
import { makeTempDir } from '../helpers/temp-dir'
import { mulberry32 } from '../helpers/seeded-random'
import { bundledMigrations } from '../../src/main/core/platform/migrations/manifest'

const LATEST = Math.max(...bundledMigrations.sqlite.map((def) => def.version))

const ROOT = join(__dirname, '..', '..')
const BIN = join(ROOT, 'bin', 'tradedeck.cjs')
const RUNS = 60
const TABLES = ['users', 'strategies', 'market_snapshots', 'trade_ideas', 'decision_history']

type Operation = 'backup' | 'restore' | 'rollback'

function tradedeck(args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TRADEDECK_DATA_DIR: '' },
  })
}

/** Runs one CLI operation and SIGKILLs it after `killAfterMs`, unless it finished first. */
function runAndKill(args: string[], killAfterMs: number): Promise<{ killed: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: 'ignore',
      env: { ...process.env, TRADEDECK_DATA_DIR: '' },
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.once('exit', (_code, signal) => {
      clearTimeout(timer)
      resolve({ killed: signal === 'SIGKILL', ms: Date.now() - started })
    })
  })
}

describe('kill -9 at random points of backup, restore and rollback', () => {
  const dir = makeTempDir()
  const dataDir = dir.path
  const dbPath = join(dataDir, 'tradedeck.sqlite')
  let expectedCounts: Record<string, number>
  let restoreFrom: string

  function inspect(): { integrity: string[]; counts: Record<string, number>; version: number } {
    const db = new Database(dbPath)
    try {
      return {
        integrity: db.prepare('PRAGMA integrity_check').pluck().all() as string[],
        counts: Object.fromEntries(
          TABLES.map((table) => [table, db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number]),
        ),
        version: db.pragma('user_version', { simple: true }) as number,
      }
    } finally {
      db.close()
    }
  }

  beforeAll(() => {
    expect(existsSync(join(ROOT, 'out', 'main', 'cli.js')), 'run `npm run build` before this test').toBe(true)
    tradedeck(['migrate', '--data-dir', dataDir])
    const db = new Database(dbPath)
    db.exec(`
      INSERT INTO users (id, display_name) VALUES ('00000000-0000-7000-8000-000000000001', 'Crash test');
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
      INSERT INTO market_snapshots (id, symbol, timeframe, ts, open, high, low, close, volume)
      SELECT printf('00000000-0000-7000-8000-%012d', i), 'BTC-USD', '1m', strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' minutes'), '100', '101', '99', '100.5', '10' FROM n;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
      INSERT INTO decision_history (id, user_id, occurred_at, symbol, action, rationale, actor)
      SELECT printf('00000000-0000-7000-9000-%012d', i), '00000000-0000-7000-8000-000000000001', strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' seconds'), 'BTC-USD', 'ai_proposed', 'seeded row ' || i, 'ai' FROM n;
    `)
    db.close()
    expectedCounts = inspect().counts
    restoreFrom = JSON.parse(tradedeck(['backup', '--data-dir', dataDir, '--json']))
      .path.split('/')
      .at(-1)
  })
  afterAll(() => dir.remove())

  it(`leaves a complete database and a matching catalogue after ${RUNS} kills`, { timeout: 600_000 }, async () => {
    const random = mulberry32(Number(process.env.CRASH_LOOP_SEED ?? 20261122))
    const operations: Operation[] = ['backup', 'restore', 'rollback']
    const argsOf: Record<Operation, string[]> = {
      backup: ['backup', '--data-dir', dataDir],
      restore: ['restore', restoreFrom, '--data-dir', dataDir],
      rollback: ['rollback', '--steps', '1', '--force', '--data-dir', dataDir],
    }
    // How long each operation takes when left alone, so kill points spread over its whole run.
    const fullMs = {} as Record<Operation, number>
    for (const operation of operations) {
      fullMs[operation] = (await runAndKill(argsOf[operation], 60_000)).ms
      if (operation === 'rollback') tradedeck(['migrate', '--data-dir', dataDir])
    }
    const tally = { killed: 0, finished: 0 }
    for (let run = 0; run < RUNS; run++) {
      const operation = operations[run % operations.length] as Operation
      const killAfterMs = Math.floor(random() * fullMs[operation] * 1.1)
      const outcome = await runAndKill(argsOf[operation], killAfterMs)
      tally[outcome.killed ? 'killed' : 'finished']++
      const context = `run ${run}: ${operation} killed after ${killAfterMs} ms`

      const state = inspect()
      expect(state.integrity, context).toEqual(['ok'])
      expect(state.counts, context).toEqual(expectedCounts)
      // A rollback either happened as a whole or not at all.
      expect([LATEST - 1, LATEST], context).toContain(state.version)
      if (state.version === LATEST - 1) tradedeck(['migrate', '--data-dir', dataDir])

      await reconcileBackups(dataDir, dbPath)
      const backupDir = backupDirFor(dataDir)
      const catalogue = readCatalogue(backupDir)
      const files = readdirSync(backupDir).filter((file) => /^tradedeck-.*\.sqlite$/.test(file))
      expect(catalogue.map((record) => record.file).sort(), context).toEqual(files.sort())
      expect(
        readdirSync(backupDir).filter((file) => /\.(partial|tmp|damaged)$/.test(file)),
        context,
      ).toEqual([])
      expect(existsSync(`${dbPath}.restoring`), context).toBe(false)
      const newest = catalogue.at(-1)
      if (newest) expect(sha256Of(join(backupDir, newest.file)), context).toBe(newest.sha256)
    }
    // Every backup left behind is whole and holds the same rows.
    for (const record of readCatalogue(backupDirFor(dataDir))) {
      const copy = new Database(join(backupDirFor(dataDir), record.file), { readonly: true })
      expect(copy.prepare('PRAGMA quick_check').pluck().get(), record.file).toBe('ok')
      expect(copy.prepare('SELECT COUNT(*) FROM market_snapshots').pluck().get(), record.file).toBe(
        expectedCounts.market_snapshots,
      )
      copy.close()
    }
    console.log(
      `crash loop: ${tally.killed} runs killed mid-operation, ${tally.finished} finished first; full runs took ${JSON.stringify(fullMs)} ms`,
    )
    expect(tally.killed).toBeGreaterThan(0)
  })
})
