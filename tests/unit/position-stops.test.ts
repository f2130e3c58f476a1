import Decimal from 'decimal.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { managedStop, type StopRules } from '../../src/main/core/domains/trading/stop-rules'
import { checkLevelsMove, closeQuantity } from '../../src/main/core/domains/trading/position-rules'

/*
 * A stop managed by a strategy's rules, or moved by the trader, never moves against the position: it only tightens,
 * and it always stays on the losing side of the price it was judged at.
 */
const rulesArbitrary: fc.Arbitrary<StopRules> = fc.record({
  trailing: fc.oneof(
    fc.constant({ kind: 'off' as const }),
    fc
      .integer({ min: 1, max: 500 })
      .map((tenths) => ({ kind: 'distance' as const, distance: new Decimal(tenths).div(10).toString() })),
    fc.record({
      kind: fc.constant('atr' as const),
      multiple: fc.double({ min: 0.1, max: 5, noNaN: true }),
      period: fc.constant(14),
    }),
  ),
  breakEvenAtR: fc.option(fc.double({ min: 0.1, max: 3, noNaN: true }), { nil: null }),
})

describe('managed stops', () => {
  it('only tighten, and stay on the losing side of every close, whatever the rules and the path of the price', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('long' as const, 'short' as const),
        fc.integer({ min: 1_000, max: 100_000 }),
        fc.integer({ min: 10, max: 2_000 }),
        fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 1, maxLength: 120 }),
        rulesArbitrary,
        fc.option(fc.double({ min: 0.01, max: 50, noNaN: true }), { nil: null }),
        fc.integer({ min: 0, max: 4 }),
        (direction, entryCents, riskCents, steps, rules, atr, decimals) => {
          const long = direction === 'long'
          const entry = new Decimal(entryCents).div(100)
          const initialStop = long
            ? entry.minus(new Decimal(riskCents).div(100))
            : entry.plus(new Decimal(riskCents).div(100))
          let stop = initialStop
          let close = entry
          for (const step of steps) {
            close = Decimal.max(new Decimal('0.01'), close.plus(new Decimal(step).div(100)))
            // A close through the stop would have closed the position: the walk ends there.
            if (long ? close.lte(stop) : close.gte(stop)) break
            const move = managedStop(
              {
                direction,
                entry: entry.toString(),
                initialStop: initialStop.toString(),
                stop: stop.toString(),
                feesPerUnit: '0.02',
              },
              close.toString(),
              rules,
              atr,
              decimals,
            )
            if (!move) continue
            const next = new Decimal(move.stop)
            expect(long ? next.gt(stop) : next.lt(stop), `${stop} → ${next} at ${close}`).toBe(true)
            expect(long ? next.lt(close) : next.gt(close), `${next} against the close ${close}`).toBe(true)
            expect(next.decimalPlaces()).toBeLessThanOrEqual(decimals)
            stop = next
          }
        },
      ),
      { numRuns: 500 },
    )
  })

  it('take the entry plus fees at break-even, and the tighter of trailing and break-even when both apply', () => {
    const position = { direction: 'long' as const, entry: '100', initialStop: '95', stop: '95', feesPerUnit: '0.08' }
    const rules: StopRules = { trailing: { kind: 'distance', distance: '7' }, breakEvenAtR: 1 }
    // 4.9 in favour: below 1R (5), and trailing 7 behind is 97.9: tighter than 95.
    expect(managedStop(position, '104.9', rules, null, 2)).toMatchObject({ stop: '97.9' })
    // 5 in favour: break-even 100.08 is tighter than trailing (98).
    expect(managedStop(position, '105', rules, null, 2)).toMatchObject({
      stop: '100.08',
      why: expect.stringContaining('break-even'),
    })
    // A short rounds its stop up, away from the price.
    expect(
      managedStop(
        { ...position, direction: 'short', initialStop: '105', stop: '105' },
        '99.333',
        { trailing: { kind: 'distance', distance: '1' }, breakEvenAtR: null },
        null,
        2,
      ),
    ).toMatchObject({ stop: '100.34' })
    // An ATR trailing stop waits for the ATR.
    expect(
      managedStop(position, '110', { trailing: { kind: 'atr', multiple: 2, period: 14 }, breakEvenAtR: null }, null, 2),
    ).toBeNull()
  })
})

describe("the trader's moves and closes", () => {
  it('a moved stop is accepted only on the losing side of the price; anything else says it would close at once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('long' as const, 'short' as const),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        (direction, priceCents, stopCents) => {
          const price = new Decimal(priceCents).div(100)
          const stop = new Decimal(stopCents).div(100)
          const verdict = checkLevelsMove(
            { direction, stopLoss: '1', takeProfit: null, averagePrice: '50', symbol: 'X' },
            price.toString(),
            { stopLoss: stop.toString() },
          )
          const losingSide = direction === 'long' ? stop.lt(price) : stop.gt(price)
          expect(verdict.kind).toBe(losingSide ? 'move' : 'closes_at_once')
        },
      ),
    )
  })

  it('a part close is rounded down to the step, and closes all when what is left would be under one step', () => {
    const steps = (quantity: Decimal) => quantity.toDecimalPlaces(3, Decimal.ROUND_DOWN).toString()
    const position = { quantity: '0.01', symbol: 'BTCUSDT' }
    expect(closeQuantity(position, { kind: 'percent', percent: '33' }, steps)).toEqual({
      quantity: '0.003',
      whole: false,
    })
    expect(closeQuantity(position, { kind: 'quantity', quantity: '0.0095' }, steps)).toEqual({
      quantity: '0.009',
      whole: false,
    })
    // A holding with dust below one step (a spot fee taken from the coin): closing all but the dust closes all.
    expect(
      closeQuantity({ quantity: '0.0104', symbol: 'BTCUSDT' }, { kind: 'quantity', quantity: '0.01' }, steps),
    ).toEqual({
      quantity: '0.0104',
      whole: true,
    })
    expect(() => closeQuantity(position, { kind: 'percent', percent: '5' }, steps)).toThrow('less than one step')
  })
})
