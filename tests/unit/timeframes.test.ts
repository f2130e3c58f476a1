import { describe, expect, it } from 'vitest'
import { shortLivedIdeasWarning } from '../../src/shared/timeframes'

describe('the new-instance form warns when ideas will not last long enough for a person', () => {
  it('warns on one-second candles, in words, and not on the form’s defaults', () => {
    expect(shortLivedIdeasWarning({ timeframe: '1s', ideaExpiryCandles: 5, ideaExpiryMinutes: 15 })).toBe(
      'Ideas that wait for you will last about 3 s on these settings, too short to read and decide: turn AI trading on in Settings → Risk limits, or choose a longer candle, such as 15s or 1m.',
    )
    expect(shortLivedIdeasWarning({ timeframe: '15s', ideaExpiryCandles: 5, ideaExpiryMinutes: 15 })).toBeNull()
    expect(shortLivedIdeasWarning({ timeframe: '1m' })).toBeNull()
    // A candle count of one on 15 s candles leaves 15 s.
    expect(shortLivedIdeasWarning({ timeframe: '15s', ideaExpiryCandles: 1 })).toContain('about 15 s')
    expect(shortLivedIdeasWarning({ timeframe: 'weekly' })).toBeNull()
  })
})
