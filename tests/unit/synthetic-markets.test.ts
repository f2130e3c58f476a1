import { describe, expect, it } from 'vitest'
import { syntheticFeed } from '../../src/main/core/domains/strategies/feeds/synthetic'
import { syntheticMarketOf } from '../../src/main/core/domains/strategies/feeds/synthetic-markets'
import { TIMEFRAME_MS } from '../../src/main/core/domains/strategies/feeds/feed'
import type { Candle } from '../../src/main/core/platform/store/repositories/market-snapshots'

/** The closes of a synthetic market named after a symbol, at its usual level. */
function closes(symbol: string, timeframe: keyof typeof TIMEFRAME_MS, candles: number): number[] {
  const feed = syntheticFeed({
    symbol,
    timeframe,
    intervalMs: TIMEFRAME_MS[timeframe],
    seed: 7,
    startMs: Date.UTC(2026, 0, 1),
    startPrice: syntheticMarketOf(symbol).startPrice,
    priceDecimals: 2,
  })
  return Array.from({ length: candles }, () => Number((feed.next() as Candle).close))
}

/** The standard deviation of log returns, annualised for the candle length. */
function annualised(series: number[], intervalMs: number): number {
  const returns = series.slice(1).map((close, index) => Math.log(close / series[index]!))
  const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length
  const variance = returns.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (returns.length - 1)
  return Math.sqrt(variance) * Math.sqrt((365 * 86_400_000) / intervalMs)
}

describe('a synthetic market like the one it is named after', () => {
  it('starts each symbol at its usual level, whichever way it is written', () => {
    for (const symbol of ['BTC-USD', 'BTC/USDT:USDT', 'BTCUSDT', 'BTC_USDC-PERPETUAL'])
      expect(syntheticMarketOf(symbol).startPrice, symbol).toBe(60_000)
    expect(syntheticMarketOf('ETH-PERP').startPrice).toBe(3_000)
    expect(syntheticMarketOf('EUR-USD').annualVolatility).toBeLessThan(0.1)
  })

  it('keeps BTC in the tens of thousands over 100,000 one-minute candles', () => {
    const series = closes('BTC-USD', '1m', 100_000)
    expect(Math.min(...series)).toBeGreaterThan(20_000)
    expect(Math.max(...series)).toBeLessThan(180_000)
  })

  it('moves as much in a year whatever the candle length', () => {
    const minute = annualised(closes('BTC-USD', '1m', 50_000), TIMEFRAME_MS['1m'])
    const hour = annualised(closes('BTC-USD', '1h', 5_000), TIMEFRAME_MS['1h'])
    const day = annualised(closes('BTC-USD', '1d', 2_000), TIMEFRAME_MS['1d'])
    for (const figure of [minute, hour, day]) {
      expect(figure).toBeGreaterThan(0.3)
      expect(figure).toBeLessThan(1.5)
    }
  })
})
