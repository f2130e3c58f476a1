import { describe, expect, it } from 'vitest'
import { isValidTimeZone, startOfTradingDay } from '../../src/main/core/domains/trading/trading-day'

describe('trading day boundary', () => {
  it('starts at local midnight in the user’s time zone', () => {
    expect(startOfTradingDay(new Date('2026-11-22T12:34:56.789Z'), 'UTC').toISOString()).toBe(
      '2026-11-22T00:00:00.000Z',
    )
    expect(startOfTradingDay(new Date('2026-11-22T12:34:56.789Z'), 'Europe/Amsterdam').toISOString()).toBe(
      '2026-11-21T23:00:00.000Z',
    )
    expect(startOfTradingDay(new Date('2026-11-22T02:00:00.000Z'), 'America/New_York').toISOString()).toBe(
      '2026-11-21T05:00:00.000Z',
    )
    expect(startOfTradingDay(new Date('2026-07-01T12:00:00.000Z'), 'Europe/Amsterdam').toISOString()).toBe(
      '2026-06-30T22:00:00.000Z',
    )
    expect(startOfTradingDay(new Date('2026-11-22T20:00:00.000Z'), 'Asia/Tokyo').toISOString()).toBe(
      '2026-11-22T15:00:00.000Z',
    )
  })

  it('knows a real time zone from a typo', () => {
    expect(isValidTimeZone('Europe/Amsterdam')).toBe(true)
    expect(isValidTimeZone('Europe/Amsterdm')).toBe(false)
  })
})
