import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/*
 * A local stand-in for Deribit's JSON-RPC over HTTP (/api/v2/...), enough of the real
 * wire protocol for the endpoints Tradedeck calls through ccxt: public instruments,
 * currencies, time and chart data; public/auth (client credentials or a signed
 * client_signature grant); private
 * account summaries, checked against the request's deri-hmac-sha256 signature exactly
 * as Deribit checks it. Faults are scripted per test.
 */

export interface StandinKey {
  clientId: string
  clientSecret: string
  /** Deribit's scope string, e.g. "account:read trade:read_write wallet:read". */
  scope: string
}

interface Instrument {
  instrument_name: string
  kind: 'future'
  base_currency: string
  counter_currency: string
  settlement_currency: string
  settlement_period: 'perpetual'
  contract_size: number
  min_trade_amount: number
  tick_size: number
  is_active: true
  taker_commission: number
  maker_commission: number
  expiration_timestamp: number
  creation_timestamp: number
}

const perpetual = (base: string, price: number): Instrument & { price: number } => ({
  instrument_name: `${base}-PERPETUAL`,
  kind: 'future',
  base_currency: base,
  counter_currency: 'USD',
  settlement_currency: base,
  settlement_period: 'perpetual',
  contract_size: 10,
  min_trade_amount: 10,
  tick_size: 0.5,
  is_active: true,
  taker_commission: 0.0005,
  maker_commission: 0,
  expiration_timestamp: 32503708800000,
  creation_timestamp: 1534242287000,
  price,
})

const INSTRUMENTS = [perpetual('BTC', 60_000), perpetual('ETH', 3_000)]
const RESOLUTION_MS: Record<string, number> = { '1': 60_000, '5': 300_000, '15': 900_000, '60': 3_600_000, '1D': 86_400_000 }
/** Deribit returns at most this many bars per chart request. */
const MAX_BARS = 5_000

/** The same bar for the same instrument and minute on every call, so downloads can be checked. */
export function standinBar(instrument: string, ts: number, resolutionMs: number): { open: number; high: number; low: number; close: number; volume: number } {
  const base = INSTRUMENTS.find((entry) => entry.instrument_name === instrument)?.price ?? 100
  const at = (t: number) => Math.round((base + base * 0.01 * Math.sin(t / 3_600_000)) * 2) / 2
  const open = at(ts)
  const close = at(ts + resolutionMs)
  return { open, high: Math.max(open, close) + 0.5, low: Math.min(open, close) - 0.5, close, volume: Number(((ts / 60_000) % 97).toFixed(0)) + 1 }
}

