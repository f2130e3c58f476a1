import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TIMEFRAME_MS } from '../../src/main/core/domains/strategies/feeds/feed'
import { syntheticFeed } from '../../src/main/core/domains/strategies/feeds/synthetic'
import {
  configSchemaOf,
  type AnyStrategyKind,
  type NumericCandle,
} from '../../src/main/core/domains/strategies/kinds/kind'
import { BUILT_IN_KINDS, KindRegistry } from '../../src/main/core/domains/strategies/kinds/registry'
import { createStrategyRunner } from '../../src/main/core/domains/strategies/strategy-runner'

const kind = (name: string) => BUILT_IN_KINDS.find((candidate) => candidate.name === name) as AnyStrategyKind
const configFor = (k: AnyStrategyKind, overrides: Record<string, unknown> = {}) =>
  configSchemaOf(k).parse(overrides) as never

function candlesFrom(closes: number[]): NumericCandle[] {
  return closes.map((close, index) => {
    const open = index === 0 ? close : closes[index - 1]!
    return {
      ts: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
      open,
      high: Math.max(open, close) + 0.5,
      low: Math.min(open, close) - 0.5,
      close,
      volume: 10,
    }
  })
}

function run(k: AnyStrategyKind, candles: NumericCandle[], overrides: Record<string, unknown> = {}) {
  const runner = createStrategyRunner(k, configFor(k, overrides))
  return candles.flatMap((candle) => runner.onCandle(candle).ideas.map((idea) => ({ ...idea, ts: candle.ts })))
}

