import Decimal from 'decimal.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  judgePositionAction,
  evaluate,
  REASON_CODES,
  type RiskAccountState,
  type RiskIdea,
  type RiskLimits,
} from '../../src/main/core/domains/trading/risk-engine'

const decimalString = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: 6 }))
    .map(([units, scale]) => new Decimal(units).div(new Decimal(10).pow(scale)).toString())

const SYMBOLS = ['BTC-PERP', 'ETH-PERP', 'SOL-PERP', 'XRP-PERP']

/** Ideas with consistent stop-loss and take-profit around the entry. */
const validIdea: fc.Arbitrary<RiskIdea> = fc
  .record({
    symbol: fc.constantFrom(...SYMBOLS),
    direction: fc.constantFrom('long' as const, 'short' as const),
    entry: fc.integer({ min: 1_000, max: 10_000_000 }),
    stopDistance: fc.integer({ min: 1, max: 999 }),
    targetDistance: fc.integer({ min: 1, max: 999 }),
    size: decimalString(1, 5_000_000),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ symbol, direction, entry, stopDistance, targetDistance, size, confidence }) => {
    const sign = direction === 'long' ? 1 : -1
    return {
      symbol,
      direction,
      entryPrice: new Decimal(entry).div(100).toString(),
      stopLoss: new Decimal(entry - sign * stopDistance).div(100).toString(),
      takeProfit: new Decimal(entry + sign * targetDistance).div(100).toString(),
      size,
      confidence,
    }
  })

const limits: fc.Arbitrary<RiskLimits> = fc.record({
  aiTradingEnabled: fc.boolean(),
  minConfidenceThreshold: fc.double({ min: 0, max: 1, noNaN: true }),
  maxLotSize: decimalString(1, 5_000_000),
  maxConcurrentTrades: fc.integer({ min: 0, max: 5 }),
  dailyProfitTarget: fc.option(decimalString(1, 1_000_000), { nil: null }),
  stopAfterTarget: fc.boolean(),
  maxDrawdownAmount: fc.option(decimalString(1, 1_000_000), { nil: null }),
  maxOrderNotional: fc.option(decimalString(1, 100_000_000), { nil: null }),
  maxDailyNotional: fc.option(decimalString(1, 100_000_000), { nil: null }),
  maxDailyLoss: fc.option(decimalString(1, 1_000_000), { nil: null }),
  haltOnDrawdown: fc.boolean(),
  allowOffWatchlistAutotrade: fc.boolean(),
  watchlist: fc.subarray(SYMBOLS),
  halted: fc.boolean(),
  lastHaltReason: fc.constant(null),
})

const account: fc.Arbitrary<RiskAccountState> = fc
  .record({
    pnl: fc.integer({ min: -500_000, max: 2_000_000 }),
    equity: fc.integer({ min: 1, max: 10_000_000 }),
    peakExtra: fc.integer({ min: 0, max: 2_000_000 }),
    ordered: fc.integer({ min: 0, max: 50_000_000 }),
  })
  .map(({ pnl, equity, peakExtra, ordered }) => ({
    realisedPnlToday: String(pnl / 100),
    equity: String(equity / 100),
    dayPeakEquity: String((equity + peakExtra) / 100),
    orderedNotionalToday: String(ordered / 100),
  }))

const positions = fc.array(fc.record({ symbol: fc.constantFrom(...SYMBOLS) }), { maxLength: 6 })
const scenario = fc.tuple(validIdea, limits, account, positions)

const NUM_RUNS = 2_000

