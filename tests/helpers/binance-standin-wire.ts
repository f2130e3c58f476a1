import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import { listenStandin, pushEvery, replyJson } from './standin-server'
import { createFaults, type DocumentedError, type StandinEngine } from './standin-engine'

/*
 * What Binance's spot (/api/v3) and USDⓈ-M futures (/fapi) APIs share on the wire, for their
 * stand-ins: HMAC-SHA256 signatures over the query (or form body) with the X-MBX-APIKEY header,
 * errors as {code, msg} with Binance's codes, 429 with -1003, the kline rows, the key's API
 * restrictions and coin list (/sapi, which Binance serves on its live API only), and the
 * market streams: SUBSCRIBE for <symbol>@kline_<interval>, then the forming kline several times a second.
 */

export interface BinanceKey {
  apiKey: string
  secret: string
  /** What the key may do, as apiRestrictions reports it; trading without withdrawal by default. */
  restrictions?: Partial<Record<'enableSpotAndMarginTrading' | 'enableFutures' | 'enableWithdrawals', boolean>>
}

/** A symbol a Binance stand-in lists, with the price its bars wave around and its size step. */
export interface BinanceSymbol {
  symbol: string
  baseAsset: string
  quoteAsset: string
  price: number
  stepSize: number
}

export type Routes = Record<string, (query: URLSearchParams) => unknown>

export const INTERVAL_MS: Record<string, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
}

export const binanceError = (code: number, message: string) => Object.assign(new Error(message), { code })

const documented = (status: number, code: number, msg: string, acted: boolean): DocumentedError => ({
  status,
  body: { code, msg },
  acted,
})

/**
 * The error codes Binance documents for order requests ("Error Codes" of the spot and USDⓈ-M futures API docs,
 * and "General API Information": a 5xx leaves the execution status unknown) that a test may answer a request
 * with. -1021 and the duplicate client id are checked for real, not scripted.
 */
export const BINANCE_ERRORS: Record<number, DocumentedError> = {
  // UNKNOWN: "An unknown error occurred while processing the request" (harsher reading: it may have been carried out).
  [-1000]: documented(500, -1000, 'An unknown error occured while processing the request.', true),
  // UNEXPECTED_RESP: "An unexpected response was received from the message bus. Execution status unknown."
  [-1006]: documented(
    503,
    -1006,
    'An unexpected response was received from the message bus. Execution status unknown.',
    true,
  ),
  // TIMEOUT: "Timeout waiting for response from backend server. Send status unknown; execution status unknown."
  [-1007]: documented(
    503,
    -1007,
    'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    true,
  ),
  // TOO_MANY_REQUESTS, with HTTP 429: nothing was carried out.
  [-1003]: documented(429, -1003, 'Too many requests; current limit of IP is 6000 requests per minute.', false),
  // NEW_ORDER_REJECTED, the spot API's "Account has insufficient balance for requested action."
  [-2010]: documented(400, -2010, 'Account has insufficient balance for requested action.', false),
  // Futures: "Margin is insufficient."
  [-2019]: documented(400, -2019, 'Margin is insufficient.', false),
}

type Bar = { open: number; high: number; low: number; close: number; volume: number }

/** GET klines: rows of [open time, o, h, l, c, volume, close time, quote volume, trades, ...] from the stand-in's bars. */
export function klineRows(
  query: URLSearchParams,
  symbol: string,
  bar: (symbol: string, ts: number, resolution: number) => Bar,
  most: number,
): unknown[] {
  const resolution = INTERVAL_MS[query.get('interval') ?? '']
  if (!resolution) throw binanceError(-1120, 'Invalid interval.')
  const limit = Math.min(Number(query.get('limit') ?? 500), most)
  const end = Math.min(Number(query.get('endTime') ?? Date.now()), Date.now())
  const start = query.get('startTime')
    ? Math.ceil(Number(query.get('startTime')) / resolution) * resolution
    : Math.floor(end / resolution) * resolution - (limit - 1) * resolution
  const rows: unknown[] = []
  for (let ts = start; ts <= end && rows.length < limit; ts += resolution) {
    const candle = bar(symbol, ts, resolution)
    rows.push([
      ts,
      String(candle.open),
      String(candle.high),
      String(candle.low),
      String(candle.close),
      String(candle.volume),
      ts + resolution - 1,
      String(candle.volume * candle.close),
      10,
      '0',
      '0',
      '0',
    ])
  }
  return rows
}

