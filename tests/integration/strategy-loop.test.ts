import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import { importCandleCsvFile } from '../../src/main/core/domains/market-data/csv-candle-import'
import type { StrategyView, TradeIdea } from '../../src/shared/domain'
import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { makeTempDir } from '../helpers/temp-dir'
import { kinds as testKinds, TEST_KINDS_MODULE } from '../helpers/test-kinds'

/** Imports candle CSV text the way both hosts do: from a file the core reads itself. */
async function importCsv(core: Core, csv: string) {
  const path = join(core.context.dataDir, `import-${randomUUID()}.csv`)
  writeFileSync(path, csv)
  return importCandleCsvFile(core.context, {
    userId: core.context.profileId as string,
    path,
    symbol: 'EUR-USD',
    timeframe: '1m',
    importId: randomUUID(),
  })
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('strategies through the contract, end to end on the paper feed', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  async function open(dataDir?: string): Promise<{
    core: Core
    dataDir: string
    call: <T>(channel: string, input?: unknown) => Promise<T>
    raw: (channel: string, input?: unknown) => ReturnType<typeof dispatch>
  }> {
    let dir = dataDir
    if (!dir) {
      const temp = makeTempDir()
      cleanups.push(() => temp.remove())
      dir = temp.path
    }
    const core = openCore({
      dataDir: dir,
      host: 'browser',
      appVersion: 'test',
      strategies: {
        worker: sourceWorkerEntry,
        extraKinds: testKinds,
        kindModules: [TEST_KINDS_MODULE],
        heartbeatMs: 200,
      },
    })
    cleanups.push(() => core.close())
    await core.start()
    const raw = (channel: string, input: unknown = {}) => dispatch(core.handlers, channel, input)
    const call = async <T>(channel: string, input: unknown = {}): Promise<T> => {
      const result = await raw(channel, input)
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
      return result.value as T
    }
    return { core, dataDir: dir, call, raw }
  }

  it('candle → strategy → idea → risk → approval → paper fill → closed trade, with every decision row in order', async () => {
    const { core, call, raw } = await open()
    const instance = await call<StrategyView>('strategies:create', {
      strategyName: 'test_steady',
      instrument: 'BTC-USD',
      // BTC's synthetic market moves about 0.01% a second, as BTC does: a band of 0.03% is reached within seconds.
      config: { history: 2_000, timeframe: '1s', every: 3, band: 0.0003 },
    })
    expect(instance).toMatchObject({ status: 'stopped', kindLabel: 'Steady test producer', stale: false })
    await call('strategies:start', { id: instance.id })
    // Live candles keep coming while the approval is on its way; an idea the market ran past its stop
    // or target in between is refused (the approval-time risk check), and the newest one is approved instead.
    let idea: TradeIdea | undefined
    const refused = new Set<string>()
    for (let attempt = 0; !idea; attempt++) {
      expect(attempt).toBeLessThan(20)
      const newest = await until('a new idea waiting for approval', async () =>
        (await call<TradeIdea[]>('ideas:list', { statuses: ['needs_approval'] })).find(
          (candidate) => !refused.has(candidate.id),
        ),
      )
      const approval = await raw('ideas:approve', { id: newest.id, note: 'looks right' })
      if (approval.ok) idea = newest
      else {
        expect(approval.error.message).toContain('already at or past the')
        refused.add(newest.id)
      }
    }
    expect(idea).toMatchObject({
      strategyId: instance.id,
      symbol: 'BTC-USD',
      size: '1',
      snapshotId: expect.any(String),
    })
    const snapshot = await core.context.store.marketSnapshots.get(idea.snapshotId as string)
    expect(snapshot?.close).toBe(idea.entryPrice)
    const userId = core.context.profileId as string
    const trade = await until('the closed trade', async () =>
      (await core.context.store.trades.all(userId)).find((candidate) => candidate.tradeIdeaId === idea.id),
    )
    expect(['stop_loss', 'take_profit']).toContain(trade.exitReason)
    await call('strategies:stop', { id: instance.id })
    // Filtered in the query: how many other ideas the strategy proposed meanwhile depends on the market.
    const decisions = (filter: object) =>
      core.context.store.decisions
        .query(userId, { strategyId: instance.id, ...filter }, { limit: 500 })
        .then((page) => page.rows.reverse().map((row) => row.action))
    expect(await decisions({ actions: ['strategy_started', 'strategy_stopped'] })).toEqual([
      'strategy_started',
      'strategy_stopped',
    ])
    expect(await decisions({ tradeIdeaId: idea.id })).toEqual(['ai_proposed', 'human_approved', 'order_filled'])
    expect(
      (
        await call<TradeIdea>('ideas:get', { id: idea.id }).then(
          (value) => (value as unknown as { idea: TradeIdea }).idea,
        )
      ).status,
    ).toBe('executed')
  })

  it('validates every strategies channel and changes nothing on a refusal', async () => {
    const { call, raw } = await open()
    const kinds =
      await call<{ name: string; configSchema: { properties: Record<string, unknown> } }[]>('strategies:kinds')
    expect(kinds.map((kind) => kind.name)).toEqual(
      expect.arrayContaining(['ema_crossover', 'rsi_mean_reversion', 'donchian_breakout']),
    )
    expect(kinds.find((kind) => kind.name === 'ema_crossover')?.configSchema.properties).toHaveProperty('slowPeriod')

    expect(await raw('strategies:create', { strategyName: 'ema_crossover', instrument: 'BTC USD' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: ['instrument'] }] },
    })
    expect(
      await raw('strategies:create', {
        strategyName: 'ema_crossover',
        instrument: 'BTC-USD',
        config: { fastPeriod: 40 },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [{ path: ['fastPeriod'], message: 'The fast period must be shorter than the slow period.' }],
      },
    })
    expect(
      await raw('strategies:create', { strategyName: 'ema_crossover', instrument: 'BTC-USD', environment: 'live' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'The paper broker trades on paper only.' } })
    expect(
      await raw('strategies:create', {
        strategyName: 'ema_crossover',
        instrument: 'BTC-USD',
        broker: 'kraken',
        environment: 'testnet',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('There is no broker named kraken') },
    })
    expect(await raw('strategies:create', { strategyName: 'martingale', instrument: 'BTC-USD' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(await call<StrategyView[]>('strategies:list')).toEqual([])

    const created = await call<StrategyView>('strategies:create', {
      strategyName: 'ema_crossover',
      instrument: 'BTC-USD',
      config: { timeframe: '1s', history: 20_000 },
    })
    expect(created.config).toMatchObject({ fastPeriod: 5, slowPeriod: 13, feed: 'synthetic' })
    expect(created.name).toBe('EMA crossover BTC-USD 1s')
    // The same kind and symbol on another candle is another instance; the same name in use is refused, in any case.
    const slower = await call<StrategyView>('strategies:create', {
      strategyName: 'ema_crossover',
      instrument: 'BTC-USD',
      config: { timeframe: '15m' },
    })
    expect(slower.name).toBe('EMA crossover BTC-USD 15m')
    expect(
      await raw('strategies:create', {
        strategyName: 'rsi_mean_reversion',
        name: 'ema crossover btc-usd 15M',
        instrument: 'SOL-USD',
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: 'There is already an instance named ema crossover btc-usd 15M; choose another name.',
      },
    })
    expect(
      await raw('strategies:create', { strategyName: 'ema_crossover', name: ' ', instrument: 'SOL-USD' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    // A name can change while it runs; settings cannot.
    expect(await call<StrategyView>('strategies:updateConfig', { id: slower.id, name: 'Slow BTC' })).toMatchObject({
      name: 'Slow BTC',
      config: { timeframe: '15m' },
    })
    expect(await raw('strategies:updateConfig', { id: slower.id, name: 'EMA crossover BTC-USD 1s' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    })
    expect(await call('strategies:delete', { id: slower.id })).toEqual({ deleted: true, archived: false })
    await call('strategies:start', { id: created.id })
    expect(await raw('strategies:updateConfig', { id: created.id, config: { fastPeriod: 5 } })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('Stop or pause') },
    })
    expect(await raw('strategies:delete', { id: created.id })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await raw('strategies:resume', { id: created.id })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    await call('strategies:pause', { id: created.id })
    const updated = await call<StrategyView>('strategies:updateConfig', {
      id: created.id,
      config: { timeframe: '1s', history: 20_000, fastPeriod: 8 },
    })
    expect(updated.config).toMatchObject({ fastPeriod: 8, slowPeriod: 13 })
    expect(await call<StrategyView>('strategies:resume', { id: created.id })).toMatchObject({
      status: 'active',
      lastAction: 'resumed',
    })
    await call('strategies:stop', { id: created.id })
    const logs = await call<{ message: string }[]>('strategies:logs', { id: created.id })
    expect(logs.map((log) => log.message)).toEqual(
      expect.arrayContaining(['Stopped by the trader.', 'Paused by the trader.']),
    )
    // With decision history, deleting archives it: it leaves the list, its decisions stay and still name it.
    const history = await call<{ rows: { id: string }[] }>('decisions:query', { filter: { strategyId: created.id } })
    expect(history.rows.length).toBeGreaterThan(0)
    expect(await call('strategies:delete', { id: created.id })).toEqual({ deleted: true, archived: true })
    expect((await call<StrategyView[]>('strategies:list')).map((row) => row.id)).not.toContain(created.id)
    expect(
      (await call<{ rows: { id: string }[] }>('decisions:query', { filter: { strategyId: created.id } })).rows,
    ).toEqual(history.rows)
    expect(await call('strategies:names')).toContainEqual({
      id: created.id,
      name: 'EMA crossover BTC-USD 1s',
      archived: true,
    })
    expect(await raw('strategies:start', { id: created.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'EMA crossover BTC-USD 1s was deleted; its decision history is kept.' },
    })
    // Its name is free again.
    await call('strategies:create', {
      strategyName: 'ema_crossover',
      instrument: 'BTC-USD',
      config: { timeframe: '1s' },
    })

    const fresh = await call<StrategyView>('strategies:create', {
      strategyName: 'donchian_breakout',
      instrument: 'ETH-USD',
    })
    expect(await call('strategies:delete', { id: fresh.id })).toEqual({ deleted: true, archived: false })
  })

  const indicatorRows = (core: Core) =>
    core.context.db
      .prepare("SELECT COUNT(*) FROM indicator_snapshots WHERE symbol = 'EUR-USD' AND timeframe = '1m'")
      .pluck()
      .get() as number

  it('imports CSV candles with per-line errors, warms up on them without proposing, and resumes after the last candle it saw', async () => {
    const first = await open()
    const bad = await importCsv(
      first.core,
      'timestamp,open,high,low,close,volume\n2026-01-01T00:00:00Z,1,0.5,1,1,1\n',
    ).catch((error: unknown) => error)
    expect(bad).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('line 2: high 0.5 is below'),
      issues: [{ path: ['line 2'] }],
    })
    const rows = ['timestamp,open,high,low,close,volume']
    let price = 1.1
    for (let i = 0; i < 600; i++) {
      const next = price * (1 + Math.sin(i / 15) * 0.004)
      rows.push(
        `${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()},${price.toFixed(5)},${(Math.max(price, next) + 0.0005).toFixed(5)},${(Math.min(price, next) - 0.0005).toFixed(5)},${next.toFixed(5)},100`,
      )
      price = next
    }
    expect(await importCsv(first.core, rows.slice(0, 301).join('\n'))).toMatchObject({
      imported: 300,
      alreadyStored: 0,
    })
    const instance = await first.call<StrategyView>('strategies:create', {
      strategyName: 'test_steady',
      instrument: 'EUR-USD',
      config: { feed: 'csv', every: 25, priceDecimals: 5 },
    })
    const noData = await first.call<StrategyView>('strategies:create', {
      strategyName: 'test_steady',
      instrument: 'GBP-USD',
      config: { feed: 'csv' },
    })
    expect(await first.raw('strategies:start', { id: noData.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('No candles are imported for GBP-USD 1m') },
    })
    await first.call('strategies:start', { id: instance.id })
    const userId = first.core.context.profileId as string
    const store = () => first.core.context.store
    await until(
      'the replay to finish',
      async () =>
        (await store().settings.get<string>(`strategy.${instance.id}.replay_cursor`)) === '2026-01-01T04:59:00.000Z',
    )
    // Every candle went through the strategy (its indicator row is there), and none of them, being history, proposed an idea.
    expect(indicatorRows(first.core)).toBe(300)
    expect(await store().tradeIdeas.list(userId, { limit: 1000 })).toEqual([])
    await first.core.shutdown()
    first.core.close()

    // More candles arrive; after the restart only the new ones are replayed.
    const second = await open(first.dataDir)
    expect(await importCsv(second.core, rows.join('\n'))).toMatchObject({ imported: 300, alreadyStored: 300 })
    // The import came after the launch, so the resumed worker had only the old candles; a stop and start picks them up.
    await second.call('strategies:stop', { id: instance.id })
    await second.call('strategies:start', { id: instance.id })
    await until(
      'the second replay to finish',
      async () =>
        (await second.core.context.store.settings.get<string>(`strategy.${instance.id}.replay_cursor`)) ===
        '2026-01-01T09:59:00.000Z',
    )
    expect(indicatorRows(second.core)).toBe(600)
    expect(await second.core.context.store.tradeIdeas.list(userId, { limit: 1000 })).toEqual([])
    await until('the note that it waits for more candles', async () =>
      (await second.core.context.store.serviceLogs.forStrategy(userId, instance.id, { limit: 50 })).find((line) =>
        line.message.includes('has seen the last imported candle'),
      ),
    )
  })
})
