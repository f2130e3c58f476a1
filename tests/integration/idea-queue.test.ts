import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CoreEvents } from '../../src/main/core/platform/events'
import { CandleProcessor, type ProcessedInstance } from '../../src/main/core/domains/strategies/candle-processor'
import { commonConfigSchema } from '../../src/main/core/domains/strategies/kinds/kind'
import type { IdeaSignal } from '../../src/main/core/domains/strategies/kinds/kind'
import type { BatchItem } from '../../src/main/core/domains/strategies/worker/protocol'
import type { TradeIdea } from '../../src/main/core/platform/store/repositories/trade-ideas'
import type { User } from '../../src/main/core/platform/store/repositories/users'
import { TradingRegistry } from '../../src/main/core/wiring/trading-registry'
import { sqliteStore, type StoreHarness } from '../helpers/store-harness'

const MINUTE = 60_000
const START = Date.UTC(2026, 10, 27, 9, 0, 0)

/** One step of a market path: how the candle moves (basis points) and whether the strategy proposes on it. */
interface Step {
  moveBp: number
  wickBp: number
  propose: 'none' | 'long' | 'short'
}

const stepArbitrary = fc.record({
  moveBp: fc.integer({ min: -120, max: 120 }),
  wickBp: fc.integer({ min: 0, max: 80 }),
  propose: fc.constantFrom('none' as const, 'none' as const, 'long' as const, 'short' as const),
})

/** Candles from a path of steps, each opening where the last closed, prices to the cent. */
function candlesOf(steps: Step[], series: string) {
  let close = 100
  return steps.map((step, index) => {
    const open = close
    close = Math.max(1, open * (1 + step.moveBp / 10_000))
    const high = Math.max(open, close) * (1 + step.wickBp / 10_000)
    const low = Math.min(open, close) * (1 - step.wickBp / 10_000)
    const candle = {
      symbol: 'BTC-USD',
      timeframe: series,
      ts: new Date(START + index * MINUTE).toISOString(),
      open: open.toFixed(2),
      high: high.toFixed(2),
      low: low.toFixed(2),
      close: close.toFixed(2),
      volume: '1',
    }
    close = Number(candle.close)
    return candle
  })
}

function signalFor(direction: 'long' | 'short', close: number): IdeaSignal {
  const sign = direction === 'long' ? 1 : -1
  return {
    direction,
    entry: close,
    stopLoss: close * (1 - sign * 0.006),
    takeProfit: close * (1 + sign * 0.009),
    confidence: 0.7,
    rationale: 'test signal',
  }
}

const crossed = (idea: TradeIdea, candle: { high: string; low: string }) =>
  idea.direction === 'long'
    ? Number(candle.low) <= Number(idea.stopLoss) || Number(candle.high) >= Number(idea.takeProfit)
    : Number(candle.high) >= Number(idea.stopLoss) || Number(candle.low) <= Number(idea.takeProfit)

