import type ccxtDefault from 'ccxt'
import type { Exchange, Market, OHLCV } from 'ccxt'
import { decimalText } from '../imports/source-values'
import type { Candle } from '../../platform/store/repositories/market-snapshots'
import type { ExchangeId } from '../../../../shared/domain'

export type ExchangeEnvironment = 'testnet' | 'live'

export interface ExchangeKey {
  apiKey: string
  secret: string
}

/**
 * Where an exchange's REST API is reached instead of its public address:
 * TRADEDECK_EXCHANGE_URL_<EXCHANGE>_<ENVIRONMENT> (e.g. TRADEDECK_EXCHANGE_URL_DERIBIT_TESTNET), for REST
 * and, on the same host, WebSocket. Tests point ccxt at a local stand-in this way; a desk behind a relay can too.
 */
export function endpointOverride(
  id: ExchangeId,
  environment: ExchangeEnvironment,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const value = env[`TRADEDECK_EXCHANGE_URL_${id.toUpperCase()}_${environment.toUpperCase()}`]?.trim()
  return value ? value.replace(/\/+$/, '') : null
}

const DEFAULT_REQUEST_TIMEOUT_MS = 15_000
const DEFAULT_POLL_MS = 1_000

function wholeMsWithin(value: string | undefined, min: number, max: number, fallback: number): number {
  const ms = Number(value)
  return Number.isInteger(ms) && ms >= min && ms <= max ? ms : fallback
}

/**
 * How long one request to an exchange may take before its outcome is unknown:
 * TRADEDECK_EXCHANGE_TIMEOUT_MS, from 1,000 to 120,000 ms, else 15 s. A desk on a
 * slow link may need longer; the tests' local stand-ins answer in milliseconds, so
 * they set less and a reply held back for good ends sooner.
 */
export function requestTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return wholeMsWithin(env['TRADEDECK_EXCHANGE_TIMEOUT_MS'], 1_000, 120_000, DEFAULT_REQUEST_TIMEOUT_MS)
}

/**
 * ccxt paces requests to each exchange by the exchange's published limits (its `rateLimit`, in ms per unit
 * of request cost). TRADEDECK_EXCHANGE_RATE_LIMIT_MS (1 to 10,000) replaces that unit, for a relay with its
 * own limits or a local stand-in that has none; unset, the exchange's own applies.
 */
export function rateLimitOverrideMs(env: NodeJS.ProcessEnv = process.env): number | null {
  const ms = wholeMsWithin(env['TRADEDECK_EXCHANGE_RATE_LIMIT_MS'], 1, 10_000, 0)
  return ms === 0 ? null : ms
}

export interface ExchangeTiming {
  /** How long one request may take before its outcome is unknown. */
  requestTimeoutMs: number
  /** How often an order still live or on its way is looked up. */
  pollMs: number
  /** The first wait before a rate-limited or unanswered send is tried again; each further try waits twice as long. */
  backoffMs: number
  /** An order sent this long ago that the exchange has no record of was never taken: ccxt gave up on its reply and five polls passed. */
  unansweredAfterMs: number
}

/**
 * How quickly the desk re-asks an exchange. TRADEDECK_EXCHANGE_POLL_MS (100 to 60,000 ms, else 1 s) sets the
 * poll; the backoff starts at half a poll. A desk next to the exchange can poll faster; the tests' stand-ins do.
 */
export function exchangeTiming(env: NodeJS.ProcessEnv = process.env): ExchangeTiming {
  const timeout = requestTimeoutMs(env)
  const pollMs = wholeMsWithin(env['TRADEDECK_EXCHANGE_POLL_MS'], 100, 60_000, DEFAULT_POLL_MS)
  return { requestTimeoutMs: timeout, pollMs, backoffMs: pollMs / 2, unansweredAfterMs: timeout + 5 * pollMs }
}

export type Ccxt = typeof ccxtDefault

let library: Promise<Ccxt> | null = null

/** ccxt, loaded the first time an exchange is reached: it is large, and a desk that never trades live never pays for it. */
export function ccxtLibrary(): Promise<Ccxt> {
  library ??= import('ccxt').then((loaded) => (loaded as { default?: Ccxt }).default ?? (loaded as unknown as Ccxt))
  return library
}

/**
 * Every address in ccxt's API table moved onto the overriding host, each keeping its own path:
 * REST ones after the override (which may carry a path prefix), WebSocket ones in ws(s) on its host.
 */
