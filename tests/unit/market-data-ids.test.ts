import fc from 'fast-check'
import { validate, version } from 'uuid'
import { describe, expect, it } from 'vitest'
import { candleId, indicatorSnapshotId } from '../../src/main/core/platform/store/values'

const instant = fc
  .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) })
  .map((ms) => new Date(ms).toISOString())

describe('ids of shared market data', () => {
  it('are the same on every desk for the same candle, and valid version-8 UUIDs', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.constantFrom('1s', '1m', '1h', '1d'),
        instant,
        (symbol, timeframe, ts) => {
          const id = candleId(symbol, timeframe, ts)
          expect(candleId(symbol, timeframe, ts)).toBe(id)
          expect(validate(id) && version(id)).toBe(8)
          expect(indicatorSnapshotId(symbol, timeframe, ts)).not.toBe(id)
        },
      ),
    )
  })

  it('differ for any other candle, and grow with its time within a series', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), instant, instant, (a, b, t1, t2) => {
        if (a !== b) expect(candleId(a, '1m', t1)).not.toBe(candleId(b, '1m', t1))
        if (t1 !== t2) expect(candleId(a, '1m', t1)).not.toBe(candleId(a, '1m', t2))
        if (t1 < t2) expect(candleId(a, '1m', t1) < candleId(a, '1m', t2)).toBe(true)
      }),
    )
    // The separator keeps ("AB", "1m") and ("A", "B1m") apart.
    expect(candleId('AB', '1m', '2026-11-22T09:00:00.000Z')).not.toBe(candleId('A', 'B1m', '2026-11-22T09:00:00.000Z'))
  })
})
