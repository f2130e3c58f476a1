import { describe, expect, it } from 'vitest'
import { approvalDeadline, entryRange, staleness } from '../../src/main/core/domains/trading/idea-staleness'

describe('the life of a waiting idea', () => {
  const long = {
    direction: 'long' as const,
    stopLoss: '96',
    takeProfit: '108',
    entryRangeLow: '97',
    entryRangeHigh: '103',
  }
  const candle = (close: string, high = close, low = close) => ({ ts: '2026-12-05T10:00:15.000Z', high, low, close })

  it('sets the entry range at the trader’s tolerance, in R, on both sides of the entry', () => {
    expect(entryRange(100, 96, 0.75)).toEqual({ low: 97, high: 103 })
    expect(entryRange(100, 104, 0.25)).toEqual({ low: 99, high: 101 })
  })

  it('stays valid while the price closes inside the range and is withdrawn, with the range in words, the candle it closes outside', () => {
    expect(staleness(long, candle('102.9', '103.5', '97.5'), 1, 5)).toBeNull()
    const left = staleness(long, candle('103.01'), 1, 5)
    expect(left?.action).toBe('idea_invalidated')
    expect(left?.rationale).toContain('The price left the entry range 97–103: it closed at 103.01')
    expect(staleness(long, candle('96.99', '97', '96.99'), 1, 5)?.rationale).toContain('entry range')
  })

  it('is withdrawn when the market touches its stop or target, and expires after its candles', () => {
    expect(staleness(long, candle('100', '100', '96'), 1, 5)?.rationale).toContain('stop-loss 96')
    expect(staleness(long, candle('100', '108', '100'), 1, 5)?.rationale).toContain('take-profit 108')
    expect(staleness(long, candle('100'), 4, 5)).toBeNull()
    expect(staleness(long, candle('100'), 5, 5)).toMatchObject({ action: 'idea_expired' })
  })

  it('counts down to whichever comes first: the close of its last candle or its minutes', () => {
    const proposedAt = new Date('2026-12-05T10:00:15.010Z')
    // Proposed on the 10:00:00 candle of 15 s: the fifth candle after it closes at 10:01:30.
    expect(approvalDeadline('2026-12-05T10:00:00.000Z', 15_000, 5, proposedAt, 15).toISOString()).toBe(
      '2026-12-05T10:01:30.000Z',
    )
    // On 1 h candles the 15 minutes come first.
    expect(approvalDeadline('2026-12-05T10:00:00.000Z', 3_600_000, 5, proposedAt, 15).toISOString()).toBe(
      '2026-12-05T10:15:15.010Z',
    )
  })
})