function onOverrideHost(addresses: unknown, override: string): unknown {
  if (typeof addresses === 'string') {
    // The host may be a template ccxt fills in per request (Bybit's api-testnet.{hostname}), so it is not parsed as a URL.
    const [, scheme = '', path = ''] = /^([a-z]+):\/\/[^/]*(\/.*)?$/i.exec(addresses) ?? []
    if (scheme === 'http' || scheme === 'https') return `${override}${path === '/' ? '' : path}`
    const host = new URL(override)
    return `${host.protocol === 'https:' ? 'wss:' : 'ws:'}//${host.host}${path}`
  }
  if (addresses && typeof addresses === 'object')
    return Object.fromEntries(
      Object.entries(addresses).map(([name, address]) => [name, onOverrideHost(address, override)]),
    )
  return addresses
}

/**
 * A ccxt client for one exchange and environment: testnet through ccxt's sandbox mode, its rate limiter on.
 * `streaming` gives ccxt's WebSocket class (ccxt.pro, inside the same package) for watchOHLCV; `configure`
 * sets what the exchange's own definition needs. The registry's openExchange is the way in.
 */
export async function openCcxtClient(
  id: ExchangeId,
  environment: ExchangeEnvironment,
  key?: ExchangeKey,
  options: { streaming?: boolean; configure?: ((exchange: Exchange) => void) | undefined } = {},
): Promise<Exchange> {
  const ccxt = await ccxtLibrary()
  const classes = (options.streaming ? ccxt.pro : ccxt) as unknown as Record<
    ExchangeId,
    new (config: Record<string, unknown>) => Exchange
  >
  const exchange = new classes[id]({
    enableRateLimit: true,
    ...(rateLimitOverrideMs() === null ? {} : { rateLimit: rateLimitOverrideMs() }),
    timeout: requestTimeoutMs(),
    ...(key ? { apiKey: key.apiKey, secret: key.secret } : {}),
  })
  // A stream's watch answers with every candle it holds (not only the one just updated), so a candle the stream has moved past can be read whole.
  if (options.streaming) exchange.newUpdates = false
  options.configure?.(exchange)
  if (environment === 'testnet') exchange.setSandboxMode(true)
  const override = endpointOverride(id, environment)
  if (override) {
    exchange.urls['api'] = onOverrideHost(exchange.urls['api'], override) as (typeof exchange.urls)['api']
    // ccxt opens a plain ws:// address (a local relay or stand-in) only through an http agent it is given first.
    if (options.streaming && override.startsWith('http:')) await exchange.loadHttpProxyAgent()
  }
  return exchange
}

/**
 * The market an instrument names: a ccxt symbol, or the exchange's own id. One id can name several
 * markets (Bybit's BTCUSDT is a spot pair and a linear perpetual); Tradedeck trades contracts, so a
 * contract is preferred. Unified symbols (BTC/USDT) still reach the others.
 */
export function marketOf(exchange: Exchange, instrument: string): Market | undefined {
  const direct = exchange.markets?.[instrument]
  if (direct) return direct
  const byId = (exchange.markets_by_id?.[instrument] ?? []) as Market[]
  return byId.find((market) => market?.contract) ?? byId[0]
}

/** A ccxt candle row as the desk stores candles: prices and volume as decimal text, the time as ISO. */
export const candleOf = (symbol: string, timeframe: string, [ts, open, high, low, close, volume]: OHLCV): Candle => ({
  symbol,
  timeframe,
  ts: new Date(ts as number).toISOString(),
  open: decimalText(open as number),
  high: decimalText(high as number),
  low: decimalText(low as number),
  close: decimalText(close as number),
  volume: decimalText(volume ?? 0),
})

const MINUTE_MS = 60_000

/** The one-minute candles of an instrument that closed at or after `sinceMs`, oldest first (the one still forming is left out). */
export async function closedMinuteCandles(exchange: Exchange, instrument: string, sinceMs: number): Promise<Candle[]> {
  const market = marketOf(exchange, instrument)
  if (!market) return []
  const now = Date.now()
  const rows = await exchange.fetchOHLCV(market.symbol, '1m', sinceMs - MINUTE_MS, 100)
  return rows
    .filter(([ts]) => (ts as number) + MINUTE_MS >= sinceMs && (ts as number) + MINUTE_MS <= now)
    .map((row) => candleOf(instrument, '1m', row))
}