describe('the approval queue holds only ideas a trader can act on', () => {
  let h: StoreHarness
  let user: User
  let clock = START
  let processor: CandleProcessor
  let runs = 0
  let processorEvents: CoreEvents

  beforeAll(async () => {
    h = await sqliteStore()
    user = await h.store.users.ensureDefault()
    const events = new CoreEvents()
    processorEvents = events
    processor = new CandleProcessor({
      store: () => h.store,
      trading: new TradingRegistry(() => h.store, events),
      events,
      now: () => new Date(clock),
    })
  })
  afterAll(async () => h.close())

  async function instance(overrides: Record<string, unknown> = {}): Promise<ProcessedInstance> {
    runs++
    const created = await h.store.strategies.create(user.id, {
      strategyName: `test_steady_${runs}`,
      instrument: 'BTC-USD',
      environment: 'paper',
      config: {},
    })
    return {
      userId: user.id,
      strategyId: created.id,
      instrument: 'BTC-USD',
      series: `1m@queue-${runs}`,
      config: commonConfigSchema.parse({ timeframe: '1m', ...overrides }),
    }
  }

  const waitingOf = async (strategyId: string) =>
    (await h.store.tradeIdeas.list(user.id, { statuses: ['needs_approval'], limit: 10_000 })).filter(
      (idea) => idea.strategyId === strategyId,
    )

  it('once a candle that crossed an idea’s stop or target is processed, that idea is never waiting (random candle paths)', async () => {
    let invalidated = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArbitrary, { minLength: 5, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 60, maxLength: 60 }),
        async (steps, batchSizes) => {
          const run = await instance({ ideaExpiryCandles: 10_000 })
          const candles = candlesOf(steps, run.series)
          let index = 0
          for (const size of batchSizes) {
            if (index >= candles.length) break
            const batch = candles.slice(index, index + size)
            const items: BatchItem[] = batch.map((candle, offset) => {
              const step = steps[index + offset] as Step
              return {
                candle,
                indicators: {},
                ideas: step.propose === 'none' ? [] : [signalFor(step.propose, Number(candle.close))],
              }
            })
            // The batch arrives as its last candle closes: that one is at the live edge, older ones are history.
            clock = Date.parse(batch.at(-1)!.ts) + MINUTE
            await processor.process(run, items)
            for (const idea of await waitingOf(run.strategyId)) {
              const snapshot = await h.store.marketSnapshots.get(idea.snapshotId as string)
              const after = candles
                .slice(0, index + batch.length)
                .filter((candle) => candle.ts > (snapshot?.ts as string))
              expect(
                after.filter((candle) => crossed(idea, candle)),
                `idea ${idea.id} still waits after the market crossed it`,
              ).toEqual([])
            }
            index += batch.length
          }
          const [count] = (await h.raw(
            "SELECT COUNT(*) AS n FROM decision_history WHERE action = 'idea_invalidated' AND strategy_id = ?",
            [run.strategyId],
          )) as { n: number }[]
          invalidated += count?.n ?? 0
        },
      ),
      { numRuns: 40, seed: 20261128 },
    )
    // The property was exercised, not satisfied by an empty queue.
    expect(invalidated).toBeGreaterThan(0)
  })

  it('history proposes nothing, a newer idea supersedes the waiting one, and an idea expires after N candles, each with its reason in the history', async () => {
    const run = await instance({ ideaExpiryCandles: 3 })
    const flat: Step[] = Array.from({ length: 12 }, () => ({ moveBp: 0, wickBp: 5, propose: 'none' }))
    flat[2] = { moveBp: 0, wickBp: 5, propose: 'long' }
    flat[6] = { moveBp: 0, wickBp: 5, propose: 'long' }
    flat[7] = { moveBp: 0, wickBp: 5, propose: 'long' }
    const candles = candlesOf(flat, run.series)
    const item = (i: number): BatchItem => ({
      candle: candles[i]!,
      indicators: {},
      ideas: flat[i]!.propose === 'none' ? [] : [signalFor('long', Number(candles[i]!.close))],
    })

    // Candles 0..4 arrive long after they closed: history, so the idea on candle 2 is never proposed.
    clock = Date.parse(candles[4]!.ts) + 10 * MINUTE
    await processor.process(run, [0, 1, 2, 3, 4].map(item))
    expect(
      await h.store.tradeIdeas
        .list(user.id, { limit: 100 })
        .then((ideas) => ideas.filter((idea) => idea.strategyId === run.strategyId)),
    ).toEqual([])

    for (const i of [5, 6, 7, 8, 9, 10, 11]) {
      clock = Date.parse(candles[i]!.ts) + MINUTE
      await processor.process(run, [item(i)])
    }
    const rows = await h.raw(
      'SELECT action, rationale FROM decision_history WHERE strategy_id = ? ORDER BY occurred_at, rowid',
      [run.strategyId],
    )
    const actions = (rows as { action: string; rationale: string }[]).map((row) => row.action)
    expect(actions).toEqual(['ai_proposed', 'idea_superseded', 'ai_proposed', 'idea_expired'])
    expect((rows as { rationale: string }[])[1]?.rationale).toContain('Replaced by a newer long idea')
    expect((rows as { rationale: string }[])[3]?.rationale).toBe('3 candles closed without a decision (it may wait 3).')
    expect(await waitingOf(run.strategyId)).toEqual([])
    // Each withdrawn idea carries its reason, newest withdrawal first, and the deadline it showed was the one that ended it.
    const withdrawn = (await h.store.tradeIdeas.recentlyWithdrawn(user.id, 20)).filter(
      (idea) => idea.strategyId === run.strategyId,
    )
    expect(withdrawn.map((idea) => idea.decisionNote)).toEqual([
      '3 candles closed without a decision (it may wait 3).',
      expect.stringContaining('Replaced by a newer long idea'),
    ])
    expect(withdrawn[0]?.expiresAt).toBe(new Date(Date.parse(candles[7]!.ts) + 4 * MINUTE).toISOString())
  })

  it('keeps an idea waiting while the price stays within the trader’s entry tolerance and withdraws it the candle it closes outside', async () => {
    const run = await instance({ entryToleranceR: 0.5 })
    // A long at 100 with its stop 0.6% below: at half of R the range is 99.70–100.30.
    const path: Step[] = [
      { moveBp: 0, wickBp: 5, propose: 'long' },
      { moveBp: 20, wickBp: 5, propose: 'none' },
      { moveBp: -35, wickBp: 5, propose: 'none' },
      { moveBp: 60, wickBp: 5, propose: 'none' },
    ]
    const candles = candlesOf(path, run.series)
    for (const [i, candle] of candles.entries()) {
      clock = Date.parse(candle.ts) + MINUTE
      await processor.process(run, [
        { candle, indicators: {}, ideas: path[i]!.propose === 'none' ? [] : [signalFor('long', Number(candle.close))] },
      ])
      const waiting = await waitingOf(run.strategyId)
      if (i === 0) expect(waiting[0]).toMatchObject({ entryRangeLow: '99.70', entryRangeHigh: '100.30' })
      // Closes 100.20, then 99.85: inside; then 100.45: outside.
      expect(waiting).toHaveLength(i < 3 ? 1 : 0)
    }
    const [idea] = await h.store.tradeIdeas.recentlyWithdrawn(user.id, 1)
    expect(idea?.decisionNote).toContain('The price left the entry range 99.70–100.30')
  })

  it('candles that close together are committed together, and their ideas together respect the limit on open trades', async () => {
    await h.store.riskConfig.update(user.id, {
      aiTradingEnabled: true,
      minConfidenceThreshold: 0,
      maxConcurrentTrades: 1,
      maxLotSize: '100',
      watchlist: ['BTC-USD'],
    })
    try {
      const runs = [await instance(), await instance()]
      const closesAt = START + 500 * MINUTE
      clock = closesAt + MINUTE
      const changed: unknown[] = []
      const off = processorEvents.subscribe((event) => {
        if (event === 'ideas:changed') changed.push(event)
      })
      await Promise.all(
        runs.map((run) => {
          const candle = {
            symbol: 'BTC-USD',
            timeframe: run.series,
            ts: new Date(closesAt).toISOString(),
            open: '100.00',
            high: '100.10',
            low: '99.90',
            close: '100.00',
            volume: '1',
          }
          return processor.process(run, [{ candle, indicators: {}, ideas: [signalFor('long', 100)] }])
        }),
      )
      off()
      const ideas = (await h.store.tradeIdeas.list(user.id, { limit: 100 })).filter((idea) =>
        runs.some((run) => run.strategyId === idea.strategyId),
      )
      // Both were judged in one transaction before either order existed: the second still counts the first.
      expect(ideas.map((idea) => idea.status).sort()).toEqual(['auto_executed', 'rejected'])
      const [rejection] = (await h.raw(
        "SELECT rationale FROM decision_history WHERE action = 'risk_rejected' AND strategy_id IN (?, ?)",
        runs.map((run) => run.strategyId),
      )) as { rationale: string }[]
      expect(rejection?.rationale).toContain('the maximum is 1')
      expect(changed).toHaveLength(2)
    } finally {
      await h.store.riskConfig.update(user.id, { aiTradingEnabled: false })
    }
  })
})
