import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { deskWork } from '../../src/main/core/wiring/desk-work'
import { BackupService } from '../../src/main/core/platform/backups/backup-service'
import { readCatalogue, writeCatalogue } from '../../src/main/core/platform/backups/catalogue'
import { reconcileBackups } from '../../src/main/core/platform/backups/reconcile'
import { backupDirFor, ensureFreeSpace } from '../../src/main/core/platform/backups/sqlite-backup'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import type { BackupInfo, RestoreSummary, RollbackView } from '../../src/shared/contract'
import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { sha256Of } from '../helpers/sha256'
import { makeTempDir } from '../helpers/temp-dir'
import { bundledMigrations } from '../../src/main/core/platform/migrations/manifest'
import { LIVE_HELD_AFTER_RESTORE, PAUSED_AFTER_RESTORE } from '../../src/shared/domain'

/** This build's newest migration: the one these tests roll back and apply again. */
const NEWEST = bundledMigrations.sqlite.reduce((newest, def) => (def.version > newest.version ? def : newest))
const LATEST = NEWEST.version

describe('backups, restore and rollback in the running app', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function openTestCore(): Promise<{ core: Core; dataDir: string; events: [string, unknown][] }> {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    const core = openCore({
      dataDir: dir.path,
      host: 'cli',
      appVersion: 'test',
      strategies: { worker: sourceWorkerEntry, heartbeatMs: 200 },
    })
    cleanups.push(() => core.close())
    const events: [string, unknown][] = []
    core.events.subscribe((event, payload) => events.push([event, payload]))
    await core.start()
    return { core, dataDir: dir.path, events }
  }

  async function ok<T>(core: Core, channel: string, input: unknown = {}): Promise<T> {
    const result = await dispatch(core.handlers, channel, input)
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`)
    return result.value as T
  }

  function countIn(path: string, table: string): number {
    const db = new Database(path, { readonly: true })
    try {
      return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number
    } finally {
      db.close()
    }
  }

  it('takes a consistent, verified, catalogued backup while a strategy keeps writing', async () => {
    const { core, dataDir, events } = await openTestCore()
    const user = core.context.profileId as string
    const instance = await core.context.store.strategies.create(user, {
      strategyName: 'ema_crossover',
      instrument: 'BTC-USD',
      environment: 'paper',
      config: { history: 200_000, timeframe: '1s' },
    })
    await core.services.strategies.start(user, instance.id, { kind: 'human', userId: user })
    const candles = () => core.context.store.marketSnapshots.count('BTC-USD', `1s@sim-${instance.id}`)
    await expect.poll(candles, { timeout: 20_000 }).toBeGreaterThan(2000)

    const backup = await ok<BackupInfo>(core, 'backups:create')
    expect(backup).toMatchObject({ reason: 'manual', verified: true, schemaVersion: LATEST })
    expect(backup.sha256).toBe(sha256Of(backup.path))
    // The snapshot is consistent: its recorded counts are the file's own, whatever was written meanwhile.
    expect(countIn(backup.path, 'market_snapshots')).toBe(backup.rowCounts.market_snapshots)
    expect(countIn(backup.path, 'indicator_snapshots')).toBe(backup.rowCounts.indicator_snapshots)
    expect(backup.rowCounts.market_snapshots).toBeGreaterThan(2000)
    const afterBackup = await candles()
    await expect.poll(candles, { timeout: 20_000 }).toBeGreaterThan(afterBackup)
    expect(
      readdirSync(backupDirFor(dataDir)).filter((file) => file.endsWith('.partial') || file.endsWith('-wal')),
    ).toEqual([])
    expect(
      events
        .filter(([event]) => event === 'backups:progress')
        .map(([, payload]) => (payload as { phase: string }).phase),
    ).toEqual(expect.arrayContaining(['running', 'done']))
    expect((await ok<BackupInfo[]>(core, 'backups:list'))[0]?.file).toBe(backup.file)
    expect((await core.context.store.auditLog.list(user))[0]).toMatchObject({ subject: 'backup', action: 'create' })
  })

  it('restores a backup, restarts what was running, and undoes the restore', async () => {
    const { core, dataDir } = await openTestCore()
    const user = core.context.profileId as string
    await ok(core, 'risk:update', { patch: { maxLotSize: '2' } })
    const instance = await core.context.store.strategies.create(user, {
      strategyName: 'ema_crossover',
      instrument: 'ETH-USD',
      environment: 'paper',
      config: { history: 100, timeframe: '1m' },
    })
    await core.services.strategies.start(user, instance.id, { kind: 'human', userId: user })
    const backup = await ok<BackupInfo>(core, 'backups:create')
    await core.services.strategies.stop(user, instance.id, { kind: 'human', userId: user })
    await ok(core, 'risk:update', { patch: { maxLotSize: '7' } })

    const restored = await ok<RestoreSummary>(core, 'backups:restore', { file: backup.file })
    expect(restored.restoredFrom.file).toBe(backup.file)
    expect(restored.preRestore.reason).toBe('pre-restore')
    expect(restored.resumedStrategies).toBe(1)
    expect(await ok(core, 'risk:get')).toMatchObject({ maxLotSize: '2' })
    expect(core.services.strategies.isRunning(instance.id)).toBe(true)
    const audit = await core.context.store.auditLog.list(core.context.profileId as string)
    expect(audit[0]).toMatchObject({
      subject: 'restore',
      action: 'restore',
      details: { restoredFrom: backup.file, preRestoreBackup: restored.preRestore.file },
    })

    const undone = await ok<RestoreSummary>(core, 'backups:undoRestore')
    expect(undone.restoredFrom.file).toBe(restored.preRestore.file)
    expect(await ok(core, 'risk:get')).toMatchObject({ maxLotSize: '7' })
    expect(core.services.strategies.isRunning(instance.id)).toBe(false)
    expect(existsSync(`${core.context.dbPath}.restoring`)).toBe(false)
    expect(readCatalogue(backupDirFor(dataDir)).map((record) => record.reason)).toEqual([
      'scheduled',
      'manual',
      'pre-restore',
      'pre-restore',
    ])
  })

  it('after a restore and its undo, live instances come back paused with the reason, and a halt stands until the trader lifts it', async () => {
    const { core } = await openTestCore()
    const user = core.context.profileId as string
    const live = await core.context.store.strategies.create(user, {
      strategyName: 'ema_crossover',
      instrument: 'BTCUSDT',
      broker: 'binanceusdm',
      environment: 'live',
      config: { history: 100, timeframe: '1m' },
    })
    // Running live when the backup was taken: active, to resume by itself.
    await core.context.store.strategies.update(user, live.id, { status: 'active', autoReconnect: true })
    const backup = await ok<BackupInfo>(core, 'backups:create')
    await ok(core, 'trading:halt', { reason: 'news at 14:30' })

    const restored = await ok<RestoreSummary>(core, 'backups:restore', { file: backup.file })
    expect(restored.resumedStrategies).toBe(0)
    expect(await core.context.store.strategies.get(user, live.id)).toMatchObject({
      status: 'paused',
      lastAction: PAUSED_AFTER_RESTORE,
    })
    expect(core.services.strategies.isRunning(live.id)).toBe(false)
    const [paused] = (await core.context.store.decisions.query(user, { strategyId: live.id }, { limit: 5 })).rows
    expect(paused).toMatchObject({ action: 'strategy_stopped', actor: 'system', rationale: LIVE_HELD_AFTER_RESTORE })
    // The backup was taken before the halt; the halt stands.
    expect(await ok(core, 'risk:get')).toMatchObject({
      halted: true,
      lastHaltReason: expect.stringContaining('news at 14:30'),
    })

    // Undoing the restore puts back a database in which the instance is paused: it stays so, and so does the halt.
    await ok<RestoreSummary>(core, 'backups:undoRestore')
    expect((await core.context.store.strategies.get(user, live.id))!.status).toBe('paused')
    expect(await ok(core, 'risk:get')).toMatchObject({ halted: true })
  })

  it('refuses a backup from a newer schema, or one that changed on disk, and changes nothing', async () => {
    const { core, dataDir } = await openTestCore()
    const user = core.context.profileId as string
    const instance = await core.context.store.strategies.create(user, {
      strategyName: 'ema_crossover',
      instrument: 'BTC-USD',
      environment: 'paper',
      config: { history: 100, timeframe: '1m' },
    })
    await core.services.strategies.start(user, instance.id, { kind: 'human', userId: user })
    const backup = await ok<BackupInfo>(core, 'backups:create')
    const dir = backupDirFor(dataDir)
    const newer = new Database(backup.path)
    newer.pragma('user_version = 99')
    newer.close()
    const tampered = await dispatch(core.handlers, 'backups:restore', { file: backup.file })
    expect(tampered).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('does not match its recorded sha256') },
    })

    const sha256 = sha256Of(backup.path)
    await writeCatalogue(
      dir,
      readCatalogue(dir).map((record) =>
        record.file === backup.file ? { ...record, sha256, schemaVersion: 99 } : record,
      ),
    )
    const refused = await dispatch(core.handlers, 'backups:restore', { file: backup.file })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining(`newer than this app knows (${LATEST})`) },
    })
    expect(readCatalogue(dir).filter((record) => record.reason === 'pre-restore')).toEqual([])
    expect(await dispatch(core.handlers, 'backups:restore', { file: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(await dispatch(core.handlers, 'backups:undoRestore', {})).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('no restore to undo') },
    })
    // A refused restore stops nothing.
    expect(core.services.strategies.isRunning(instance.id)).toBe(true)
  })

  it('rolls back the last migration with a backup first, and Retry applies it again and runs the active instances again', async () => {
    const { core } = await openTestCore()
    const user = core.context.profileId as string
    const instance = await core.context.store.strategies.create(user, {
      strategyName: 'ema_crossover',
      instrument: 'BTC-USD',
      environment: 'paper',
      config: { history: 50, timeframe: '1s' },
    })
    await core.services.strategies.start(user, instance.id, { kind: 'human', userId: user })
    expect(core.services.strategies.isRunning(instance.id)).toBe(true)
    // The newest migration's down loses data (the calendar and news go, withheld ideas become invalidated rows), so it is refused until the loss is accepted.
    const refused = await dispatch(core.handlers, 'migrations:rollback', { force: false })
    expect(refused).toMatchObject({ ok: false })
    expect(await ok(core, 'migrations:status')).toMatchObject({ current: LATEST })
    const rollback = await ok<RollbackView>(core, 'migrations:rollback', { force: true })
    expect(rollback).toMatchObject({
      from: LATEST,
      to: LATEST - 1,
      rolledBack: [{ version: LATEST, name: NEWEST.name, lossy: true }],
    })
    expect(rollback.backupFile).toMatch(/-pre-rollback\.sqlite$/)
    // In words: the calendar and news tables gone, decision history's allowed actions narrowed, and every row kept.
    expect(rollback.summary).toEqual([
      'Table calendar_events was removed.',
      'Table decision_history: its constraints changed; it holds 2 rows.',
      'Table news_items was removed.',
    ])
    // The SQL behind it, for the details.
    expect(rollback.schemaChanges.join('\n')).toMatch(
      /expected by the migrations: table decision_history: .*idea_withheld/,
    )
    const status = await ok<{ startupMigration: { state: string; message: string } }>(core, 'system:status')
    expect(status.startupMigration).toMatchObject({
      state: 'failed',
      message: expect.stringContaining(`Rolled back ${LATEST}_${NEWEST.name} as asked`),
    })
    expect(await dispatch(core.handlers, 'ideas:list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } })
    expect(await ok<{ current: number; pending: { version: number }[] }>(core, 'migrations:status')).toMatchObject({
      current: LATEST - 1,
      pending: [{ version: LATEST }],
    })
    // The rollback shut the instance down as a quit does: still active, no worker.
    expect(core.services.strategies.isRunning(instance.id)).toBe(false)
    expect(await ok(core, 'startup:retry')).toMatchObject({ startupMigration: { state: 'ok' } })
    expect(await ok(core, 'migrations:status')).toMatchObject({ current: LATEST, pending: [] })
    // Active means running: a worker again, and a heartbeat newer than the one before Retry.
    const retriedAt = Date.now()
    expect(core.services.strategies.isRunning(instance.id)).toBe(true)
    const heartbeat = async () =>
      Date.parse((await core.context.store.strategies.get(user, instance.id))?.lastHeartbeat ?? '') || 0
    await expect.poll(heartbeat, { timeout: 20_000 }).toBeGreaterThan(retriedAt)
    const [view] = await ok<{ status: string; stale: boolean }[]>(core, 'strategies:list')
    expect(view).toMatchObject({ status: 'active', stale: false })
  })

  it('takes the daily backup when one is due and prunes by the retention policy', async () => {
    const { core, dataDir } = await openTestCore()
    let now = new Date('2026-11-22T09:00:00.000Z')
    const service = new BackupService(
      () => core.context,
      deskWork(core.context, () => core.services),
      {
        now: () => now,
        retention: { daily: 2, weekly: 0, safetyWindowDays: 30, keepManual: true },
      },
    )
    // The launch already took one (none existed); with the clock set later, it is due again.
    now = new Date(Date.now() + 25 * 3_600_000)
    expect(await service.runScheduleIfDue()).toMatchObject({ reason: 'scheduled' })
    expect(await service.runScheduleIfDue()).toBeNull()
    for (const hours of [25, 50]) {
      now = new Date(now.getTime() + hours * 3_600_000)
      await service.runScheduleIfDue()
    }
    const scheduled = readCatalogue(backupDirFor(dataDir)).filter((record) => record.reason === 'scheduled')
    expect(scheduled).toHaveLength(2)
    expect(readdirSync(backupDirFor(dataDir)).filter((file) => file.endsWith('-scheduled.sqlite'))).toHaveLength(2)
  })

  it('restores a backup from an older schema and migrates it, and backs up on quit only when the newest backup is a day old', async () => {
    const { core, dataDir } = await openTestCore()
    await ok(core, 'migrations:rollback', { force: true })
    const older = await ok<BackupInfo>(core, 'backups:create')
    expect(older.schemaVersion).toBe(LATEST - 1)
    await ok(core, 'startup:retry')
    const restored = await ok<RestoreSummary>(core, 'backups:restore', { file: older.file })
    expect(restored.migrated).toEqual([LATEST])
    expect(await ok(core, 'migrations:status')).toMatchObject({ current: LATEST, pending: [] })
    expect(readCatalogue(backupDirFor(dataDir)).at(-1)?.reason).toBe('pre-migration')

    let now = new Date()
    const service = new BackupService(
      () => core.context,
      deskWork(core.context, () => core.services),
      { now: () => now },
    )
    expect(await service.backupOnQuitIfStale()).toBeNull()
    now = new Date(now.getTime() + 25 * 3_600_000)
    expect(await service.backupOnQuitIfStale()).toMatchObject({ reason: 'scheduled' })
  })

  it('refuses a backup that cannot fit, saying how much is free and needed', async () => {
    const { core } = await openTestCore()
    expect(() => ensureFreeSpace(backupDirFor(core.context.dataDir), core.context.dbPath, 1e12)).toThrow(
      /MiB free, \d+ MiB needed/,
    )
  })

  it('reconciles the backup folder after a crash: partial copies go, complete ones are adopted, missing ones dropped', async () => {
    const { core, dataDir } = await openTestCore()
    const dir = backupDirFor(dataDir)
    const first = await ok<BackupInfo>(core, 'backups:create')
    const second = await ok<BackupInfo>(core, 'backups:create')
    writeFileSync(join(dir, 'tradedeck-20261122T000000000Z-manual.sqlite.partial'), 'half a copy')
    writeFileSync(`${core.context.dbPath}.restoring`, 'half a restore')
    writeFileSync(join(dir, 'catalogue.json.123.tmp'), '{')
    const orphan = 'tradedeck-20261123T000000000Z-scheduled.sqlite'
    copyFileSync(first.path, join(dir, orphan))
    writeFileSync(join(dir, 'tradedeck-20261124T000000000Z-manual.sqlite'), 'not a database at all, a damaged file')
    await writeCatalogue(
      dir,
      readCatalogue(dir).filter((record) => record.file !== first.file),
    )
    copyFileSync(second.path, join(dir, 'moved-away.sqlite'))
    const { rmSync } = await import('node:fs')
    rmSync(second.path)

    const report = await reconcileBackups(dataDir, core.context.dbPath)
    expect(report.removedPartials.sort()).toEqual(
      [
        'catalogue.json.123.tmp',
        `${core.context.dbPath}.restoring`,
        'tradedeck-20261122T000000000Z-manual.sqlite.partial',
      ].sort(),
    )
    expect(report.adopted.sort()).toEqual([first.file, orphan].sort())
    expect(report.dropped).toEqual([second.file])
    expect(report.damaged).toEqual(['tradedeck-20261124T000000000Z-manual.sqlite'])
    const catalogue = readCatalogue(dir)
    expect(catalogue.map((record) => record.file).sort()).toEqual(
      readdirSync(dir)
        .filter((file) => /^tradedeck-.*\.sqlite$/.test(file))
        .sort(),
    )
    expect(catalogue.find((record) => record.file === orphan)).toMatchObject({
      reason: 'scheduled',
      createdAt: '2026-11-23T00:00:00.000Z',
      schemaVersion: LATEST,
      quickCheck: 'ok',
    })
  })

  it('adopts and restores only real Tradedeck databases: an empty, headerless or foreign file is refused with the reason and set aside', async () => {
    const { core, dataDir } = await openTestCore()
    const user = core.context.profileId as string
    await core.context.store.strategies.create(user, {
      strategyName: 'ema_crossover',
      instrument: 'BTC-USD',
      environment: 'paper',
    })
    const dir = backupDirFor(dataDir)
    const empty = 'tradedeck-20261101T000000000Z-manual.sqlite'
    const headerless = 'tradedeck-20261102T000000000Z-manual.sqlite'
    const foreign = 'tradedeck-20261103T000000000Z-manual.sqlite'
    const { mkdirSync } = await import('node:fs')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, empty), '')
    writeFileSync(join(dir, headerless), Buffer.alloc(8192, 7))
    const other = new Database(join(dir, foreign))
    other.exec('CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES (1)')
    other.close()
    const report = await reconcileBackups(dataDir, core.context.dbPath)
    expect(report.adopted).toEqual([])
    expect(report.damaged.sort()).toEqual([empty, headerless, foreign])
    expect(
      readdirSync(dir)
        .filter((file) => file.endsWith('.damaged'))
        .sort(),
    ).toEqual([`${empty}.damaged`, `${headerless}.damaged`, `${foreign}.damaged`])

    // A catalogued backup emptied on disk behind the app's back, with a catalogue that agrees with it.
    const good = await ok<BackupInfo>(core, 'backups:create')
    writeFileSync(good.path, '')
    await writeCatalogue(
      dir,
      readCatalogue(dir).map((record) =>
        record.file === good.file
          ? { ...record, sha256: createHash('sha256').update('').digest('hex'), sizeBytes: 0 }
          : record,
      ),
    )
    const refused = await dispatch(core.handlers, 'backups:restore', { file: good.file })
    expect(refused).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('too short to be a SQLite database') },
    })
    expect(refused.ok || refused.error.message).toContain(`set aside as ${good.file}.damaged`)
    expect(existsSync(join(dir, `${good.file}.damaged`))).toBe(true)
    expect(readCatalogue(dir).map((record) => record.file)).not.toContain(good.file)
    expect(countIn(core.context.dbPath, 'strategies')).toBe(1)
  })
})