describe('built-in strategy kinds', () => {
  it('EMA crossover goes long on an upward cross with ATR-based levels and says why', () => {
    const closes = [
      ...Array.from({ length: 60 }, (_, i) => 100 - i * 0.2),
      ...Array.from({ length: 15 }, (_, i) => 88 + i * 1.2),
    ]
    const ideas = run(kind('ema_crossover'), candlesFrom(closes), { fastPeriod: 5, slowPeriod: 20, rsiOverbought: 95 })
    expect(ideas.length).toBeGreaterThan(0)
    const first = ideas[0]!
    expect(first.direction).toBe('long')
    expect(first.stopLoss).toBeLessThan(first.entry)
    expect(first.takeProfit).toBeGreaterThan(first.entry)
    // Take-profit 3 ATR and stop 1.5 ATR away: twice as far.
    expect((first.takeProfit - first.entry) / (first.entry - first.stopLoss)).toBeCloseTo(2, 6)
    expect(first.rationale).toMatch(/EMA 5 \(\d+\.\d{2}\) crossed above EMA 20/)
    expect(first.confidence).toBeGreaterThanOrEqual(0.5)
  })

  it('EMA crossover stays out when RSI says the move is stretched', () => {
    const closes = [
      ...Array.from({ length: 60 }, (_, i) => 100 - i * 0.2),
      ...Array.from({ length: 15 }, (_, i) => 88 + i * 1.2),
    ]
    expect(
      run(kind('ema_crossover'), candlesFrom(closes), { fastPeriod: 5, slowPeriod: 20, rsiOverbought: 51 }).filter(
        (idea) => idea.direction === 'long',
      ),
    ).toEqual([])
  })

  it('RSI mean reversion buys when RSI climbs back out of oversold', () => {
    const closes = [
      ...Array.from({ length: 30 }, (_, i) => 100 + (i % 2)),
      ...Array.from({ length: 20 }, (_, i) => 100 - i * 1.5),
      ...Array.from({ length: 10 }, (_, i) => 71.5 + i * 2),
    ]
    const ideas = run(kind('rsi_mean_reversion'), candlesFrom(closes))
    expect(ideas[0]).toMatchObject({ direction: 'long', rationale: expect.stringContaining('rose back above 30') })
  })

  it('Donchian breakout goes long when the close clears the previous channel high', () => {
    const closes = [...Array.from({ length: 40 }, (_, i) => 100 + (i % 2)), 110]
    const ideas = run(kind('donchian_breakout'), candlesFrom(closes))
    expect(ideas).toHaveLength(1)
    expect(ideas[0]).toMatchObject({
      direction: 'long',
      rationale: expect.stringContaining('broke above the 20-candle high'),
    })
  })

  it('every idea of every kind has its stop and target on the right side and a confidence in 0..1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.constantFrom(...BUILT_IN_KINDS), (seed, k) => {
        const feed = syntheticFeed({
          symbol: 'X',
          timeframe: '1m',
          intervalMs: 60_000,
          seed,
          startMs: 0,
          startPrice: 100,
          priceDecimals: 4,
        })
        const candles = Array.from({ length: 400 }, () => {
          const c = feed.next() as {
            ts: string
            open: string
            high: string
            low: string
            close: string
            volume: string
          }
          return {
            ts: c.ts,
            open: Number(c.open),
            high: Number(c.high),
            low: Number(c.low),
            close: Number(c.close),
            volume: Number(c.volume),
          }
        })
        for (const idea of run(k, candles, { priceDecimals: 4 })) {
          const long = idea.direction === 'long'
          expect(
            long
              ? idea.stopLoss < idea.entry && idea.takeProfit > idea.entry
              : idea.stopLoss > idea.entry && idea.takeProfit < idea.entry,
          ).toBe(true)
          expect(idea.confidence).toBeGreaterThanOrEqual(0)
          expect(idea.confidence).toBeLessThanOrEqual(1)
          expect(idea.rationale.length).toBeGreaterThan(20)
        }
      }),
      { numRuns: 60 },
    )
  })

  it('validates settings with clear messages and publishes them as JSON Schema with defaults', () => {
    const result = configSchemaOf(kind('ema_crossover')).safeParse({ fastPeriod: 30, slowPeriod: 10, orderSize: '-1' })
    expect(result.success).toBe(false)
    const messages = result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? []
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringContaining('orderSize: Enter a positive decimal number')]),
    )
    expect(
      configSchemaOf(kind('ema_crossover')).safeParse({ fastPeriod: 30, slowPeriod: 10 }).error?.issues[0],
    ).toMatchObject({ path: ['fastPeriod'], message: 'The fast period must be shorter than the slow period.' })
    const schema = KindRegistry.jsonSchema(kind('ema_crossover')) as {
      properties: Record<string, { default?: unknown; description?: string }>
    }
    expect(schema.properties.fastPeriod).toMatchObject({ default: 5, description: 'Fast EMA period' })
    expect(schema.properties.feed).toMatchObject({ default: 'synthetic', enum: ['synthetic', 'csv'] })
  })
})

describe('synthetic market', () => {
  it('replays identically for a seed, with consistent candles one interval apart', () => {
    const make = () =>
      syntheticFeed({
        symbol: 'X',
        timeframe: '1m',
        intervalMs: TIMEFRAME_MS['1m'],
        seed: 42,
        startMs: Date.UTC(2026, 0, 1),
        startPrice: 100,
        priceDecimals: 2,
      })
    const a = make()
    const b = make()
    let previousClose: string | null = null
    for (let i = 0; i < 2000; i++) {
      const candle = a.next() as NonNullable<ReturnType<typeof a.next>> & {
        ts: string
        open: string
        high: string
        low: string
        close: string
      }
      expect(b.next()).toEqual(candle)
      expect(Date.parse(candle.ts)).toBe(Date.UTC(2026, 0, 1) + i * 60_000)
      expect(Number(candle.high)).toBeGreaterThanOrEqual(Math.max(Number(candle.open), Number(candle.close)))
      expect(Number(candle.low)).toBeLessThanOrEqual(Math.min(Number(candle.open), Number(candle.close)))
      if (previousClose !== null) expect(candle.open).toBe(previousClose)
      previousClose = candle.close
    }
  })
})