/** The wallet routes (/sapi) ccxt calls on Binance's live API: the coins' configuration and the key's API restrictions. */
export function walletRoutes(keys: BinanceKey[], coins: string[]): Routes {
  return {
    'GET /sapi/v1/capital/config/getall': () =>
      coins.map((coin) => ({
        coin,
        name: coin,
        depositAllEnable: true,
        withdrawAllEnable: true,
        isLegalMoney: false,
        trading: true,
        free: '0',
        locked: '0',
        freeze: '0',
        withdrawing: '0',
        ipoing: '0',
        ipoable: '0',
        storage: '0',
        networkList: [
          {
            network: coin === 'USDT' ? 'ETH' : coin,
            coin,
            name: coin,
            isDefault: true,
            depositEnable: true,
            withdrawEnable: true,
            withdrawFee: '0.0001',
            withdrawMin: '0.001',
            withdrawMax: '1000',
            withdrawIntegerMultiple: '0.00000001',
            minConfirm: 1,
            unLockConfirm: 2,
            busy: false,
          },
        ],
      })),
    'GET /sapi/v1/account/apiRestrictions': (query) => {
      const key = keys.find((candidate) => candidate.apiKey === query.get('__key')) ?? keys[0]!
      return {
        ipRestrict: false,
        createTime: 1_700_000_000_000,
        enableReading: true,
        enableSpotAndMarginTrading: true,
        enableFutures: true,
        enableWithdrawals: false,
        enableInternalTransfer: false,
        enableMargin: false,
        permitsUniversalTransfer: false,
        enableVanillaOptions: false,
        enablePortfolioMarginTrading: false,
        ...key.restrictions,
      }
    },
  }
}

/**
 * A Binance stand-in's server over its matching engine: public routes answer anyone, private ones
 * (and the wallet routes) only a request signed by one of the keys (the key's name reaches the
 * handler as `__key`), after the engine's triggers have run. Scripted faults apply as on every stand-in.
 */
