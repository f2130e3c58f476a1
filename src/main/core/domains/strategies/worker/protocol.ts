import type { Candle } from '../../../platform/store/repositories/market-snapshots'
import type { IdeaSignal, IndicatorValues } from '../kinds/kind'

export type FeedSpec =
  | {
      source: 'synthetic'
      symbol: string
      timeframe: string
      intervalMs: number
      seed: number
      startMs: number
      startPrice: number
      priceDecimals: number
    }
  | { source: 'replay'; candles: Candle[]; intervalMs: number }
  /** Closed candles the main thread receives from an exchange and posts in, as they close. */
  | { source: 'pushed'; intervalMs: number }

/** Everything a worker needs to run one instance; plain data, copied into the thread. */
export interface WorkerStart {
  strategyId: string
  kind: string
  config: Record<string, unknown>
  /** Extra kind modules to load (besides the built-in kinds), by absolute path. */
  kindModules: string[]
  feed: FeedSpec
  /** Candles the instance has already seen, to warm its indicators up without deciding again. */
  warmup: Candle[]
  heartbeatMs: number
}

export interface BatchItem {
  candle: Candle
  indicators: IndicatorValues
  ideas: IdeaSignal[]
}

export type FromWorker =
  | { type: 'batch'; items: BatchItem[] }
  | { type: 'heartbeat'; at: string }
  | { type: 'fault'; message: string; stack: string | null; candleTs: string | null }
  | { type: 'finished' }

/** The main thread acknowledges each batch once it is stored, so a fast feed cannot outrun the database. */
export type ToWorker = { type: 'ack' } | { type: 'candles'; candles: Candle[] }
