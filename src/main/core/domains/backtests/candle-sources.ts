import { boundedLines } from '../../platform/files/bounded-lines'
import { whyNotAFile } from '../../platform/files/readable-file'
import { CandleCsvReader, MAX_CANDLE_FILE_BYTES, MAX_LINE_CHARS } from '../market-data/csv-candle-lines'
import type { Candle } from '../../platform/store/repositories/market-snapshots'
import type { Store } from '../../platform/store/store'
import { TIMEFRAME_MS, type Timeframe } from '../strategies/feeds/feed'
import { syntheticFeed } from '../strategies/feeds/synthetic'
import { Refusal } from '../../platform/calls/refusal'

/** A candle file a backtest cannot read: the trader's to fix. */
export class CandleSourceError extends Refusal {
  constructor(message: string) {
    super('invalid_input', message)
    this.name = 'CandleSourceError'
  }
}

export interface SyntheticSource {
  source: 'synthetic'
  symbol: string
  timeframe: Timeframe
  seed: number
  candles: number
  /** Time of the first candle; the same start, seed and count give the same market. */
  from: string
  startPrice: number
  priceDecimals: number
}

/** A seeded synthetic market: the same candles for the same seed, start and length, on every machine. */
export function* syntheticCandles(spec: SyntheticSource): Generator<Candle> {
  const intervalMs = TIMEFRAME_MS[spec.timeframe]
  const feed = syntheticFeed({
    symbol: spec.symbol,
    timeframe: spec.timeframe,
    intervalMs,
    seed: spec.seed,
    startMs: Date.parse(spec.from),
    startPrice: spec.startPrice,
    priceDecimals: spec.priceDecimals,
  })
  for (let i = 0; i < spec.candles; i++) yield feed.next() as Candle
}

const PAGE = 10_000

/** Candles already in the database (imported or recorded), oldest first, a page at a time. */
export async function* storedCandles(
  store: Store,
  symbol: string,
  timeframe: string,
  from: string,
  to: string,
): AsyncGenerator<Candle> {
  let after = from
  let last: string | null = null
  for (;;) {
    const page = await store.marketSnapshots.range(symbol, timeframe, after, to, PAGE)
    for (const candle of page) {
      if (last !== null && candle.ts <= last) continue
      last = candle.ts
      yield candle
    }
    if (page.length < PAGE || last === null) return
    after = last
  }
}

/** A candle CSV streamed line by line; the first wrong line stops the run and says where and why. */
export async function* csvCandles(path: string, symbol: string, timeframe: string): AsyncGenerator<Candle> {
  const unreadable = whyNotAFile(path, path, MAX_CANDLE_FILE_BYTES)
  if (unreadable) throw new CandleSourceError(unreadable)
  const reader = new CandleCsvReader(symbol, timeframe)
  for await (const line of boundedLines(path, MAX_LINE_CHARS)) {
    const outcome = reader.read(line.text)
    if (outcome === null) continue
    if ('error' in outcome) throw new CandleSourceError(`${path}, line ${line.number}: ${outcome.error}`)
    yield outcome.candle
  }
  if (!reader.sawHeader)
    throw new CandleSourceError(`${path} has no header line naming timestamp, open, high, low, close and volume.`)
}
