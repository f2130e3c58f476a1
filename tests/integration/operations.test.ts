import { afterAll, describe, expect, it } from 'vitest'
import type { Core } from '../../src/main/core/wiring/app'
import { recordedTask, pruneTaskHistory } from '../../src/main/core/platform/operations/task-history'
import { applyMarketDataRetention } from '../../src/main/core/platform/operations/market-data-retention'
import { expireWaitingIdeas, snapshotWhileActive } from '../../src/main/core/domains/trading/background-tasks'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres'
import { call, connectDesk, openDesk, waitFor, waitForCaughtUp } from '../helpers/sync-desk'
import { makeTempDir } from '../helpers/temp-dir'

describe('task history and errors that can be resolved', () => {
  const cleanups: (() => unknown)[] = []
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })

  async function desk(): Promise<Core> {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    const core = await openDesk(dir.path)
    cleanups.push(() => core.close())
    return core
  }

  const runsOf = (core: Core, task: string) =>
    call<
      {
        task: string
        outcome: string
        rowsAffected: number | null
        durationMs: number | null
        finishedAt: string | null
        message: string | null
      }[]
    >(core, 'tasks:list', { task })

  it('records launch work, idea expiry, account snapshots and task pruning with outcome, duration and rows', async () => {
    const core = await desk()
    const ctx = core.context
    const user = ctx.profileId as string
    // The launch pruned logs and task history and took the first daily backup, pruning after it.
    for (const task of ['log_pruning', 'task_retention', 'scheduled_backup', 'backup_retention']) {
      const [run] = await runsOf(core, task)
      expect(run, task).toMatchObject({ task, outcome: 'ok' })
      expect(run?.finishedAt, task).not.toBeNull()
      expect(run?.durationMs, task).toBeGreaterThanOrEqual(0)
    }
    expect((await runsOf(core, 'scheduled_backup'))[0]?.rowsAffected).toBe(1)

    const idea = await core.services.trading.for(user).service.propose(user, {
      symbol: 'BTC-USD',
      direction: 'long',
      entryPrice: '100',
      stopLoss: '95',
      takeProfit: '110',
      size: '1',
      rationale: 'due',
      confidence: 0.1,
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    })
    expect(idea.idea.status).toBe('needs_approval')
    await expireWaitingIdeas(ctx, core.services.trading)
    expect((await runsOf(core, 'idea_expiry'))[0]).toMatchObject({ outcome: 'ok', rowsAffected: 1 })

    await snapshotWhileActive(ctx, core.services.trading)
    // No strategy is active: the run is recorded and touched nothing.
    expect((await runsOf(core, 'account_snapshot'))[0]).toMatchObject({ outcome: 'ok', rowsAffected: 0 })

    const old = await ctx.store.taskRuns.start('idea_expiry', '2026-01-01T00:00:00.000Z')
    await ctx.store.taskRuns.finish(old, {
      finishedAt: '2026-01-01T00:00:01.000Z',
      outcome: 'ok',
      durationMs: 1000,
      rowsAffected: 0,
      message: null,
    })
    const stillRunning = await ctx.store.taskRuns.start('sync_batch', '2026-01-01T00:00:00.000Z')
    await pruneTaskHistory(ctx)
    expect((await runsOf(core, 'task_retention'))[0]).toMatchObject({ outcome: 'ok', rowsAffected: 1 })
    const left = await ctx.store.taskRuns.list({ limit: 1000 })
    expect(left.some((run) => run.id === old)).toBe(false)
    expect(left.some((run) => run.id === stillRunning)).toBe(true)
  })

  it('records a failed run with its error and raises a notification, and the timer carries on', async () => {
    const core = await desk()
    const ctx = core.context
    expect(await recordedTask(ctx, 'log_pruning', () => Promise.reject(new Error('The disk is full.')))).toBeNull()
    expect((await runsOf(core, 'log_pruning'))[0]).toMatchObject({
      outcome: 'failed',
      message: 'The disk is full.',
      rowsAffected: null,
    })
    const notes = await ctx.store.notifications.unread(ctx.profileId as string)
    expect(notes[0]).toMatchObject({ level: 'error', title: 'Log pruning failed' })
    expect(notes[0]?.body).toContain('The disk is full.')
    // Bad filters are refused in words.
    await expect(call(core, 'tasks:list', { task: 'coffee' })).rejects.toMatchObject({ code: 'invalid_input' })
  })

  it('lists errors with filters and resolves one with a note, recorded in the audit log; a second resolve and bad input are refused in words', async () => {
    const core = await desk()
    const ctx = core.context
    const user = ctx.profileId as string
    const strategy = await ctx.store.strategies.create(user, {
      strategyName: 'ema_crossover',
      instrument: 'BTC-USD',
      environment: 'paper',
      config: {},
    })
    const first = await ctx.store.errorLogs.append({
      userId: user,
      strategyId: strategy.id,
      message: 'The feed stopped.',
    })
    await ctx.store.errorLogs.append({ userId: user, strategyId: null, message: 'The backup folder was read-only.' })
    expect(await call(core, 'errors:list', { strategyId: strategy.id })).toMatchObject({
      items: [{ id: first.id, message: 'The feed stopped.' }],
      unresolved: 2,
    })

    const resolved = await call<{ resolvedAt: string | null; resolutionNote: string | null }>(core, 'errors:resolve', {
      id: first.id,
      note: 'Restarted the feed; it is back.',
    })
    expect(resolved).toMatchObject({ resolutionNote: 'Restarted the feed; it is back.' })
    expect(resolved.resolvedAt).not.toBeNull()
    const page = await call<{ items: { id: string }[]; unresolved: number }>(core, 'errors:list', { unresolved: true })
    expect(page.unresolved).toBe(1)
    expect(page.items.map((item) => item.id)).not.toContain(first.id)
    const audit = await ctx.store.auditLog.list(user, 10)
    expect(audit.find((entry) => entry.subject === 'error_log')).toMatchObject({
      action: 'resolve',
      actor: `human:${user}`,
      details: { errorId: first.id, note: 'Restarted the feed; it is back.' },
    })

    await expect(call(core, 'errors:resolve', { id: first.id, note: 'again' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('already resolved'),
    })
    await expect(call(core, 'errors:resolve', { id: first.id, note: '   ' })).rejects.toMatchObject({
      code: 'invalid_input',
    })
    await expect(call(core, 'errors:resolve', { id: first.id, note: 'nul\u0000byte' })).rejects.toMatchObject({
      code: 'invalid_input',
    })
  })

  it('market data retention deletes old candles and indicators but never one an idea, a decision or a backtest points at', async () => {
    const core = await desk()
    const ctx = core.context
    const user = ctx.profileId as string
    const day = 86_400_000
    const start = Date.now() - 100 * day
    const candle = (i: number) => ({
      symbol: 'RET-USD',
      timeframe: '1h',
      ts: new Date(start + i * 3_600_000).toISOString(),
      open: '1',
      high: '2',
      low: '0.5',
      close: '1.5',
      volume: '10',
    })
    // 48 old candles and one from today.
    const candles = [...Array.from({ length: 48 }, (_, i) => candle(i)), { ...candle(0), ts: new Date().toISOString() }]
    await ctx.store.marketSnapshots.insertMany(candles)
    const ids = await ctx.store.marketSnapshots.idsAt([
      { symbol: 'RET-USD', timeframe: '1h', timestamps: candles.map((c) => c.ts) },
    ])
    const idOf = (i: number) => ids.get(`RET-USD\u00001h\u0000${candles[i]!.ts}`) as string
    await ctx.store.indicatorSnapshots.upsertMany(
      candles.map((c, i) => ({
        symbol: 'RET-USD',
        timeframe: '1h',
        ts: c.ts,
        indicators: { ema: i },
        marketSnapshotId: idOf(i),
      })),
    )
    await ctx.store.tradeIdeas.create(user, {
      symbol: 'RET-USD',
      direction: 'long',
      entryPrice: '1.5',
      stopLoss: '1',
      takeProfit: '2',
      size: '1',
      rationale: 'kept',
      confidence: 0.5,
      status: 'rejected',
      snapshotId: idOf(3),
    })
    await ctx.store.decisions.append(user, {
      action: 'human_rejected',
      actor: `human:${user}`,
      symbol: 'RET-USD',
      snapshotId: idOf(5),
    })
    ctx.db
      .prepare(
        "INSERT INTO backtest_runs (id, user_id, name, kind, config, symbol, timeframe, source, data_from, data_to, candles, app_version, stats, trades, equity, duration_ms) VALUES ('00000000-0000-7000-8000-0000000000d1', ?, 'kept range', 'ema_crossover', '{}', 'RET-USD', '1h', 'stored', ?, ?, 3, 'test', '{}', '[]', '{}', 1)",
      )
      .run(user, candles[10]!.ts, candles[12]!.ts)

    await expect(call(core, 'retention:set', { marketDataDays: 3 })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('at least 7 days'),
    })
    expect(await applyMarketDataRetention(ctx)).toBe(0)
    const counted = () =>
      ctx.db
        .prepare(
          "SELECT (SELECT COUNT(*) FROM market_snapshots WHERE symbol = 'RET-USD') || '/' || (SELECT COUNT(*) FROM indicator_snapshots WHERE symbol = 'RET-USD')",
        )
        .pluck()
        .get()
    const before = counted()
    // The confirmation's figures are the job's own deletes, rolled back: exact, and nothing changes.
    const preview = await call<{ cutoff: string; candles: number; indicators: number }>(core, 'retention:preview', {
      marketDataDays: 30,
    })
    expect(preview).toMatchObject({ candles: 43, indicators: 46 })
    expect(Date.parse(preview.cutoff)).toBeLessThan(Date.now() - 29 * day)
    expect(counted()).toBe(before)
    await expect(call(core, 'retention:preview', { marketDataDays: 2 })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('at least 7 days'),
    })
    expect(await call(core, 'retention:set', { marketDataDays: 30 })).toEqual({ marketDataDays: 30 })
    await applyMarketDataRetention(ctx)

    const left = ctx.db
      .prepare("SELECT ts FROM market_snapshots WHERE symbol = 'RET-USD' ORDER BY ts")
      .pluck()
      .all() as string[]
    expect(left).toEqual([3, 5, 10, 11, 12, 48].map((i) => candles[i]!.ts))
    const indicatorsLeft = ctx.db
      .prepare("SELECT ts FROM indicator_snapshots WHERE symbol = 'RET-USD' ORDER BY ts")
      .pluck()
      .all() as string[]
    expect(indicatorsLeft).toEqual([3, 5, 48].map((i) => candles[i]!.ts))
    expect((await runsOf(core, 'market_data_retention'))[0]).toMatchObject({ outcome: 'ok', rowsAffected: 43 + 46 })
    expect(ctx.db.pragma('foreign_key_check')).toEqual([])
  })

  describe('with a central database', () => {
    let central: TestDatabase
    afterAll(async () => central?.drop())

    it('records each pass that sends changes to the central database as a sync batch', async () => {
      central = await createTestDatabase()
      const core = await desk()
      await connectDesk(core, central.url)
      await call(core, 'central:migrate')
      await call(core, 'sync:start')
      await waitForCaughtUp(core)
      await core.context.store.notifications.create(core.context.profileId as string, {
        level: 'info',
        title: 'A change to replicate',
      })
      const runs = await waitFor(
        'a recorded sync batch',
        () => runsOf(core, 'sync_batch'),
        (list) => list.some((run) => run.outcome === 'ok' && (run.rowsAffected ?? 0) >= 1),
      )
      expect(runs.every((run) => run.outcome !== 'failed')).toBe(true)
    })
  })
})
