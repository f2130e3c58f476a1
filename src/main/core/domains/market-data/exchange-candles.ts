import type { Exchange } from 'ccxt'
import { openExchange } from '../exchanges/registry'
import type { DOWNLOAD_TIMEFRAMES } from '../../../../shared/contract'
import type { CandleDownloadResult, ExchangeId } from '../../../../shared/domain'
import type { CoreContext } from '../../platform/context'
export { candleOf } from '../exchanges/exchange-client'
import { candleOf, ccxtLibrary, marketOf, type Ccxt, type ExchangeEnvironment } from '../exchanges/exchange-client'
import { exchangeFailure } from '../exchanges/exchange-keys'
import { retrying } from '../exchanges/retrying'

type DownloadTimeframe = (typeof DOWNLOAD_TIMEFRAMES)[number]

export const TIMEFRAME_MS: Record<DownloadTimeframe, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
}
const BARS_PER_REQUEST = 1_000
const MAX_TRIES = 6

export interface CandleDownloadRequest {
  exchange: ExchangeId
  environment: ExchangeEnvironment
  /** The exchange's instrument name (BTC-PERPETUAL) or ccxt's symbol (BTC/USD:BTC); candles are stored under it as given. */
  symbol: string
  timeframe: DownloadTimeframe
  from: string
  to?: string
  onProgress?: (progress: { done: number; total: number; received: number }) => void
  /** How long to wait before the nth retry; tests shorten it. */
  backoffMs?: (attempt: number) => number
}

/** A 429 (ccxt's DDoSProtection and RateLimitExceeded) or a network failure: worth another try. */
const retriable = (ccxt: Ccxt, error: unknown) =>
  error instanceof ccxt.DDoSProtection || error instanceof ccxt.NetworkError

/** Calls the exchange, backing off when it limits requests (a 429) or the network drops, up to a few tries. */
export function patiently<T>(
  ccxt: Ccxt,
  call: () => Promise<T>,
  backoffMs: (attempt: number) => number,
  onRetry: () => void,
): Promise<T> {
  return retrying(call, { transient: (error) => retriable(ccxt, error), waitMs: backoffMs, tries: MAX_TRIES, onRetry })
}

export function unifiedSymbol(ccxt: Ccxt, exchange: Exchange, symbol: string): string {
  const markets = exchange.markets ?? {}
  const market = marketOf(exchange, symbol)
  if (market) return market.symbol
  throw new ccxt.BadSymbol(
    `${symbol} is not listed (try one of ${Object.values(markets)
      .slice(0, 5)
      .map((market) => market?.id)
      .join(', ')})`,
  )
}

/**
 * Downloads an instrument's candles from an exchange into the desk's market data,
 * for backtests: page by page from `from` to `to` (default now), each page stored in
 * its own transaction, a candle already stored kept as it is.
 */
export async function downloadCandles(ctx: CoreContext, request: CandleDownloadRequest): Promise<CandleDownloadResult> {
  const step = TIMEFRAME_MS[request.timeframe]
  const fromMs = Math.floor(Date.parse(request.from) / step) * step
  const toMs = Math.min(request.to ? Date.parse(request.to) : Date.now(), Date.now())
  const backoffMs = request.backoffMs ?? ((attempt) => 500 * 2 ** (attempt - 1))
  const result: CandleDownloadResult = {
    exchange: request.exchange,
    symbol: request.symbol,
    timeframe: request.timeframe,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    received: 0,
    inserted: 0,
    requests: 0,
    retries: 0,
  }
  const retried = () => result.retries++
  try {
    const ccxt = await ccxtLibrary()
    const exchange = await openExchange(request.exchange, request.environment)
    await patiently(ccxt, () => exchange.loadMarkets(), backoffMs, retried)
    const symbol = unifiedSymbol(ccxt, exchange, request.symbol)
    let since = fromMs
    while (since < toMs) {
      const until = Math.min(since + BARS_PER_REQUEST * step, toMs)
      result.requests++
      const page = await patiently(
        ccxt,
        () => exchange.fetchOHLCV(symbol, request.timeframe, since, BARS_PER_REQUEST, { until }),
        backoffMs,
        retried,
      )
      // The candle still forming is left out: it is stored once it has closed, never half-made.
      const candles = page
        .filter(([ts]) => (ts as number) >= since && (ts as number) < toMs && (ts as number) + step <= Date.now())
        .map((row) => candleOf(request.symbol, request.timeframe, row))
      if (candles.length > 0)
        result.inserted += await ctx.store.transaction((tx) => tx.marketSnapshots.insertMany(candles))
      result.received += candles.length
      const last = candles.at(-1)
      since = last ? Date.parse(last.ts) + step : until
      request.onProgress?.({ done: Math.min(since, toMs) - fromMs, total: toMs - fromMs, received: result.received })
    }
    return result
  } catch (error) {
    throw await exchangeFailure(request.exchange, error)
  }
}
