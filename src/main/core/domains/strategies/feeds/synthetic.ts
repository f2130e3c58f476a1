import type { Candle } from '../../../platform/store/repositories/market-snapshots'
import type { MarketFeed } from './feed'
import { syntheticMarketOf } from './synthetic-markets'

/** mulberry32: a small, fast, seedable PRNG; the synthetic market must replay identically for a seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function gaussian(random: () => number): number {
  // Box-Muller; 1 - u keeps log away from zero.
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

export interface SyntheticFeedOptions {
  symbol: string
  timeframe: string
  intervalMs: number
  seed: number
  /** Timestamp (ms) of the first candle to produce. */
  startMs: number
  startPrice: number
  priceDecimals: number
  /** A year's volatility of the market (0.6 for 60%); the symbol's usual one when not given. */
  annualVolatility?: number
}

const YEAR_MS = 365 * 86_400_000

/** The calm and the stormy regime as multiples of the market's usual volatility, and the chance per candle of switching. */
const REGIMES = [
  { scale: 0.7, switchProbability: 0.01 },
  { scale: 2.5, switchProbability: 0.05 },
] as const

/**
 * Geometric Brownian motion with two volatility regimes (calm and stormy) that
 * switch at random, so strategies meet both trends and chop. Deterministic for
 * a seed and start, which makes a run reproducible.
 */
export function syntheticFeed(options: SyntheticFeedOptions): MarketFeed {
  const random = seededRandom(options.seed ^ Math.floor(options.startMs / options.intervalMs))
  let regime = 0
  let close = options.startPrice
  // Volatility grows with the square root of time, so a candle of any length moves as the market would in it.
  const perCandle =
    (options.annualVolatility ?? syntheticMarketOf(options.symbol).annualVolatility) *
    Math.sqrt(options.intervalMs / YEAR_MS)
  let ts = options.startMs
  const round = (value: number) => value.toFixed(options.priceDecimals)
  const floor = 10 ** -options.priceDecimals
  return {
    intervalMs: options.intervalMs,
    next(): Candle {
      if (random() < REGIMES[regime]!.switchProbability) regime = 1 - regime
      const sigma = REGIMES[regime]!.scale * perCandle
      const open = close
      close = Math.max(floor, open * Math.exp(-0.5 * sigma * sigma + sigma * gaussian(random)))
      const high = Math.max(open, close) * (1 + Math.abs(gaussian(random)) * sigma * 0.5)
      const low = Math.max(floor, Math.min(open, close) * (1 - Math.abs(gaussian(random)) * sigma * 0.5))
      const volume = 1000 * Math.exp(gaussian(random) * 0.5 + (regime === 1 ? 0.7 : 0))
      const candle: Candle = {
        symbol: options.symbol,
        timeframe: options.timeframe,
        ts: new Date(ts).toISOString(),
        open: round(open),
        high: round(high),
        low: round(low),
        close: round(close),
        volume: volume.toFixed(2),
      }
      // The next candle opens where this one closed, as rounded, so the series has no gaps.
      close = Number(candle.close)
      ts += options.intervalMs
      return candle
    },
  }
}
