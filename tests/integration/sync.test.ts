import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src/main/core/wiring/app'
import { readCatalogue } from '../../src/main/core/platform/backups/catalogue'
import { backupDirFor } from '../../src/main/core/platform/backups/sqlite-backup'
import { bundledMigrations } from '../../src/main/core/platform/migrations/manifest'
import { openPostgresMigrator } from '../../src/main/core/platform/migrations/open'
import type { CentralRestoreView, SyncStatusView, SyncVerification } from '../../src/shared/contract'
import { seedBulkHistory, tradeRound } from '../helpers/desk-activity'
import { freePort } from '../helpers/free-port'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres'
import {
  call,
  centralCounts,
  connectDesk,
  localCounts,
  openDesk,
  waitFor,
  waitForCaughtUp,
  withClient,
} from '../helpers/sync-desk'
import { makeTempDir } from '../helpers/temp-dir'

/** This build's schema version, and the one before and after it. */
const LATEST = Math.max(...bundledMigrations.postgres.map((def) => def.version))

describe('replication to the central PostgreSQL through the outbox', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function desk(): Promise<Core> {
    const dir = makeTempDir()
    const core = await openDesk(dir.path)
    cleanups.push(
      () => dir.remove(),
      () => core.close(),
    )
    return core
  }

  async function central(): Promise<TestDatabase> {
    const database = await createTestDatabase()
    cleanups.push(() => database.drop())
    return database
  }

  async function migrateCentral(url: string, to?: number): Promise<void> {
    const opened = await openPostgresMigrator(url, { appVersion: 'test', defs: bundledMigrations.postgres })
    try {
      await opened.migrator.migrate(to === undefined ? {} : { to })
    } finally {
      await opened.close()
    }
  }

  it('copies an existing desk in full, sends every later change exactly once, and both sides verify', async () => {
    const core = await desk()
    const database = await central()
    const user = core.context.profileId as string
    await tradeRound(core.context.store, user, 'BTC-PERP', Date.parse('2026-11-20T09:00:00Z'))
    await tradeRound(core.context.store, user, 'ETH-PERP', Date.parse('2026-11-20T10:00:00Z'))
    seedBulkHistory(core.context.db, user, { candles: 1_200, decisions: 2_500 })
    // Nothing is captured before a central database is connected.
    expect(core.context.db.prepare('SELECT COUNT(*) FROM sync_outbox').pluck().get()).toBe(0)

    await connectDesk(core, database.url)
    await migrateCentral(database.url)
    // The Database page reads the central schema (drift check included) beside the sync panel.
    expect(await call(core, 'central:migrationStatus')).toMatchObject({ current: LATEST, pending: [] })
    const started = await call<SyncStatusView>(core, 'sync:start')
    expect(started.target).toContain(new URL(database.url).pathname.slice(1))
    const caughtUp = await waitForCaughtUp(core)
    expect(caughtUp.initialCopy).toMatchObject({ done: true, total: caughtUp.initialCopy.copied })
    expect(caughtUp.lastSuccessAt).not.toBeNull()
    expect(await centralCounts(database.url)).toEqual(localCounts(core))

    // Later changes travel through the outbox: new rows, updates, and the append-only history.
    await tradeRound(core.context.store, user, 'SOL-PERP', Date.parse('2026-11-21T09:00:00Z'))
    const strategy = (await core.context.store.strategies.list(user))[0]!
    await core.context.store.strategies.update(user, strategy.id, {
      errorMessage: 'feed dropped for 3 s',
      errorCount: 1,
    })
    await waitForCaughtUp(core)
    expect(await centralCounts(database.url)).toEqual(localCounts(core))

    const verification = await call<SyncVerification>(core, 'sync:verify')
    expect(verification.ok, JSON.stringify(verification.tables.filter((table) => !table.matches))).toBe(true)
    const ideas = verification.tables.find((table) => table.table === 'trade_ideas')!
    expect(ideas).toMatchObject({ localRows: 3, centralRows: 3, matches: true })
    expect(ideas.localChecksum).toBe(ideas.centralChecksum)
    expect(core.services.sync.status().verification?.ok).toBe(true)

    // Replicated rows keep their own updated_at instead of the central server's clock.
    const local = core.context.db
      .prepare('SELECT error_message, updated_at FROM strategies WHERE id = ?')
      .get(strategy.id) as { error_message: string; updated_at: string }
    const remote = await withClient(
      database.url,
      async (client) =>
        (await client.query('SELECT error_message, updated_at FROM strategies WHERE id = $1', [strategy.id])).rows[0],
    )
    expect(remote.error_message).toBe('feed dropped for 3 s')
    expect(new Date(remote.updated_at).toISOString()).toBe(local.updated_at)

    // Settings pointed at another central database: it gets the whole history, not only what changes next.
    const second = await central()
    await migrateCentral(second.url)
    const onto = (url: string) => (status: SyncStatusView) =>
      status.target?.endsWith(new URL(url).pathname) === true &&
      status.initialCopy.done &&
      status.lagRows === 0 &&
      status.state === 'idle'
    await connectDesk(core, second.url)
    await waitFor('the copy to the second database', () => core.services.sync.status(), onto(second.url))
    expect(await centralCounts(second.url)).toEqual(localCounts(core))
    await connectDesk(core, database.url)
    await waitFor('the copy back to the first database', () => core.services.sync.status(), onto(database.url))

    // A checksum catches a row changed behind the desk's back.
    await withClient(database.url, (client) =>
      client.query(
        "UPDATE trade_ideas SET rationale = 'edited centrally' WHERE id = (SELECT id FROM trade_ideas ORDER BY id LIMIT 1)",
      ),
    )
    const tampered = await call<SyncVerification>(core, 'sync:verify')
    expect(tampered.ok).toBe(false)
    expect(tampered.tables.find((table) => table.table === 'trade_ideas')).toMatchObject({
      differing: 1,
      matches: false,
    })
  })

  it('stops with a clear message while the central schema is older or newer, keeps every change in the outbox, and catches up after', async () => {
    const core = await desk()
    const database = await central()
    const user = core.context.profileId as string
    await migrateCentral(database.url, LATEST - 1)
    await connectDesk(core, database.url)
    await call(core, 'sync:start')
    const older = await waitFor(
      'the older schema to block sync',
      () => core.services.sync.status(),
      (status) => status.state === 'blocked',
    )
    expect(older.lastError).toContain(`schema version ${LATEST - 1}, older than this desk (${LATEST})`)
    await tradeRound(core.context.store, user, 'BTC-PERP', Date.parse('2026-11-20T09:00:00Z'))
    expect(core.services.sync.status().lagRows).toBeGreaterThan(0)

    await migrateCentral(database.url)
    await waitForCaughtUp(core)
    expect(await centralCounts(database.url)).toEqual(localCounts(core))

    await withClient(database.url, (client) =>
      client.query(
        "INSERT INTO schema_migrations (version, name, checksum, up_sql, duration_ms, app_version) VALUES ($1, 'from_a_newer_desk', 'x', '', 0, 'newer')",
        [LATEST + 1],
      ),
    )
    core.services.sync.reconnect()
    await tradeRound(core.context.store, user, 'ETH-PERP', Date.parse('2026-11-20T10:00:00Z'))
    const newer = await waitFor(
      'the newer schema to block sync',
      () => core.services.sync.status(),
      (status) => status.state === 'blocked',
    )
    expect(newer.lastError).toContain(`schema version ${LATEST + 1}, newer than this desk (${LATEST})`)
    expect(newer.lagRows).toBeGreaterThan(0)
    await withClient(database.url, (client) =>
      client.query('DELETE FROM schema_migrations WHERE version = $1', [LATEST + 1]),
    )
    await waitForCaughtUp(core)
    expect(await centralCounts(database.url)).toEqual(localCounts(core))
    expect((await call<SyncVerification>(core, 'sync:verify')).ok).toBe(true)
  })

  it('retries with the reason shown while the central database is unreachable, pauses and resumes, and loses nothing', async () => {
    const core = await desk()
    const database = await central()
    const user = core.context.profileId as string
    await migrateCentral(database.url)
    await connectDesk(core, database.url, { port: await freePort() })
    await call(core, 'sync:start')
    const down = await waitFor(
      'a failed attempt',
      () => core.services.sync.status(),
      (status) => status.state === 'retrying' && status.lastError !== null,
    )
    expect(down.lastError).toMatch(/reach|refused|connect/i)
    expect(down.nextRetryAt).not.toBeNull()
    await tradeRound(core.context.store, user, 'BTC-PERP', Date.parse('2026-11-20T09:00:00Z'))

    const paused = await call<SyncStatusView>(core, 'sync:pause')
    expect(paused).toMatchObject({ state: 'paused', paused: true })
    await connectDesk(core, database.url)
    await tradeRound(core.context.store, user, 'ETH-PERP', Date.parse('2026-11-20T10:00:00Z'))
    expect(core.services.sync.status()).toMatchObject({ state: 'paused' })
    expect(await centralCounts(database.url)).toMatchObject({ trade_ideas: 0 })

    expect(await call<SyncStatusView>(core, 'sync:resume')).toMatchObject({ paused: false })
    await waitForCaughtUp(core)
    expect(await centralCounts(database.url)).toEqual(localCounts(core))
    expect((await call<SyncVerification>(core, 'sync:verify')).ok).toBe(true)
  })

  it("rebuilds one user's desk from the central copy, verifies it and swaps it in like a restore", async () => {
    const source = await desk()
    const database = await central()
    const user = source.context.profileId as string
    await tradeRound(source.context.store, user, 'BTC-PERP', Date.parse('2026-11-20T09:00:00Z'))
    await tradeRound(source.context.store, user, 'ETH-PERP', Date.parse('2026-11-20T10:00:00Z'))
    await migrateCentral(database.url)
    await connectDesk(source, database.url)
    await call(source, 'sync:start')
    await waitForCaughtUp(source)

    // Rebuilding a desk whose latest changes have not been sent would leave them behind: refused.
    await call(source, 'sync:pause')
    await tradeRound(source.context.store, user, 'SOL-PERP', Date.parse('2026-11-20T11:00:00Z'))
    expect(await dispatchError(source, 'sync:restoreFromCentral', { userId: user })).toContain(
      'have not reached the central database yet',
    )
    await call(source, 'sync:resume')
    await waitForCaughtUp(source)

    // A new machine: its own fresh profile, the same central database.
    const laptop = await desk()
    expect(laptop.context.profileId).not.toBe(user)
    await connectDesk(laptop, database.url)
    const missing = await dispatchError(laptop, 'sync:restoreFromCentral', {
      userId: '00000000-0000-7000-8000-000000000999',
    })
    expect(missing).toContain('has no user')
    const rebuilt = await call<CentralRestoreView>(laptop, 'sync:restoreFromCentral', { userId: user })
    expect(rebuilt.rows).toMatchObject({ users: 1, trade_ideas: 3, trades: 3 })
    expect(rebuilt.restore.restoredFrom.file).toMatch(/-from-central\.sqlite$/)
    expect(existsSync(join(backupDirFor(laptop.context.dataDir), rebuilt.restore.preRestore.file))).toBe(true)
    expect(readCatalogue(backupDirFor(laptop.context.dataDir)).map((record) => record.reason)).toContain('from-central')

    expect(laptop.context.profileId).toBe(user)
    expect(localCounts(laptop)).toEqual(localCounts(source))
    expect(await laptop.context.store.tradeIdeas.list(user, { limit: 10 })).toHaveLength(3)
    // It keeps replicating to the same database without copying everything back.
    const status = await waitForCaughtUp(laptop)
    expect(status.target).toBe(source.services.sync.status().target)
    expect((await call<SyncVerification>(laptop, 'sync:verify')).ok).toBe(true)
  })

  async function dispatchError(core: Core, channel: string, input: unknown): Promise<string> {
    try {
      await call(core, channel, input)
    } catch (error) {
      return (error as Error).message
    }
    throw new Error(`${channel} succeeded`)
  }
})