export interface DeribitStandin {
  url: string
  /** Every request, as method names (public/get_time, private/get_account_summaries, …). */
  calls: string[]
  /** The next `count` requests (optionally only to one method) answer 429 Too Many Requests, as Deribit's limiter does. */
  rateLimitNext(count: number, method?: string): void
  close(): Promise<void>
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

function rpc(response: ServerResponse, startedUs: number, result: unknown): void {
  const usOut = Date.now() * 1000
  send(response, 200, { jsonrpc: '2.0', result, usIn: startedUs, usOut, usDiff: usOut - startedUs, testnet: true })
}

function rpcError(response: ServerResponse, status: number, code: number, message: string, data?: unknown): void {
  send(response, status, { jsonrpc: '2.0', error: { code, message, ...(data ? { data } : {}) }, testnet: true })
}

/** The key a signed request was made with, or null when its signature does not check out. */
function signedBy(request: IncomingMessage, path: string, keys: StandinKey[]): StandinKey | null {
  const header = request.headers.authorization ?? ''
  const match = /^deri-hmac-sha256 id=([^,]+),ts=(\d+),sig=([0-9a-f]+),nonce=(.+)$/.exec(header)
  if (!match) return null
  const [, id, ts, sig, nonce] = match as unknown as [string, string, string, string, string]
  const key = keys.find((candidate) => candidate.clientId === id)
  if (!key) return null
  const expected = createHmac('sha256', key.clientSecret).update(`${ts}\n${nonce}\n${request.method}\n${path}\n\n`).digest('hex')
  return expected.length === sig.length && timingSafeEqual(Buffer.from(expected), Buffer.from(sig)) ? key : null
}

export async function startDeribitStandin(options: { keys: StandinKey[]; balances?: Record<string, { equity: number; available: number }> }): Promise<DeribitStandin> {
  const calls: string[] = []
  const limited: { count: number; method?: string }[] = []
  const balances = options.balances ?? { BTC: { equity: 1.25, available: 1.2 }, ETH: { equity: 10, available: 9.5 } }

  const publicMethods: Record<string, (query: URLSearchParams) => unknown> = {
    get_time: () => Date.now(),
    get_currencies: () => [...new Set(INSTRUMENTS.map((entry) => entry.base_currency))].map((currency) => ({ currency, currency_long: currency, coin_type: 'BITCOIN', fee_precision: 4, min_confirmations: 1, withdrawal_fee: 0.0001, withdrawal_priorities: [] })),
    get_instruments: (query) => {
      const currency = query.get('currency')
      return INSTRUMENTS.filter((entry) => !currency || currency === 'any' || entry.base_currency === currency).map(({ price: _price, ...instrument }) => instrument)
    },
    get_tradingview_chart_data: (query) => {
      const instrument = query.get('instrument_name') ?? ''
      if (!INSTRUMENTS.some((entry) => entry.instrument_name === instrument)) throw Object.assign(new Error('instrument_not_found'), { code: 10_028 })
      const resolution = RESOLUTION_MS[query.get('resolution') ?? '']
      if (!resolution) throw Object.assign(new Error('Invalid params'), { code: -32_602 })
      const start = Math.ceil(Number(query.get('start_timestamp')) / resolution) * resolution
      const end = Math.min(Number(query.get('end_timestamp')), Date.now())
      const ticks: number[] = []
      for (let ts = start; ts <= end && ticks.length < MAX_BARS; ts += resolution) ticks.push(ts)
      const bars = ticks.map((ts) => standinBar(instrument, ts, resolution))
      return { status: ticks.length > 0 ? 'ok' : 'no_data', ticks, open: bars.map((bar) => bar.open), high: bars.map((bar) => bar.high), low: bars.map((bar) => bar.low), close: bars.map((bar) => bar.close), volume: bars.map((bar) => bar.volume), cost: bars.map((bar) => bar.volume) }
    },
    auth: (query) => {
      const candidate = options.keys.find((entry) => entry.clientId === query.get('client_id'))
      const grant = query.get('grant_type')
      const signed = () => {
        const expected = createHmac('sha256', candidate?.clientSecret ?? '').update(`${query.get('timestamp')}\n${query.get('nonce')}\n${query.get('data') ?? ''}`).digest('hex')
        const given = query.get('signature') ?? ''
        return expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given))
      }
      const key = candidate && ((grant === 'client_credentials' && candidate.clientSecret === query.get('client_secret')) || (grant === 'client_signature' && signed())) ? candidate : null
      if (!key) throw Object.assign(new Error('invalid_credentials'), { code: 13_004 })
      return { access_token: `token-${key.clientId}`, expires_in: 900, refresh_token: `refresh-${key.clientId}`, scope: key.scope, token_type: 'bearer' }
    },
  }

  const privateMethods: Record<string, (query: URLSearchParams, key: StandinKey) => unknown> = {
    get_account_summaries: (_query, key) => ({
      id: Number.parseInt(createHmac('sha256', 'id').update(key.clientId).digest('hex').slice(0, 6), 16),
      username: `standin_${key.clientId}`,
      type: 'main',
      summaries: Object.entries(balances).map(([currency, balance]) => ({ currency, equity: balance.equity, balance: balance.equity, available_funds: balance.available, maintenance_margin: 0, initial_margin: 0 })),
    }),
  }

  const server = createServer((request, response) => {
    const startedUs = Date.now() * 1000
    const url = new URL(request.url ?? '/', 'http://standin')
    const match = /^\/api\/v2\/(public|private)\/([a-z_]+)$/.exec(url.pathname)
    if (!match || request.method !== 'GET') return rpcError(response, 404, -32_601, 'Method not found')
    const [, scope, method] = match as unknown as [string, 'public' | 'private', string]
    calls.push(`${scope}/${method}`)
    const limit = limited.find((entry) => !entry.method || entry.method === `${scope}/${method}`)
    if (limit) {
      if (--limit.count <= 0) limited.splice(limited.indexOf(limit), 1)
      return rpcError(response, 429, 10_028, 'too_many_requests')
    }
    try {
      if (scope === 'public') {
        const handler = publicMethods[method]
        if (!handler) return rpcError(response, 400, -32_601, 'Method not found')
        return rpc(response, startedUs, handler(url.searchParams))
      }
      const key = signedBy(request, url.pathname + url.search, options.keys)
      if (!key) return rpcError(response, 400, 13_009, 'unauthorized')
      const handler = privateMethods[method]
      if (!handler) return rpcError(response, 400, -32_601, 'Method not found')
      return rpc(response, startedUs, handler(url.searchParams, key))
    } catch (error) {
      return rpcError(response, 400, (error as { code?: number }).code ?? -32_000, (error as Error).message)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    rateLimitNext(count, method) {
      limited.push({ count, ...(method ? { method } : {}) })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
