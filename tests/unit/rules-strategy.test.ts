import { describe, expect, it } from 'vitest'
import { configSchemaOf, type NumericCandle } from '../../src/main/core/domains/strategies/kinds/kind'
import { rulesStrategy } from '../../src/main/core/domains/strategies/kinds/rules-strategy'
import { createStrategyRunner } from '../../src/main/core/domains/strategies/strategy-runner'
import { standardIndicatorSet } from '../../src/main/core/domains/strategies/rules/rule-indicators'

/*
 * The rules kind: it proposes where its rule holds, says which conditions held with their values, keeps to its
 * session windows, stays out while a forbidden condition holds, and never proposes below its reward-to-risk floor.
 */

/** Sixty falling minutes then twenty rising ones, from 08:00 UTC on Wednesday 14 January 2026. */
function candles(): NumericCandle[] {
  const closes = [
    ...Array.from({ length: 60 }, (_, i) => 100 - i * 0.2),
    ...Array.from({ length: 20 }, (_, i) => 88 + i * 1.2),
  ]
  return closes.map((close, index) => {
    const open = index === 0 ? close : closes[index - 1]!
    return {
      ts: new Date(Date.UTC(2026, 0, 14, 8) + index * 60_000).toISOString(),
      open,
      high: Math.max(open, close) + 0.5,
      low: Math.min(open, close) - 0.5,
      close,
      volume: 10,
    }
  })
}

const config = (overrides: Record<string, unknown>) =>
  configSchemaOf(rulesStrategy).parse({ timeframe: '1m', entryShort: '', ...overrides }) as never

function ideas(overrides: Record<string, unknown>) {
  const runner = createStrategyRunner(rulesStrategy, config(overrides))
  return candles().flatMap((candle) => runner.onCandle(candle).ideas.map((idea) => ({ ...idea, ts: candle.ts })))
}

describe('a rules strategy', () => {
  const longRule = 'crosses_above(ema(5), ema(20)) and close > open'

  it('proposes where its rule holds, with a rationale naming each condition and its values', () => {
    const [first, ...rest] = ideas({ entryLong: longRule })
    expect(first).toBeDefined()
    expect(rest).toEqual([])
    expect(first!.direction).toBe('long')
    expect(first!.rationale).toMatch(
      /^Long: crosses_above\(ema\(5\), ema\(20\)\) \(ema\(5\) \d+\.\d{2}, ema\(20\) \d+\.\d{2}\); close > open \(close \d+\.\d{2}, open \d+\.\d{2}\)\. Stop 1\.5×ATR\(14\) \(\d+\.\d{2}\) below the entry, target 2R: reward to risk 2\.00\.$/,
    )
    expect((first!.takeProfit - first!.entry) / (first!.entry - first!.stopLoss)).toBeCloseTo(2, 9)
  })

  it('keeps to its session windows, in their own time zone', () => {
    const at = ideas({ entryLong: longRule })[0]!.ts
    // The crossing comes after 09:00 UTC: a London morning session that ends at 09:00 in winter leaves it out.
    expect(Date.parse(at)).toBeGreaterThan(Date.UTC(2026, 0, 14, 9))
    expect(ideas({ entryLong: longRule, sessionWindows: 'Mon–Fri 08:00–09:00 Europe/London' })).toEqual([])
    expect(ideas({ entryLong: longRule, sessionWindows: 'Wed 09:00–10:00 Europe/London' })).toHaveLength(1)
    // New York is five hours behind in January: its 04:00–05:00 is the same hour.
    expect(ideas({ entryLong: longRule, sessionWindows: 'Wed 04:00–05:00 America/New_York' })).toHaveLength(1)
    expect(ideas({ entryLong: longRule, sessionWindows: 'Thu 04:00–05:00 America/New_York' })).toEqual([])
  })

  it('stays out while a forbidden condition holds, and while it cannot be known yet', () => {
    expect(ideas({ entryLong: longRule, forbidden: 'close > 80' })).toEqual([])
    expect(ideas({ entryLong: longRule, forbidden: 'close > 1000' })).toHaveLength(1)
    // An ATR of 500 candles is never known in 80: the careful reading withholds.
    expect(ideas({ entryLong: longRule, forbidden: 'atr(500) > 1000' })).toEqual([])
  })

  it('does not propose below its least reward to risk', () => {
    // Target 2 ATRs against a stop of 1.5: 1.33.
    const asked = { entryLong: longRule, targetBy: 'atr', targetValue: 2 }
    expect(ideas({ ...asked, minRewardToRisk: 1.5 })).toEqual([])
    const [idea] = ideas({ ...asked, minRewardToRisk: 1.3 })
    expect(idea!.rationale).toContain('reward to risk 1.33, at least 1.3 asked.')
  })

  it('refuses a broken rule or window when the instance is saved, naming the field and the place', () => {
    const checked = (overrides: Record<string, unknown>) =>
      configSchemaOf(rulesStrategy)
        .safeParse(overrides)
        .error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    expect(checked({ entryLong: 'ema(12) > and 3' })).toEqual([
      'entryLong: “and” needs a condition on each side. (at character 11)',
    ])
    expect(checked({ forbidden: 'rsi(14) > 70 or volum > 3' })).toEqual([
      expect.stringMatching(/^forbidden: Unknown name “volum”.* \(at character 17\)$/),
    ])
    expect(checked({ sessionWindows: 'Mon–Fri 08:00–16:30 Mars/Olympus' })).toEqual([
      'sessionWindows: “Mars/Olympus” is not a time zone: name one like Europe/London, America/New_York or UTC.',
    ])
    expect(checked({ entryLong: '', entryShort: '' })).toEqual([
      'entryLong: Give a rule for going long, going short, or both.',
    ])
  })

  it("keeps the platform's standard indicators with each snapshot, which its decision never reads", () => {
    const series = Array.from({ length: 260 }, (_, index) => ({
      ts: new Date(Date.UTC(2026, 0, 14) + index * 60_000).toISOString(),
      open: 100 + Math.sin(index / 7),
      high: 101 + Math.sin(index / 7),
      low: 99 + Math.sin(index / 7),
      close: 100 + Math.sin((index + 1) / 7),
      volume: 5,
    }))
    const plain = createStrategyRunner(rulesStrategy, config({ entryLong: longRule }))
    const storing = createStrategyRunner(rulesStrategy, config({ entryLong: longRule }), standardIndicatorSet())
    const outcomes = series.map((candle) => [plain.onCandle(candle), storing.onCandle(candle)] as const)
    expect(outcomes.map(([a]) => a.ideas)).toEqual(outcomes.map(([, b]) => b.ideas))
    const last = outcomes.at(-1)![1].indicators
    for (const key of [
      'sma_50',
      'sma_200',
      'rsi_14',
      'atr_14',
      'macd_12_26_9',
      'macd_signal_12_26_9',
      'macd_hist_12_26_9',
    ])
      expect(typeof last[key], key).toBe('number')
    expect(last.macd_hist_12_26_9).toBeCloseTo(last.macd_12_26_9! - last.macd_signal_12_26_9!, 9)
    // Before two hundred candles, the 200-candle average is not yet known.
    expect(outcomes[150]![1].indicators.sma_200).toBeNull()
    expect(outcomes.at(-1)![0].indicators.sma_200).toBeUndefined()
  })
})
