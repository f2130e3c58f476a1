import type { Store } from '../../platform/store/store'
import type { StrategyInstance } from '../../platform/store/repositories/strategies'
import type { Candle } from '../../platform/store/repositories/market-snapshots'
import { TIMEFRAME_MS, type Timeframe } from './feeds/feed'
import type { CommonConfig } from './kinds/kind'
import { StrategyError } from './strategy-error'
import type { FeedSpec } from './worker/protocol'
import { syntheticMarketOf } from './feeds/synthetic-markets'

const WARMUP_CANDLES = 300
/** After a long pause a synthetic market jumps ahead rather than replaying days of missed candles. */
const MAX_CATCH_UP_CANDLES = 100_000

/**
 * The series (the market_snapshots timeframe column) an instance's candles
 * live in. Imported candles are shared market data; a synthetic market is the
 * instance's own, so two instances never mix their made-up prices.
 */
export function seriesOf(instance: StrategyInstance, config: CommonConfig): string {
  return config.feed === 'csv' || tradesOnExchange(instance)
    ? config.timeframe
    : `${config.timeframe}@sim-${instance.id}`
}

/** An instance on an exchange takes its candles from that exchange, whatever its feed setting says. */
export const tradesOnExchange = (instance: Pick<StrategyInstance, 'broker' | 'environment'>) =>
  instance.environment !== 'paper'

export const cursorKey = (strategyId: string) => `strategy.${strategyId}.replay_cursor`

export interface PreparedFeed {
  feed: FeedSpec
  warmup: Candle[]
  series: string
}

/** Where the instance's feed starts: after the last candle it saw, with those before it as warm-up. */
export async function prepareFeed(
  store: Store,
  instance: StrategyInstance,
  config: CommonConfig,
  now: Date,
): Promise<PreparedFeed> {
  const intervalMs = TIMEFRAME_MS[config.timeframe as Timeframe]
  const series = seriesOf(instance, config)
  if (tradesOnExchange(instance)) {
    // The exchange's own candles: the strategy warms up on those stored, and the main thread pushes the rest in (gap first).
    return {
      series,
      warmup: await store.marketSnapshots.lastCandles(instance.instrument, series, WARMUP_CANDLES),
      feed: { source: 'pushed', intervalMs },
    }
  }
  if (config.feed === 'csv') {
    const cursor = await store.settings.get<string>(cursorKey(instance.id))
    const all = await store.marketSnapshots.range(instance.instrument, series, '', '9999', 10_000_000)
    if (all.length === 0)
      throw new StrategyError(
        'conflict',
        `No candles are imported for ${instance.instrument} ${config.timeframe}. Import a CSV of OHLCV candles first, or use the synthetic feed.`,
      )
    const seen = cursor ? all.filter((candle) => candle.ts <= cursor) : []
    const ahead = all.slice(seen.length)
    return { series, warmup: seen.slice(-WARMUP_CANDLES), feed: { source: 'replay', candles: ahead, intervalMs } }
  }
  const warmup = await store.marketSnapshots.lastCandles(instance.instrument, series, WARMUP_CANDLES)
  const last = warmup.at(-1)
  const earliest = Math.floor(now.getTime() / intervalMs) * intervalMs - config.history * intervalMs
  const resumeAt = last ? Date.parse(last.ts) + intervalMs : earliest
  const startMs =
    last && resumeAt >= now.getTime() - MAX_CATCH_UP_CANDLES * intervalMs ? resumeAt : Math.max(resumeAt, earliest)
  return {
    series,
    warmup: startMs === resumeAt ? warmup : [],
    feed: {
      source: 'synthetic',
      symbol: instance.instrument,
      timeframe: series,
      intervalMs,
      seed: config.seed,
      startMs,
      startPrice: last ? Number(last.close) : (config.startPrice ?? syntheticMarketOf(instance.instrument).startPrice),
      priceDecimals: config.priceDecimals,
    },
  }
}
