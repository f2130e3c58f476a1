import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { bundledMigrations } from '../../src/main/core/platform/migrations/manifest'
import { openPostgresMigrator } from '../../src/main/core/platform/migrations/open'
import type { SyncVerification } from '../../src/shared/contract'
import { seedBulkHistory, tradeRound } from '../helpers/desk-activity'
import { createTestDatabase } from '../helpers/postgres'
import { startPostgresServer } from '../helpers/postgres-server'
import { call, centralCounts, connectDesk, localCounts, openDesk, waitFor, waitForCaughtUp } from '../helpers/sync-desk'
import { makeTempDir } from '../helpers/temp-dir'
import { readSyncState } from '../../src/main/core/platform/sync/sync-state'
import { mulberry32 } from '../helpers/seeded-random'

const ROOT = join(__dirname, '..', '..')
const BIN = join(ROOT, 'out', 'main', 'cli.js')

async function migrate(url: string): Promise<void> {
  const opened = await openPostgresMigrator(url, { appVersion: 'test', defs: bundledMigrations.postgres })
  try {
    await opened.migrator.migrate()
  } finally {
    await opened.close()
  }
}

describe('sync under faults: exactly once, nothing lost', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it(
    'PostgreSQL stopped mid-copy and mid-outbox, then started again: every row arrives exactly once',
    { timeout: 180_000 },
    async () => {
      const server = await startPostgresServer()
      cleanups.push(() => server.destroy())
      await server.createDatabase('central')
      const url = server.urlFor('central')
      await migrate(url)

      const dir = makeTempDir()
      const core = await openDesk(dir.path)
      cleanups.push(
        () => dir.remove(),
        () => core.close(),
      )
      const user = core.context.profileId as string
      await tradeRound(core.context.store, user, 'BTC-PERP', Date.parse('2026-11-20T09:00:00Z'))
      seedBulkHistory(core.context.db, user, { candles: 20_000, decisions: 20_000 })
      await connectDesk(core, url)
      await call(core, 'sync:start')

      // Mid-copy: stop the server once some pages are in, and keep trading while it is down.
      await waitFor(
        'the copy to be under way',
        () => core.services.sync.status().initialCopy,
        (copy) => copy.copied > 2_000,
      )
      await server.stop()
      const down = await waitFor(
        'sync to notice',
        () => core.services.sync.status(),
        (status) => status.state === 'retrying',
      )
      expect(down.initialCopy.done).toBe(false)
      expect(down.lastError).not.toBeNull()
      await tradeRound(core.context.store, user, 'ETH-PERP', Date.parse('2026-11-20T10:00:00Z'))
      await server.start()
      await waitForCaughtUp(core, 120_000)
      expect(await centralCounts(url)).toEqual(localCounts(core))

      // Mid-outbox: a burst of new rows, and the server stops while they drain.
      seedBulkHistory(core.context.db, user, { candles: 0, decisions: 20_000, symbol: 'BURST-USD' })
      await waitFor(
        'the burst to be draining',
        () => core.services.sync.status().lagRows,
        (rows) => rows < 19_000,
      )
      await server.stop()
      await waitFor(
        'sync to notice',
        () => core.services.sync.status(),
        (status) => status.state === 'retrying',
      )
      expect(core.services.sync.status().lagRows).toBeGreaterThan(0)
      await tradeRound(core.context.store, user, 'SOL-PERP', Date.parse('2026-11-20T11:00:00Z'))
      await server.start()
      await waitForCaughtUp(core, 120_000)
      expect(await centralCounts(url)).toEqual(localCounts(core))
      const verification = await call<SyncVerification>(core, 'sync:verify')
      expect(verification.ok, JSON.stringify(verification.tables.filter((table) => !table.matches))).toBe(true)
    },
  )

  it(
    'kill -9 of the syncing process at random points: after restarts, every row exactly once',
    { timeout: 300_000 },
    async () => {
      expect(existsSync(BIN), 'run `npm run build` before this test').toBe(true)
      const database = await createTestDatabase()
      cleanups.push(() => database.drop())
      await migrate(database.url)
      const dir = makeTempDir()
      cleanups.push(() => dir.remove())
      const seeded = await openDesk(dir.path)
      const user = seeded.context.profileId as string
      await tradeRound(seeded.context.store, user, 'BTC-PERP', Date.parse('2026-11-20T09:00:00Z'))
      seedBulkHistory(seeded.context.db, user, { candles: 40_000, decisions: 40_000 })
      await seeded.shutdown()
      seeded.close()

      // Each kill waits for the child to report a committed page or batch, so it lands while work is under way however fast the machine is.
      const PROGRESS = /^sync: (copied|sent) /m
      const syncRun = (killAfterProgressLines: number | null) =>
        new Promise<{ killed: boolean; code: number | null; stderr: string; phase: string | null }>((resolve) => {
          const child = spawn(process.execPath, [BIN, 'sync', 'run', '--data-dir', dir.path, '--pg', database.url], {
            stdio: ['ignore', 'pipe', 'pipe'],
          })
          let stderr = ''
          let progressLines = 0
          let phase: string | null = null
          child.stderr.on('data', (chunk: Buffer) => {
            stderr += chunk.toString()
            for (const line of chunk.toString().split('\n')) {
              const match = PROGRESS.exec(line)
              if (!match) continue
              progressLines++
              if (
                killAfterProgressLines !== null &&
                progressLines === killAfterProgressLines &&
                child.exitCode === null
              ) {
                phase = match[1] === 'copied' ? 'copy' : 'outbox'
                child.kill('SIGKILL')
              }
            }
          })
          child.once('exit', (code, signal) => resolve({ killed: signal === 'SIGKILL', code, stderr, phase }))
        })

      const random = mulberry32(Number(process.env.SYNC_KILL_SEED ?? 20261122))
      const killedIn = { copy: 0, outbox: 0 }
      const afterRun = (run: number, outcome: Awaited<ReturnType<typeof syncRun>>, moreDecisions: number) => {
        if (outcome.killed) killedIn[outcome.phase as 'copy' | 'outbox']++
        else expect(outcome.code, outcome.stderr).toBe(0)
        const db = new Database(join(dir.path, 'tradedeck.sqlite'))
        expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok')
        const copyDone = readSyncState(db).initialDoneAt !== null
        // More history arrives between runs, so kills land in the outbox as well as in the copy.
        seedBulkHistory(db, user, { candles: 0, decisions: moreDecisions, symbol: `RUN${run}-USD` })
        db.close()
        return copyDone
      }
      // The initial copy, killed after a random number of committed pages each time, until a run finishes it.
      // Less new history arrives between these runs than a page holds: with more, a run killed at its first
      // line could spend it on the outbox of tables already copied, and the copy would be a random walk
      // that need never end (it once took more than 30 runs).
      let run = 0
      for (let copyDone = false; !copyDone; run++) {
        expect(run, 'the initial copy never finished').toBeLessThan(30)
        copyDone = afterRun(run, await syncRun(1 + Math.floor(random() * 5)), 500)
      }
      // Then the outbox: three batches' worth of new rows each time, killed after the first or second batch.
      for (const end = run + 4; run < end; run++) afterRun(run, await syncRun(1 + Math.floor(random() * 2)), 12_000)
      expect(killedIn.copy).toBeGreaterThan(2)
      expect(killedIn.outbox).toBeGreaterThan(2)
      const finished = await syncRun(null)
      expect(finished.code, finished.stderr).toBe(0)

      const core = await openDesk(dir.path)
      cleanups.push(() => core.close())
      expect(await centralCounts(database.url)).toEqual(localCounts(core))
      expect(core.services.sync.status().lagRows).toBe(0)
      await connectDesk(core, database.url)
      const verification = await call<SyncVerification>(core, 'sync:verify')
      expect(verification.ok, JSON.stringify(verification.tables.filter((table) => !table.matches))).toBe(true)
    },
  )
})
