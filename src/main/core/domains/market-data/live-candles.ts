import type { Exchange, OHLCV } from 'ccxt'
import type { DOWNLOAD_TIMEFRAMES } from '../../../../shared/contract'
import type { ExchangeId } from '../../../../shared/domain'
import { errorMessage } from '../../../../shared/errors'
import { EXCHANGES, openExchange } from '../exchanges/registry'
import { ccxtLibrary, type ExchangeEnvironment } from '../exchanges/exchange-client'
import type { Candle } from '../../platform/store/repositories/market-snapshots'
import { candleOf, patiently, TIMEFRAME_MS, unifiedSymbol } from './exchange-candles'

const PAGE = 1_000
/** How often the exchange is asked for newly closed candles where it streams none. */
const POLL_MS = 2_000
const RETRY_MS = 2_000
/** A stream silent this much longer than a candle is not trusted: the candles are read over REST instead. */
const STREAM_SILENCE_MS = 2_000

export interface LiveCandleOptions {
  exchange: ExchangeId
  environment: ExchangeEnvironment
  /** The exchange's instrument name; candles are stored under it. */
  instrument: string
  timeframe: (typeof DOWNLOAD_TIMEFRAMES)[number]
  /** The last candle the strategy has seen; the feed starts right after it, so a gap is filled first. */
  after: string | null
  /** Candles of history to start with when the strategy has seen none. */
  history: number
  /** Gets closed candles in order, oldest first; nothing more is delivered until it resolves. */
  deliver(candles: Candle[]): Promise<void>
  /** The connection dropped (once per outage), or came back after `backfilled` candles of gap were fetched. */
  onStatus(event: { kind: 'lost'; message: string } | { kind: 'restored'; backfilled: number }): void
  /** Polls fetchOHLCV even where the exchange streams candles. */
  pollOnly?: boolean
  pollMs?: number
}

export interface LiveCandles {
  /** 'stream' when candles arrive over WebSocket (watchOHLCV), 'poll' when fetchOHLCV is asked. */
  readonly mode: 'stream' | 'poll'
  stop(): void
}

/**
 * Closed candles from an exchange, in order, with no gap: over WebSocket (ccxt's
 * watchOHLCV) where the exchange streams them, else by polling fetchOHLCV. At the start,
 * after a dropped connection, and whenever the stream skips a candle or falls silent,
 * every candle after the last one delivered is fetched over REST first, so the strategy
 * sees the gap before the next live candle. The candle still forming is never sent.
 */
export function followLiveCandles(options: LiveCandleOptions): LiveCandles {
  const step = TIMEFRAME_MS[options.timeframe]
  const mode = EXCHANGES[options.exchange].streamsCandles && !options.pollOnly ? 'stream' : 'poll'
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let last = options.after
    ? Date.parse(options.after)
    : Math.floor(Date.now() / step) * step - (options.history + 1) * step
  let outage = false
  let stream: Exchange | null = null

  const sleep = (ms: number) => new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  const deliver = async (candles: Candle[]) => {
    if (candles.length === 0 || stopped) return
    await options.deliver(candles)
    last = Date.parse((candles.at(-1) as Candle).ts)
  }

  /** Every closed candle after the last one delivered, over REST; returns how many. */
  const catchUp = async (rest: Exchange, symbol: string): Promise<number> => {
    let delivered = 0
    for (;;) {
      const page = await rest.fetchOHLCV(symbol, options.timeframe, last + step, PAGE)
      const closed = page
        .filter(([ts]) => (ts as number) > last && (ts as number) + step <= Date.now())
        .map((row) => candleOf(options.instrument, options.timeframe, row))
      if (closed.length === 0 || stopped) return delivered
      await deliver(closed)
      delivered += closed.length
      if (page.length < PAGE) return delivered
    }
  }

  /** The candle the stream is updating now: final once the stream moves on to a later one. */
  let forming: OHLCV | null = null

  /** Waits for the stream's next update; returns whether it delivered the candles that closed, or whether a REST catch-up is needed. */
  const watchOnce = async (symbol: string): Promise<'delivered' | 'catch_up'> => {
    const updates = (stream as Exchange).watchOHLCV(symbol, options.timeframe)
    let silent: NodeJS.Timeout | undefined
    const silence = new Promise<null>((resolve) => (silent = setTimeout(() => resolve(null), step + STREAM_SILENCE_MS)))
    const update = await Promise.race([updates, silence]).finally(() => clearTimeout(silent))
    if (!update) return 'catch_up'
    const finished: OHLCV[] = []
    for (const row of [...update].sort(([a], [b]) => (a as number) - (b as number))) {
      if (forming && (row[0] as number) > (forming[0] as number)) finished.push(forming)
      if (!forming || (row[0] as number) >= (forming[0] as number)) forming = row
    }
    const closed = finished.filter(([ts]) => (ts as number) > last)
    if (closed.length === 0) return 'delivered'
    if ((closed[0]![0] as number) !== last + step) return 'catch_up'
    await deliver(closed.map((row) => candleOf(options.instrument, options.timeframe, row)))
    return 'delivered'
  }

  const run = async (): Promise<void> => {
    const ccxt = await ccxtLibrary()
    const rest = await openExchange(options.exchange, options.environment)
    await patiently(
      ccxt,
      () => rest.loadMarkets(),
      () => RETRY_MS,
      () => undefined,
    )
    const symbol = unifiedSymbol(ccxt, rest, options.instrument)
    if (mode === 'stream')
      stream = await openExchange(options.exchange, options.environment, undefined, { streaming: true })
    let needsCatchUp = true
    while (!stopped) {
      try {
        if (needsCatchUp) {
          const backfilled = await catchUp(rest, symbol)
          needsCatchUp = false
          if (outage) {
            outage = false
            options.onStatus({ kind: 'restored', backfilled })
          }
        }
        if (mode === 'stream') needsCatchUp = (await watchOnce(symbol)) === 'catch_up'
        else {
          needsCatchUp = true
          await sleep(options.pollMs ?? POLL_MS)
        }
      } catch (error) {
        if (stopped) return
        if (!outage) options.onStatus({ kind: 'lost', message: errorMessage(error) })
        outage = true
        needsCatchUp = true
        // The candle forming when the stream dropped may have missed its last updates: REST has it whole.
        forming = null
        await sleep(RETRY_MS)
      }
    }
  }

  const start = (): void => {
    run().catch((error: unknown) => {
      if (stopped) return
      if (!outage) options.onStatus({ kind: 'lost', message: errorMessage(error) })
      outage = true
      timer = setTimeout(start, RETRY_MS)
    })
  }
  start()
  return {
    mode,
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      void (stream as { close?: () => Promise<void> } | null)?.close?.().catch(() => undefined)
    },
  }
}