describe('risk engine invariants (property-based)', () => {
  it('never auto-executes below the threshold, with AI off, when halted, beyond limits, or off-watchlist without permission', () => {
    fc.assert(
      fc.property(scenario, ([idea, config, state, open]) => {
        const decision = evaluate(idea, config, state, open)
        if (decision.route !== 'auto_execute') return
        expect(config.aiTradingEnabled).toBe(true)
        expect(idea.confidence).toBeGreaterThanOrEqual(config.minConfidenceThreshold)
        expect(config.halted).toBe(false)
        expect(open.length).toBeLessThan(config.maxConcurrentTrades)
        expect(new Decimal(idea.size).lte(config.maxLotSize)).toBe(true)
        const notional = new Decimal(idea.size).times(idea.entryPrice)
        if (config.maxOrderNotional !== null) expect(notional.lte(config.maxOrderNotional)).toBe(true)
        if (config.maxDailyNotional !== null)
          expect(notional.plus(state.orderedNotionalToday ?? '0').lte(config.maxDailyNotional)).toBe(true)
        expect(config.watchlist.includes(idea.symbol) || config.allowOffWatchlistAutotrade).toBe(true)
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('gives the same decision for the same inputs', () => {
    fc.assert(
      fc.property(scenario, ([idea, config, state, open]) => {
        expect(
          evaluate(structuredClone(idea), structuredClone(config), structuredClone(state), structuredClone(open)),
        ).toEqual(evaluate(idea, config, state, open))
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('gives every valid idea exactly one route, with a consistent status and readable reasons', () => {
    const statusByRoute = {
      auto_execute: ['auto_executed'],
      needs_approval: ['needs_approval'],
      reject: ['rejected', 'halted_by_risk'],
    }
    fc.assert(
      fc.property(scenario, ([idea, config, state, open]) => {
        const decision = evaluate(idea, config, state, open)
        expect(statusByRoute[decision.route]).toContain(decision.status)
        expect(decision.reasons.length).toBeGreaterThan(0)
        for (const reason of decision.reasons) {
          expect(REASON_CODES).toContain(reason.code)
          expect(reason.message).toMatch(/^[A-Z0-9].*\.$/)
        }
        expect(decision.reasons.some((reason) => reason.code === 'invalid_idea')).toBe(false)
        if (decision.halt) expect(decision.status).toBe('halted_by_risk')
      }),
      { numRuns: NUM_RUNS },
    )
  })
})

describe('risk engine rules', () => {
  const base: RiskLimits = {
    aiTradingEnabled: true,
    minConfidenceThreshold: 0.7,
    maxLotSize: '1',
    maxConcurrentTrades: 2,
    dailyProfitTarget: '500',
    stopAfterTarget: true,
    maxDrawdownAmount: '300',
    maxOrderNotional: null,
    maxDailyNotional: null,
    maxDailyLoss: null,
    haltOnDrawdown: true,
    allowOffWatchlistAutotrade: false,
    watchlist: ['BTC-PERP'],
    halted: false,
    lastHaltReason: null,
  }
  const idea: RiskIdea = {
    symbol: 'BTC-PERP',
    direction: 'long',
    entryPrice: '100',
    stopLoss: '95',
    takeProfit: '110',
    size: '0.5',
    confidence: 0.8,
  }
  const calm: RiskAccountState = { realisedPnlToday: '0', equity: '10000', dayPeakEquity: '10000' }
  const codes = (decision: ReturnType<typeof evaluate>) => decision.reasons.map((reason) => reason.code)

  it('auto-executes when every rule passes', () => {
    expect(evaluate(idea, base, calm, [])).toMatchObject({ route: 'auto_execute', status: 'auto_executed', halt: null })
  })

  it('halts once the day’s realised and open losses together reach the maximum daily loss', () => {
    const limited = { ...base, maxDailyLoss: '250' }
    const losing = { ...calm, realisedPnlToday: '-200', unrealisedPnl: '-49.99' }
    expect(evaluate(idea, limited, losing, [])).toMatchObject({ route: 'auto_execute' })
    const decision = evaluate(idea, limited, { ...losing, unrealisedPnl: '-50' }, [])
    expect(decision).toMatchObject({ route: 'reject', status: 'halted_by_risk', halt: { reason: expect.any(String) } })
    expect(codes(decision)).toEqual(['max_daily_loss'])
    expect(decision.reasons[0]!.message).toContain('Today’s loss is 250'.replace('’', "'"))
    // An open gain offsets a realised loss: the limit is on the day's net.
    expect(evaluate(idea, limited, { ...losing, realisedPnlToday: '-300', unrealisedPnl: '60' }, [])).toMatchObject({
      route: 'auto_execute',
    })
  })

  it('caps what one order and the day’s orders may be worth, counting the idea itself', () => {
    // The idea is worth 0.5 × 100 = 50.
    expect(codes(evaluate(idea, { ...base, maxOrderNotional: '49.99' }, calm, []))).toEqual(['order_notional_exceeded'])
    expect(evaluate(idea, { ...base, maxOrderNotional: '50' }, calm, [])).toMatchObject({ route: 'auto_execute' })
    expect(
      codes(evaluate(idea, { ...base, maxDailyNotional: '1000' }, { ...calm, orderedNotionalToday: '950.01' }, [])),
    ).toEqual(['daily_notional_exceeded'])
    expect(
      evaluate(idea, { ...base, maxDailyNotional: '1000' }, { ...calm, orderedNotionalToday: '950' }, []),
    ).toMatchObject({ route: 'auto_execute' })
    expect(evaluate(idea, { ...base, maxDailyNotional: '1000' }, calm, [])).toMatchObject({ route: 'auto_execute' })
  })

  it('rejects invalid ideas, naming each problem', () => {
    const cases: Partial<RiskIdea>[] = [
      { entryPrice: '0' },
      { size: '-1' },
      { stopLoss: '101' },
      { takeProfit: '99' },
      { direction: 'short' },
      { confidence: 1.5 },
      { confidence: Number.NaN },
      { entryPrice: 'abc' },
    ]
    for (const change of cases) {
      const decision = evaluate({ ...idea, ...change }, base, calm, [])
      expect(decision).toMatchObject({ route: 'reject', status: 'rejected' })
      expect(codes(decision)).toEqual(['invalid_idea'])
    }
    expect(evaluate({ ...idea, direction: 'short' }, base, calm, []).reasons[0]?.message).toContain(
      'stop-loss 95 is not above the entry 100 of a short',
    )
  })

  it('refuses an idea whose stop or target the market already crossed, for either direction', () => {
    expect(evaluate(idea, base, { ...calm, lastPrice: '100.5' }, []).route).toBe('auto_execute')
    const pastTarget = evaluate(idea, base, { ...calm, lastPrice: '110' }, [])
    expect(pastTarget).toMatchObject({ route: 'reject', status: 'rejected', halt: null })
    expect(codes(pastTarget)).toEqual(['price_past_target'])
    expect(pastTarget.reasons[0]?.message).toBe(
      'The market (110) is already at or past the take-profit of 110; nothing is left to gain.',
    )
    expect(codes(evaluate(idea, base, { ...calm, lastPrice: '94.99' }, []))).toEqual(['price_past_stop'])
    const short: RiskIdea = { ...idea, direction: 'short', stopLoss: '105', takeProfit: '90' }
    expect(evaluate(short, base, { ...calm, lastPrice: '99' }, []).route).toBe('auto_execute')
    expect(codes(evaluate(short, base, { ...calm, lastPrice: '105' }, []))).toEqual(['price_past_stop'])
    expect(codes(evaluate(short, base, { ...calm, lastPrice: '89' }, []))).toEqual(['price_past_target'])
    // A halt still comes first; with no price seen yet the rule has nothing to say.
    expect(codes(evaluate(idea, { ...base, halted: true }, { ...calm, lastPrice: '200' }, []))).toEqual([
      'halted_by_risk',
    ])
    expect(evaluate(idea, base, { ...calm, lastPrice: null }, []).route).toBe('auto_execute')
  })

  it('refuses an approval once the market has left the entry range, on either side, and lets it through inside', () => {
    const ranged: RiskIdea = { ...idea, entryRangeLow: '98', entryRangeHigh: '102' }
    expect(evaluate(ranged, base, { ...calm, lastPrice: '101.99' }, []).route).toBe('auto_execute')
    expect(evaluate(ranged, base, { ...calm, lastPrice: '98' }, []).route).toBe('auto_execute')
    const above = evaluate(ranged, base, { ...calm, lastPrice: '102.01' }, [])
    expect(codes(above)).toEqual(['price_left_entry_range'])
    expect(above.reasons[0]?.message).toBe(
      'The market (102.01) has left the entry range 98–102; the stop, the target and the size no longer mean what was proposed.',
    )
    expect(codes(evaluate(ranged, base, { ...calm, lastPrice: '97.5' }, []))).toEqual(['price_left_entry_range'])
    // An idea without a range (one proposed by hand) is judged by its stop and target alone.
    expect(evaluate(idea, base, { ...calm, lastPrice: '103' }, []).route).toBe('auto_execute')
  })

  it('refuses a short on a long-only venue (spot), after a halt, and lets a long through', () => {
    const short: RiskIdea = { ...idea, direction: 'short', stopLoss: '105', takeProfit: '90' }
    const spot = { ...calm, longOnlyVenue: 'Binance (spot)' }
    const refused = evaluate(short, base, spot, [])
    expect(refused).toMatchObject({ route: 'reject', status: 'rejected', halt: null })
    expect(codes(refused)).toEqual(['venue_long_only'])
    expect(refused.reasons[0]?.message).toBe(
      'Binance (spot) is long-only: a short would sell coin the desk does not hold.',
    )
    expect(evaluate(idea, base, spot, []).route).toBe('auto_execute')
    expect(evaluate(short, base, calm, []).route).toBe('auto_execute')
    expect(codes(evaluate(short, { ...base, halted: true }, spot, []))).toEqual(['halted_by_risk'])
  })

  it('applies the rules in their documented order', () => {
    expect(
      codes(evaluate({ ...idea, size: '2' }, { ...base, halted: true, lastHaltReason: 'manual' }, calm, [])),
    ).toEqual(['halted_by_risk'])
    expect(evaluate(idea, { ...base, halted: true, lastHaltReason: 'manual' }, calm, []).reasons[0]?.message).toContain(
      '(manual)',
    )
    expect(codes(evaluate({ ...idea, size: '2' }, base, calm, [{ symbol: 'A' }, { symbol: 'B' }]))).toEqual([
      'lot_size_exceeded',
    ])
    expect(codes(evaluate(idea, base, calm, [{ symbol: 'A' }, { symbol: 'B' }]))).toEqual(['max_concurrent_trades'])
    const target = evaluate(idea, base, { ...calm, realisedPnlToday: '500' }, [])
    expect(target).toMatchObject({ route: 'reject', status: 'halted_by_risk' })
    expect(codes(target)).toEqual(['daily_target_reached'])
    expect(target.halt?.reason).toContain('daily target of 500')
    expect(evaluate(idea, { ...base, stopAfterTarget: false }, { ...calm, realisedPnlToday: '900' }, []).route).toBe(
      'auto_execute',
    )
    const drawdown = evaluate(idea, base, { ...calm, equity: '9700' }, [])
    expect(codes(drawdown)).toEqual(['max_drawdown'])
    expect(drawdown.halt).not.toBeNull()
    expect(evaluate(idea, base, { ...calm, equity: '9700.01' }, []).route).toBe('auto_execute')
    expect(evaluate(idea, { ...base, haltOnDrawdown: false }, { ...calm, equity: '1' }, []).route).toBe('auto_execute')
  })

  it('sends to a person what the rules do not clear, with every reason', () => {
    const offList = evaluate(
      { ...idea, symbol: 'DOGE-PERP', confidence: 0.5 },
      { ...base, aiTradingEnabled: false },
      calm,
      [],
    )
    expect(offList).toMatchObject({ route: 'needs_approval', status: 'needs_approval' })
    expect(codes(offList)).toEqual(['off_watchlist', 'ai_trading_disabled', 'below_confidence_threshold'])
    expect(
      evaluate({ ...idea, symbol: 'DOGE-PERP' }, { ...base, allowOffWatchlistAutotrade: true }, calm, []).route,
    ).toBe('auto_execute')
    expect(evaluate({ ...idea, confidence: 0.7 }, base, calm, []).route).toBe('auto_execute')
  })
})

describe("the risk engine's rule for an open position", () => {
  const halted = { halted: true, lastHaltReason: 'news due' }
  const running = { halted: false, lastHaltReason: null }

  it('lets a close, a trail and a tightened stop through whatever the halt, and refuses a loosened stop while halted', () => {
    expect(judgePositionAction(halted, { kind: 'close' })).toBeNull()
    expect(judgePositionAction(halted, { kind: 'trail' })).toBeNull()
    const move = (direction: 'long' | 'short', newStopLoss: string) =>
      ({ kind: 'move', direction, stopLoss: '100', newStopLoss }) as const
    expect(judgePositionAction(halted, move('long', '101'))).toBeNull()
    expect(judgePositionAction(halted, move('short', '99'))).toBeNull()
    expect(judgePositionAction(running, move('long', '90'))).toBeNull()
    expect(judgePositionAction(halted, move('long', '90'))).toEqual({
      code: 'halted_by_risk',
      message:
        'Trading is halted (news due): the stop-loss can only be moved towards the price (it is 100), never further away.',
    })
    expect(judgePositionAction(halted, move('short', '110'))?.code).toBe('halted_by_risk')
  })
})
