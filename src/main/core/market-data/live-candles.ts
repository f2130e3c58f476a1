import type { DOWNLOAD_TIMEFRAMES } from '../../../shared/contract'
import type { ExchangeId } from '../../../shared/domain'
import { errorMessage } from '../../../shared/errors'
import { ccxtLibrary, openExchange, type ExchangeEnvironment } from '../exchanges/exchange-client'
import type { Candle } from '../store/repositories/market-snapshots'
import { candleOf, patiently, TIMEFRAME_MS, unifiedSymbol } from './exchange-candles'

const PAGE = 1_000
/** How often the exchange is asked for newly closed candles. */
const POLL_MS = 2_000
const RETRY_MS = 2_000

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
  /** Gets closed candles in order, oldest first; the next poll waits until it resolves. */
  deliver(candles: Candle[]): Promise<void>
  /** The connection dropped (once per outage), or came back after `backfilled` candles of gap were fetched. */
  onStatus(event: { kind: 'lost'; message: string } | { kind: 'restored'; backfilled: number }): void
  pollMs?: number
}

export interface LiveCandles {
  stop(): void
}

/**
 * Closed candles from an exchange, polled with fetchOHLCV: each poll asks for every candle
 * after the last one delivered, so after a dropped connection the gap is fetched and
 * delivered, in order, before the next live candle. The candle still forming is never sent.
 */
export function pollLiveCandles(options: LiveCandleOptions): LiveCandles {
  const step = TIMEFRAME_MS[options.timeframe]
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let last = options.after ? Date.parse(options.after) : Math.floor(Date.now() / step) * step - (options.history + 1) * step
  let outage = false

  const poll = async (): Promise<void> => {
    const ccxt = await ccxtLibrary()
    const exchange = await openExchange(options.exchange, options.environment)
    await patiently(ccxt, () => exchange.loadMarkets(), () => RETRY_MS, () => undefined)
    const symbol = unifiedSymbol(ccxt, exchange, options.instrument)
    while (!stopped) {
      try {
        let delivered = 0
        for (;;) {
          const page = await exchange.fetchOHLCV(symbol, options.timeframe, last + step, PAGE)
          const closed = page.filter(([ts]) => (ts as number) > last && (ts as number) + step <= Date.now()).map((row) => candleOf(options.instrument, options.timeframe, row))
          if (closed.length === 0 || stopped) break
          await options.deliver(closed)
          delivered += closed.length
          last = Date.parse((closed.at(-1) as Candle).ts)
          if (page.length < PAGE) break
        }
        if (outage) {
          outage = false
          options.onStatus({ kind: 'restored', backfilled: delivered })
        }
      } catch (error) {
        if (!outage) options.onStatus({ kind: 'lost', message: errorMessage(error) })
        outage = true
      }
      await new Promise<void>((resolve) => (timer = setTimeout(resolve, outage ? RETRY_MS : (options.pollMs ?? POLL_MS))))
    }
  }

  const run = (): void => {
    poll().catch((error: unknown) => {
      if (stopped) return
      if (!outage) options.onStatus({ kind: 'lost', message: errorMessage(error) })
      outage = true
      timer = setTimeout(run, RETRY_MS)
    })
  }
  run()
  return {
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
    },
  }
}
