import type { Candle } from '../../../platform/store/repositories/market-snapshots'

/**
 * A source of closed candles for one instrument. Paper feeds answer at once;
 * a live exchange feed implements the same interface and answers with a
 * promise that resolves when the next candle closes.
 */
export interface MarketFeed {
  readonly intervalMs: number
  /** The next closed candle, or null when the feed has nothing more (a finished replay). */
  next(): Candle | null | Promise<Candle | null>
  /** Whether next() answers at once; a pushed feed waits for the market, and what is gathered goes out first. */
  ready?(): boolean
}

/** Candles pushed in as they close (from an exchange, through the main thread); next() waits for the next one. */
export function pushedFeed(intervalMs: number): MarketFeed & { push(candles: readonly Candle[]): void } {
  const queue: Candle[] = []
  let waiting: ((candle: Candle) => void) | null = null
  return {
    intervalMs,
    ready: () => queue.length > 0,
    next: () => {
      const candle = queue.shift()
      if (candle) return candle
      return new Promise<Candle>((resolve) => (waiting = resolve))
    },
    push(candles) {
      queue.push(...candles)
      const resolve = waiting
      const first = resolve ? queue.shift() : undefined
      if (resolve && first) {
        waiting = null
        resolve(first)
      }
    },
  }
}

export { TIMEFRAME_MS, type Timeframe } from '../../../../../shared/timeframes'

/** Replays stored candles (e.g. imported from CSV) in order. */
export function replayFeed(candles: readonly Candle[], intervalMs: number): MarketFeed {
  let index = 0
  return { intervalMs, next: () => candles[index++] ?? null }
}