export async function listenBinance(options: {
  keys: BinanceKey[]
  engine: StandinEngine
  publicRoutes: Routes
  privateRoutes: Routes
  refusal: { code: number; msg: string }
  symbols: BinanceSymbol[]
  coins: string[]
  bar: (symbol: string, ts: number, resolution: number) => Bar
}) {
  const calls: string[] = []
  const faults = createFaults()
  const { engine, bar } = options
  const privateRoutes = { ...options.privateRoutes, ...walletRoutes(options.keys, options.coins) }

  /**
   * Binance API docs, "Timing security": a signed request is refused with -1021 when its timestamp is ahead of the
   * server's clock by more than 1 s, or behind it by more than recvWindow (5000 ms when not sent).
   */
  function receivedLate(query: URLSearchParams): { code: number; msg: string } | null {
    const timestamp = Number(query.get('timestamp'))
    const window = Number(query.get('recvWindow') ?? 5000)
    const serverTime = engine.serverNow()
    if (timestamp < serverTime + 1000 && serverTime - timestamp <= window) return null
    return {
      code: -1021,
      msg:
        timestamp >= serverTime + 1000
          ? "Timestamp for this request was 1000ms ahead of the server's time."
          : 'Timestamp for this request is outside of the recvWindow.',
    }
  }

  function signedBy(request: IncomingMessage, payload: string): BinanceKey | null {
    const key = options.keys.find((candidate) => candidate.apiKey === request.headers['x-mbx-apikey'])
    const at = payload.lastIndexOf('&signature=')
    if (!key || at < 0) return null
    const expected = createHmac('sha256', key.secret).update(payload.slice(0, at)).digest('hex')
    const given = payload.slice(at + '&signature='.length)
    return expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given)) ? key : null
  }

  function handle(request: IncomingMessage, response: ServerResponse, body: string): void {
    const url = new URL(request.url ?? '/', 'http://standin')
    const route = `${request.method} ${url.pathname}`
    calls.push(route)
    const { limited, fault, lagMs, random } = faults.take(route)
    if (limited)
      return replyJson(response, 429, {
        code: -1003,
        msg: 'Too many requests; current limit of IP is 6000 requests per minute.',
      })
    if (fault?.kind === 'drop') return void request.socket.destroy()
    if (fault?.kind === 'unavailable') return replyJson(response, 503, { code: -1001, msg: 'Service Unavailable.' })
    const answered = fault?.kind === 'answer' ? BINANCE_ERRORS[fault.code as number] : undefined
    if (answered && !answered.acted) return replyJson(response, answered.status, answered.body)
    const payload = request.method === 'POST' || request.method === 'PUT' ? body : url.search.slice(1)
    const query = new URLSearchParams(payload)
    try {
      const open = options.publicRoutes[route]
      if (open) return replyJson(response, 200, open(query))
      const handler = privateRoutes[route]
      if (!handler)
        return replyJson(response, 404, {
          code: -5000,
          msg: `Path ${url.pathname}, Method ${request.method} is invalid`,
        })
      const key = signedBy(request, payload)
      if (!key) return replyJson(response, 401, { code: -1022, msg: 'Signature for this request is not valid.' })
      query.set('__key', key.apiKey)
      const stale = receivedLate(query)
      if (stale) return replyJson(response, 400, stale)
      engine.trigger()
      if (fault?.kind === 'refuse') return replyJson(response, 400, options.refusal)
      // A lost or held reply is lost or held whatever it would have said, an error included.
      let answer: { status: number; body: unknown }
      try {
        // In the harsh mode a read may see the account as it was a moment ago.
        answer = {
          status: 200,
          body: request.method === 'GET' ? engine.readLagging(lagMs, random, () => handler(query)) : handler(query),
        }
      } catch (error) {
        answer = {
          status: 400,
          body: { code: (error as { code?: number }).code ?? -1000, msg: (error as Error).message },
        }
      }
      if (fault?.kind === 'lose') return void request.socket.destroy()
      if (fault?.kind === 'hold') return fault.onHeld?.()
      if (answered) return replyJson(response, answered.status, answered.body)
      // Binance API docs, "General API Information": a 5xx means the execution status is unknown and could have
      // been a success; -1007 is the backend timeout that says so in as many words.
      if (fault?.kind === 'failed_after')
        return replyJson(response, 503, {
          code: -1007,
          msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
        })
      return replyJson(response, answer.status, answer.body)
    } catch (error) {
      return replyJson(response, 400, {
        code: (error as { code?: number }).code ?? -1000,
        msg: (error as Error).message,
      })
    }
  }

  // The market streams: {"method":"SUBSCRIBE","params":["btcusdt@kline_1m"],"id":1}, then a kline event per update.
  function onStream(socket: WebSocket, raw: string, timers: NodeJS.Timeout[]): void {
    let message: { id?: unknown; method?: string; params?: string[] }
    try {
      message = JSON.parse(raw) as typeof message
    } catch {
      return socket.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON' } }))
    }
    calls.push(`ws ${message.method}`)
    socket.send(JSON.stringify({ result: null, id: message.id }))
    if (message.method !== 'SUBSCRIBE') return
    for (const stream of message.params ?? []) {
      const [lowerSymbol, channel] = stream.split('@') as [string, string | undefined]
      const interval = channel?.startsWith('kline_') ? channel.slice('kline_'.length) : ''
      const resolution = INTERVAL_MS[interval]
      const symbol = options.symbols.find((entry) => entry.symbol.toLowerCase() === lowerSymbol)?.symbol
      if (!resolution || !symbol) continue
      pushEvery(timers, () => {
        const start = Math.floor(Date.now() / resolution) * resolution
        const candle = bar(symbol, start, resolution)
        socket.send(
          JSON.stringify({
            e: 'kline',
            E: Date.now(),
            s: symbol,
            k: {
              t: start,
              T: start + resolution - 1,
              s: symbol,
              i: interval,
              f: 1,
              L: 2,
              o: String(candle.open),
              c: String(candle.close),
              h: String(candle.high),
              l: String(candle.low),
              v: String(candle.volume),
              n: 10,
              x: false,
              q: String(candle.volume * candle.close),
              V: '0',
              Q: '0',
              B: '0',
            },
          }),
        )
      })
    }
  }

  const server = await listenStandin({ handle, onStream })
  return {
    url: server.url,
    calls,
    faults,
    engine,
    bar,
    dropStreams: server.dropStreams,
    reset() {
      engine.reset()
      faults.reset()
    },
    close: server.close,
  }
}
