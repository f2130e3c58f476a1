import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { syntheticCandles } from '../../src/main/core/domains/backtests/candle-sources'
import { runBacktest } from '../../src/main/core/domains/backtests/engine'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import { CandleProcessor } from '../../src/main/core/domains/strategies/candle-processor'
import { configSchemaOf, type CommonConfig } from '../../src/main/core/domains/strategies/kinds/kind'
import { createStrategyRunner } from '../../src/main/core/domains/strategies/strategy-runner'
import { PAPER_COSTS } from '../../src/main/core/domains/trading/fill-rules'
import type { BacktestRun, BacktestRunSummary } from '../../src/shared/domain'
import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { makeTempDir } from '../helpers/temp-dir'

const LIVE_TABLES = [
  'trade_ideas',
  'decision_history',
  'orders',
  'fills',
  'positions',
  'trades',
  'account_snapshots',
  'market_snapshots',
  'indicator_snapshots',
]

describe('backtests', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function openTestCore(): Promise<Core> {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    const core = openCore({
      dataDir: dir.path,
      host: 'browser',
      appVersion: 'test',
      strategies: { worker: sourceWorkerEntry },
    })
    cleanups.push(() => core.close())
    await core.start()
    return core
  }

  async function call<T>(core: Core, channel: string, input: unknown = {}): Promise<T> {
    const result = await dispatch(core.handlers, channel, input)
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`)
    return result.value as T
  }

  const counts = (core: Core) =>
    Object.fromEntries(
      LIVE_TABLES.map((table) => [table, core.context.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get()]),
    )

  it('runs as one stored record, gives byte-identical figures for the same seed, and touches nothing live', async () => {
    const core = await openTestCore()
    const before = counts(core)
    const request = {
      kind: 'ema_crossover',
      symbol: 'BTC-USD',
      timeframe: '1m',
      source: 'synthetic',
      seed: 11,
      candles: 20_000,
      config: { fastPeriod: 9 },
    }
    const first = await call<BacktestRunSummary>(core, 'backtests:run', { ...request, runId: crypto.randomUUID() })
    const second = await call<BacktestRunSummary>(core, 'backtests:run', { ...request, runId: crypto.randomUUID() })
    expect(JSON.stringify(second.stats)).toBe(JSON.stringify(first.stats))
    expect(first).toMatchObject({
      candles: 20_000,
      seed: 11,
      source: 'synthetic',
      dataFrom: '2026-01-01T00:00:00.000Z',
      appVersion: 'test',
    })
    expect(first.stats.tradeCount).toBeGreaterThan(10)
    for (const figure of [
      'netPnl',
      'returnPct',
      'winRate',
      'profitFactor',
      'maxDrawdown',
      'maxDrawdownPct',
      'sharpe',
      'sortino',
      'exposure',
      'averageWin',
      'averageLoss',
      'longestDrawdownCandles',
      'longestDrawdownMs',
    ] as const) {
      expect(first.stats[figure], figure).not.toBeUndefined()
    }
    const stored = await call<BacktestRun>(core, 'backtests:get', { id: first.id })
    expect(stored.trades).toHaveLength(first.stats.tradeCount)
    expect(stored.config).toMatchObject({ fastPeriod: 9, slippage: PAPER_COSTS.slippage, feeRate: PAPER_COSTS.feeRate })
    expect(stored.equity.length).toBeGreaterThan(100)
    expect(stored.equity.length).toBeLessThanOrEqual(4000)
    expect(stored.bars.length).toBe(stored.equity.length)
    // The figures add up from the trades.
    const net = stored.trades.reduce((sum, trade) => sum + Number(trade.netPnl), 0)
    expect(net).toBeCloseTo(Number(first.stats.netPnl), 6)
    expect(counts(core)).toEqual(before)
    expect((await call<BacktestRunSummary[]>(core, 'backtests:list')).map((run) => run.id)).toEqual([
      second.id,
      first.id,
    ])
  })

  it('exports the trades as CSV and the figures as JSON, refuses bad input in words, and deletes a run', async () => {
    const core = await openTestCore()
    const run = await call<BacktestRunSummary>(core, 'backtests:run', {
      runId: crypto.randomUUID(),
      kind: 'ema_crossover',
      symbol: 'ETH-USD',
      timeframe: '5m',
      source: 'synthetic',
      seed: 3,
      candles: 5_000,
    })
    const csv = await call<{ path: string; rows: number }>(core, 'backtests:export', {
      id: run.id,
      format: 'trades_csv',
    })
    const { readFileSync } = await import('node:fs')
    const lines = readFileSync(csv.path, 'utf8').trim().split('\n')
    expect(lines[0]).toBe('entryTs,exitTs,direction,quantity,entryPrice,exitPrice,exitReason,realizedPnl,fees,netPnl')
    expect(lines).toHaveLength(run.stats.tradeCount + 1)
    const json = await call<{ path: string }>(core, 'backtests:export', { id: run.id, format: 'stats_json' })
    expect(JSON.parse(readFileSync(json.path, 'utf8'))).toMatchObject({
      id: run.id,
      stats: run.stats,
      config: expect.any(Object),
    })

    const refused = await dispatch(core.handlers, 'backtests:run', {
      runId: crypto.randomUUID(),
      kind: 'ema_crossover',
      symbol: 'BTC-USD',
      timeframe: '1m',
      source: 'synthetic',
      config: { fastPeriod: 30, slowPeriod: 20 },
    })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('fast period must be shorter') },
    })
    const nothingStored = await dispatch(core.handlers, 'backtests:run', {
      runId: crypto.randomUUID(),
      kind: 'ema_crossover',
      symbol: 'NOPE',
      timeframe: '1m',
      source: 'stored',
    })
    expect(nothingStored).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('No candles are stored for NOPE 1m') },
    })
    expect(await call(core, 'backtests:delete', { id: run.id })).toEqual({ deleted: true })
    expect(await call<BacktestRunSummary[]>(core, 'backtests:list')).toEqual([])
  })

  it('cancels a long run on request, storing nothing', async () => {
    const core = await openTestCore()
    const runId = crypto.randomUUID()
    // Cancel when the run reports progress, not after a guessed delay.
    core.events.subscribe((event, payload) => {
      if (
        event === 'backtests:progress' &&
        (payload as { runId: string; candles: number }).runId === runId &&
        (payload as { candles: number }).candles > 0
      )
        void dispatch(core.handlers, 'backtests:cancel', { runId })
    })
    const result = await dispatch(core.handlers, 'backtests:run', {
      runId,
      kind: 'ema_crossover',
      symbol: 'BTC-USD',
      timeframe: '1m',
      source: 'synthetic',
      candles: 2_000_000,
    })
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('cancelled') },
    })
    expect(await call<BacktestRunSummary[]>(core, 'backtests:list')).toEqual([])
  })

  const EMA = { fastPeriod: 5, slowPeriod: 13 }
  const RULES = {
    entryLong: 'crosses_above(ema(5), ema(13)) and rsi(14) < 75',
    entryShort: 'crosses_below(ema(5), ema(13)) and macd_hist() < 0',
    forbidden: 'atr(14) > 3 * atr(50)',
    sessionWindows: 'Sun–Fri 00:00–12:00 Europe/London',
    targetBy: 'r',
    targetValue: 1.5,
    minRewardToRisk: 1,
    avoidHighImpactMinutes: 45,
    exitAfterCandles: 12,
    maxSize: '0.5',
    maxOpenTrades: 1,
  }
  it.each([
    ['a fixed size', 'ema_crossover', EMA],
    [
      'sizing by risk (5 lost at the stop, in steps of 1e-8)',
      'ema_crossover',
      { ...EMA, sizing: 'risk', riskPerTrade: '5' },
    ],
    [
      'a trailing stop 0.8 behind each close and break-even at 1R',
      'ema_crossover',
      { ...EMA, trailingStop: 'distance', trailingDistance: '0.8', breakEvenAtR: 1 },
    ],
    [
      'a trailing stop 1.5 ATR(10) behind and break-even at 0.5R',
      'ema_crossover',
      { ...EMA, trailingStop: 'atr', trailingAtrMultiple: 1.5, trailingAtrPeriod: 10, breakEvenAtR: 0.5 },
    ],
    ['a rules instance with session windows, a forbidden rule and a reward-to-risk floor', 'rules', RULES],
  ])(
    'the same candles give the same trades in a backtest and in forward running, with %s',
    async (_name, kindName, sizing) => {
      const core = await openTestCore()
      const ctx = core.context
      const userId = ctx.profileId as string
      // Forward running executes every idea it can, one position at a time, like the backtest.
      await ctx.store.riskConfig.update(userId, {
        aiTradingEnabled: true,
        minConfidenceThreshold: 0,
        maxConcurrentTrades: 1,
        maxLotSize: '100',
        watchlist: ['BTC-USD'],
      })
      const kind = core.services.kinds.get(kindName)!
      const config = configSchemaOf(kind).parse({ timeframe: '1m', ...sizing }) as CommonConfig &
        Record<string, unknown>
      const candles = [
        ...syntheticCandles({
          source: 'synthetic',
          symbol: 'BTC-USD',
          timeframe: '1m',
          seed: 5,
          candles: 3_000,
          from: '2026-03-01T00:00:00.000Z',
          startPrice: 100,
          priceDecimals: 2,
        }),
      ]

      // High-impact USD events every three hours through the run (BTC-USD is priced in USD), and one for another
      // currency, which changes nothing.
      const event = (eventTime: string, currency: string, title: string) => ({
        eventTime,
        currency,
        impact: 'high' as const,
        title,
        previousValue: null,
        forecastValue: null,
        actualValue: null,
        capturedAt: null,
      })
      const calendar = [
        ...Array.from({ length: 16 }, (_, index) =>
          event(
            new Date(Date.parse('2026-03-01T01:30:00.000Z') + index * 3 * 3_600_000).toISOString(),
            'USD',
            `Release ${index + 1}`,
          ),
        ),
        event('2026-03-01T02:00:00.000Z', 'JPY', 'BoJ minutes'),
      ]
      if (kindName === 'rules') await ctx.store.marketEvents.upsertCalendar(calendar)
      const events = kindName === 'rules' ? { calendar, news: [] } : undefined
      const backtest = await runBacktest({
        kind,
        config,
        candles,
        costs: PAPER_COSTS,
        startingEquity: '10000',
        symbol: 'BTC-USD',
        ...(events ? { events } : {}),
      })

      const instance = await ctx.store.strategies.create(userId, {
        strategyName: kindName,
        instrument: 'BTC-USD',
        environment: 'paper',
        config,
      })
      let clock = 0
      const processor = new CandleProcessor({
        store: () => ctx.store,
        trading: core.services.trading,
        events: ctx.events,
        now: () => new Date(clock),
      })
      const runner = createStrategyRunner(kind, config)
      for (const candle of candles) {
        const { indicators, ideas } = runner.onCandle({
          ts: candle.ts,
          open: Number(candle.open),
          high: Number(candle.high),
          low: Number(candle.low),
          close: Number(candle.close),
          volume: Number(candle.volume),
        })
        // Each candle arrives as it closes: the live edge.
        clock = Date.parse(candle.ts) + 60_000
        await processor.process({ userId, strategyId: instance.id, instrument: 'BTC-USD', series: '1m', config }, [
          { candle, indicators, ideas },
        ])
      }
      const forward = (await ctx.store.trades.all(userId)).sort((a, b) => a.openedAt.localeCompare(b.openedAt))
      const closedInBacktest = backtest.trades.filter((trade) => trade.exitReason !== 'end_of_data')
      expect(closedInBacktest.length).toBeGreaterThan(20)
      if (kindName === 'rules') {
        // The rules kept to their window: every trade opened in a London morning.
        for (const trade of closedInBacktest) expect(new Date(trade.entryTs).getUTCHours()).toBeLessThanOrEqual(12)
        // Each idea's size is the instance's cap, below the size of 1 it would otherwise have.
        expect(closedInBacktest.every((trade) => trade.quantity === '0.5')).toBe(true)
        // Some trades ran out their twelve candles: closed by the time exit, at the twelfth candle's close.
        const timed = closedInBacktest.filter((trade) => trade.exitReason === 'strategy')
        expect(timed.length).toBeGreaterThan(0)
        for (const trade of timed) expect((Date.parse(trade.exitTs) - Date.parse(trade.entryTs)) / 60_000 + 1).toBe(12)
        const timeExits = await ctx.store.decisions.query(userId, { actions: ['position_closed'] }, { limit: 500 })
        expect(timeExits.rows.length).toBe(timed.length)
        expect(timeExits.rows[0]!.rationale).toMatch(
          /^The strategy's time exit closed the (long|short) 0\.5 BTC-USD at the close of its 12th candle, [\d.]+\.$/,
        )
        // Ideas near the USD releases were withheld, each a decision row that says which release; without the
        // calendar the same run trades differently.
        const withheld = await ctx.store.decisions.query(userId, { actions: ['idea_withheld'] }, { limit: 500 })
        expect(withheld.rows.length).toBeGreaterThan(0)
        expect(withheld.rows.map((row) => row.rationale)).toContainEqual(
          expect.stringMatching(
            /^(Long|Short) BTC-USD at [\d.]+ withheld: a high-impact USD event, Release \d+, at \d\d:\d\d UTC, is within 45 minutes\. (Long|Short): /,
          ),
        )
        // An idea while its one trade is open is withheld by the instance's own cap, before the risk engine sees it.
        expect(withheld.rows.map((row) => row.rationale)).toContainEqual(
          expect.stringContaining('withheld: the strategy may hold 1 open trade at once, and holds 1.'),
        )
        const blind = await runBacktest({ kind, config, candles, costs: PAPER_COSTS, startingEquity: '10000' })
        expect(blind.trades.map((trade) => trade.entryTs)).not.toEqual(backtest.trades.map((trade) => trade.entryTs))
      }
      if (config.sizing === 'risk')
        for (const trade of closedInBacktest) expect(Number(trade.quantity)).not.toBe(Number(config.orderSize))
      const shape = (
        trade: {
          direction: string
          quantity: string
          entryPrice: string
          exitPrice: string
          realizedPnl: string
          fees: string
          exitReason: string
        },
        opened: string,
        closed: string,
      ) => ({
        direction: trade.direction,
        quantity: trade.quantity,
        opened,
        closed,
        entry: trade.entryPrice,
        exit: trade.exitPrice,
        pnl: trade.realizedPnl,
        fees: trade.fees,
        reason: trade.exitReason,
      })
      expect(forward.map((trade) => shape(trade, trade.openedAt, trade.closedAt))).toEqual(
        closedInBacktest.map((trade) => shape(trade, trade.entryTs, trade.exitTs)),
      )
      if ('trailingStop' in sizing) {
        // The rules did move stops, each a decision row by the strategy's rule, and they changed the trades.
        const moves = await ctx.store.decisions.query(userId, { actions: ['position_modified'] }, { limit: 500 })
        expect(moves.rows.length).toBeGreaterThan(20)
        expect(moves.rows.every((row) => row.actor === 'ai' && row.strategyId === instance.id)).toBe(true)
        expect(moves.rows.some((row) => /break-even/.test(row.rationale))).toBe(true)
        expect(moves.rows.some((row) => /trailing/.test(row.rationale))).toBe(true)
        const plain = configSchemaOf(kind).parse({ timeframe: '1m', fastPeriod: 5, slowPeriod: 13 }) as CommonConfig &
          Record<string, unknown>
        const unmanaged = await runBacktest({
          kind,
          config: plain,
          candles,
          costs: PAPER_COSTS,
          startingEquity: '10000',
        })
        expect(unmanaged.trades.map((trade) => trade.exitPrice)).not.toEqual(
          backtest.trades.map((trade) => trade.exitPrice),
        )
      }
    },
  )
})
