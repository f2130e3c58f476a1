import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

/*
 * A local stand-in for Deribit's JSON-RPC over HTTP (/api/v2/...), enough of the real
 * wire protocol for the endpoints Tradedeck calls through ccxt: public instruments,
 * currencies, time and chart data; public/auth (client credentials or a signed
 * client_signature grant); private account summaries, buy and sell with a label,
 * order state (by id and by label), open orders, positions and cancel_all, each
 * checked against the request's deri-hmac-sha256 signature exactly as Deribit checks
 * it. Market orders fill at the last closed minute's close. Faults are scripted per
 * test: 429s, a reply lost after the order was taken, a reply held until the caller
 * is killed, and fills that arrive in parts. Over WebSocket (/ws/api/v2) it answers
 * public/subscribe for the chart channel (chart.trades.<instrument>.<resolution>) and
 * pushes the forming candle several times a second; a test can cut every stream.
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
  instrument_type: 'linear' | 'reversed'
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
  instrument_type: 'reversed',
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

/** Deribit's USDC-margined perpetual: sized in the base currency, settled in USDC. */
const linearPerpetual = (base: string, price: number): Instrument & { price: number } => ({
  ...perpetual(base, price),
  instrument_name: `${base}_USDC-PERPETUAL`,
  counter_currency: 'USDC',
  settlement_currency: 'USDC',
  instrument_type: 'linear',
  contract_size: 0.001,
  min_trade_amount: 0.001,
})

const INSTRUMENTS = [perpetual('BTC', 60_000), perpetual('ETH', 3_000), linearPerpetual('BTC', 60_000)]
export const LINEAR_BTC = 'BTC_USDC-PERPETUAL'
const RESOLUTION_MS: Record<string, number> = { '1': 60_000, '5': 300_000, '15': 900_000, '60': 3_600_000, '1D': 86_400_000 }
/** Deribit returns at most this many bars per chart request. */
const MAX_BARS = 5_000

/**
 * The same bar for the same instrument and minute on every call, so downloads can be checked.
 * Minute prices zigzag around a slow wave, so short moving averages cross on almost every
 * minute candle and a strategy proposes soon after it starts.
 */
export function standinBar(instrument: string, ts: number, resolutionMs: number): { open: number; high: number; low: number; close: number; volume: number } {
  const base = INSTRUMENTS.find((entry) => entry.instrument_name === instrument)?.price ?? 100
  const at = (t: number) => Math.round((base + base * 0.01 * Math.sin(t / 3_600_000) + base * 0.002 * (Math.floor(t / 60_000) % 2 === 0 ? 1 : -1)) * 2) / 2
  const open = at(ts)
  const close = at(ts + resolutionMs)
  return { open, high: Math.max(open, close) + 0.5, low: Math.min(open, close) - 0.5, close, volume: Number(((ts / 60_000) % 97).toFixed(0)) + 1 }
}

/** An order as Deribit reports it (get_order_state and friends). */
export interface StandinOrder {
  order_id: string
  label: string
  instrument_name: string
  direction: 'buy' | 'sell'
  order_type: 'market' | 'limit' | 'stop_market' | 'take_market'
  order_state: 'open' | 'untriggered' | 'filled' | 'cancelled' | 'rejected'
  trigger_price?: number
  trigger?: string
  amount: number
  filled_amount: number
  average_price: number
  price: number | 'market_price'
  commission: number
  reduce_only: boolean
  post_only: false
  time_in_force: 'good_til_cancelled'
  api: true
  is_liquidation: false
  max_show: number
  profit_loss: 0
  creation_timestamp: number
  last_update_timestamp: number
}

export interface StandinPosition {
  instrument: string
  /** Signed: negative is short. */
  size: number
  averagePrice: number
}

export interface DeribitStandin {
  url: string
  /** Every request, as method names (public/get_time, private/get_account_summaries, …). */
  calls: string[]
  /** The next `count` requests (optionally only to one method) answer 429 Too Many Requests, as Deribit's limiter does. */
  rateLimitNext(count: number, method?: string): void
  /** The next `times` calls to `method` (after `skip` that go through) are carried out, but their replies never arrive: the connection is cut. */
  loseReplyNext(method: string, times?: number, skip?: number): void
  /** The next call to `method` is carried out and its reply held back for good; `onHeld` runs once it has been carried out. */
  holdReplyNext(method: string, onHeld: () => void): void
  /** The next market order fills in `parts` equal parts: the first at once, one more on each later look at it. */
  fillInPartsNext(parts: number): void
  /** The next `times` calls to `method` are refused with an error, as Deribit refuses an order it will not take. */
  refuseNext(method: string, times?: number): void
  /** Moves the market: orders fill, and stop and take orders trigger, at this price until it is set back to null. */
  setMarkPrice(instrument: string, price: number | null): void
  /** Every order taken, oldest first. */
  orders(): StandinOrder[]
  /** Open positions, by instrument. */
  positions(): StandinPosition[]
  /** Sets a position as if it had been traded elsewhere (another app, the exchange's own screen). */
  setPosition(instrument: string, size: number, averagePrice: number): void
  /** The price a market order on the instrument fills at now. */
  markPrice(instrument: string): number
  /** Cuts every WebSocket connection, as a network drop mid-stream does. */
  dropStreams(): void
  /** Forgets every order, position and scripted fault, as a fresh account. */
  reset(): void
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
    get_currencies: () => [...new Set(INSTRUMENTS.flatMap((entry) => [entry.base_currency, entry.settlement_currency]))].map((currency) => ({ currency, currency_long: currency, coin_type: 'BITCOIN', fee_precision: 4, min_confirmations: 1, withdrawal_fee: 0.0001, withdrawal_priorities: [] })),
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

  const orders: StandinOrder[] = []
  const positions = new Map<string, StandinPosition>()
  /** Parts still to fill and the size of each, by order id. */
  const partsLeft = new Map<string, { left: number; part: number }>()
  let nextParts = 0
  let sequence = 0
  const faults: { method: string; kind: 'lose' | 'hold' | 'refuse'; times: number; skip: number; onHeld?: () => void }[] = []
  const marks = new Map<string, number>()

  const instrumentOf = (name: string | null) => {
    const found = INSTRUMENTS.find((entry) => entry.instrument_name === name)
    if (!found) throw Object.assign(new Error('instrument_not_found'), { code: 10_028 })
    return found
  }
  const markPrice = (instrument: string) => marks.get(instrument) ?? standinBar(instrument, Math.floor(Date.now() / 60_000) * 60_000 - 60_000, 60_000).close

  /** Stop and take orders trigger when the mark crosses their price, and then fill as market orders (reduce-only ones only as far as the position goes). */
  function trigger(): void {
    for (const order of orders.filter((candidate) => candidate.order_state === 'untriggered')) {
      const mark = markPrice(order.instrument_name)
      const at = order.trigger_price as number
      const stop = order.order_type === 'stop_market'
      const reached = order.direction === 'sell' ? (stop ? mark <= at : mark >= at) : stop ? mark >= at : mark <= at
      if (!reached) continue
      const held = positions.get(order.instrument_name)?.size ?? 0
      const reducible = order.direction === 'buy' ? Math.max(0, -held) : Math.max(0, held)
      const amount = order.reduce_only ? Math.min(order.amount, reducible) : order.amount
      if (amount <= 0) {
        order.order_state = 'cancelled'
        order.last_update_timestamp = Date.now()
        continue
      }
      order.order_state = 'open'
      order.amount = amount
      fill(order, amount)
    }
  }
  const round = (value: number) => Number(value.toFixed(8))

  /** Fills `amount` of the order at the mark price, moving the position the way Deribit nets it. */
  function fill(order: StandinOrder, amount: number): void {
    const price = markPrice(order.instrument_name)
    const signed = order.direction === 'buy' ? amount : -amount
    const position = positions.get(order.instrument_name) ?? { instrument: order.instrument_name, size: 0, averagePrice: 0 }
    const size = round(position.size + signed)
    const adds = Math.sign(position.size) === Math.sign(signed) || position.size === 0
    position.averagePrice = size === 0 ? 0 : adds ? round((position.averagePrice * Math.abs(position.size) + price * amount) / Math.abs(size)) : Math.sign(size) === Math.sign(position.size) ? position.averagePrice : price
    position.size = size
    if (size === 0) positions.delete(order.instrument_name)
    else positions.set(order.instrument_name, position)
    order.average_price = round((order.average_price * order.filled_amount + price * amount) / (order.filled_amount + amount))
    order.filled_amount = round(order.filled_amount + amount)
    order.commission = round(order.commission + amount * price * instrumentOf(order.instrument_name).taker_commission)
    order.order_state = order.filled_amount >= order.amount ? 'filled' : 'open'
    order.last_update_timestamp = Date.now()
  }

  /** A partly filled order fills one more part each time anyone looks at it. */
  function advance(order: StandinOrder): StandinOrder {
    const parts = partsLeft.get(order.order_id)
    if (parts && order.order_state === 'open') {
      fill(order, parts.left === 1 ? round(order.amount - order.filled_amount) : parts.part)
      if (--parts.left === 0) partsLeft.delete(order.order_id)
    }
    return { ...order }
  }

  function place(direction: 'buy' | 'sell', query: URLSearchParams): unknown {
    const instrument = instrumentOf(query.get('instrument_name'))
    let amount = Number(query.get('amount'))
    if (!(amount > 0) || Math.abs(amount / instrument.min_trade_amount - Math.round(amount / instrument.min_trade_amount)) > 1e-9) throw Object.assign(new Error('must be a multiple of contract size'), { code: 10_010 })
    const requested = query.get('type')
    const type = requested === 'limit' || requested === 'stop_market' || requested === 'take_market' ? requested : 'market'
    const reduceOnly = query.get('reduce_only') === 'true'
    if (reduceOnly) {
      const held = positions.get(instrument.instrument_name)?.size ?? 0
      const reducible = direction === 'buy' ? Math.max(0, -held) : Math.max(0, held)
      if (reducible === 0) throw Object.assign(new Error('reduce_only_order_would_increase_position'), { code: 11_098 })
      amount = Math.min(amount, reducible)
    }
    const now = Date.now()
    const order: StandinOrder = {
      order_id: `${instrument.base_currency}-${++sequence}`,
      label: query.get('label') ?? '',
      instrument_name: instrument.instrument_name,
      direction,
      order_type: type,
      order_state: 'open',
      amount,
      filled_amount: 0,
      average_price: 0,
      price: type === 'limit' ? Number(query.get('price')) : 'market_price',
      ...(type === 'stop_market' || type === 'take_market' ? { order_state: 'untriggered' as const, trigger_price: Number(query.get('trigger_price')), trigger: query.get('trigger') ?? 'last_price' } : {}),
      commission: 0,
      reduce_only: reduceOnly,
      post_only: false,
      time_in_force: 'good_til_cancelled',
      api: true,
      is_liquidation: false,
      max_show: amount,
      profit_loss: 0,
      creation_timestamp: now,
      last_update_timestamp: now,
    }
    orders.push(order)
    if (type === 'market') {
      if (nextParts > 1) {
        const part = round(order.amount / nextParts)
        fill(order, part)
        partsLeft.set(order.order_id, { left: nextParts - 1, part })
        nextParts = 0
      } else fill(order, amount)
    }
    return { order: { ...order }, trades: [] }
  }

  const byLabel = (query: URLSearchParams) => {
    const currency = query.get('currency')
    return orders.filter((order) => order.label === query.get('label') && (!currency || [instrumentOf(order.instrument_name).settlement_currency, instrumentOf(order.instrument_name).base_currency].includes(currency))).map(advance)
  }
  const live = (order: StandinOrder) => order.order_state === 'open' || order.order_state === 'untriggered'
  const openOrders = (match: (order: StandinOrder) => boolean) => orders.filter((order) => live(order) && match(order)).map(advance).filter(live)
  const cancel = (match: (order: StandinOrder) => boolean) => {
    const cancelled = orders.filter((order) => live(order) && match(order))
    for (const order of cancelled) {
      order.order_state = 'cancelled'
      order.last_update_timestamp = Date.now()
      partsLeft.delete(order.order_id)
    }
    return cancelled.length
  }

  const privateMethods: Record<string, (query: URLSearchParams, key: StandinKey) => unknown> = {
    buy: (query) => place('buy', query),
    sell: (query) => place('sell', query),
    get_order_state: (query) => {
      const order = orders.find((candidate) => candidate.order_id === query.get('order_id'))
      if (!order) throw Object.assign(new Error('order_not_found'), { code: 10_004 })
      return advance(order)
    },
    get_order_state_by_label: byLabel,
    get_open_orders_by_instrument: (query) => openOrders((order) => order.instrument_name === query.get('instrument_name')),
    get_open_orders_by_currency: (query) => openOrders((order) => instrumentOf(order.instrument_name).settlement_currency === query.get('currency') || instrumentOf(order.instrument_name).base_currency === query.get('currency')),
    cancel_all: () => cancel(() => true),
    cancel: (query) => {
      const order = orders.find((candidate) => candidate.order_id === query.get('order_id'))
      if (!order) throw Object.assign(new Error('order_not_found'), { code: 10_004 })
      cancel((candidate) => candidate === order)
      return { ...order }
    },
    cancel_all_by_instrument: (query) => cancel((order) => order.instrument_name === query.get('instrument_name')),
    get_positions: (query) => {
      const currency = query.get('currency')
      return [...positions.values()]
        .filter((position) => !currency || currency === 'any' || [instrumentOf(position.instrument).settlement_currency, instrumentOf(position.instrument).base_currency].includes(currency))
        .map((position) => {
          const mark = markPrice(position.instrument)
          return {
            instrument_name: position.instrument,
            kind: 'future',
            direction: position.size > 0 ? 'buy' : 'sell',
            size: position.size,
            size_currency: position.size,
            average_price: position.averagePrice,
            mark_price: mark,
            index_price: mark,
            settlement_price: mark,
            floating_profit_loss: round((mark - position.averagePrice) * position.size),
            realized_profit_loss: 0,
            total_profit_loss: round((mark - position.averagePrice) * position.size),
            initial_margin: 0,
            maintenance_margin: 0,
            open_orders_margin: 0,
            leverage: 10,
            estimated_liquidation_price: 0,
            delta: position.size,
          }
        })
    },
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
    const scripted = faults.find((entry) => entry.method === `${scope}/${method}`)
    const fault = scripted && scripted.skip-- <= 0 ? scripted : undefined
    if (fault && --fault.times <= 0) faults.splice(faults.indexOf(fault), 1)
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
      trigger()
      if (fault?.kind === 'refuse') return rpcError(response, 400, 10_003, 'order_overlap')
      const result = handler(url.searchParams, key)
      if (fault?.kind === 'lose') return request.socket.destroy()
      if (fault?.kind === 'hold') return fault.onHeld?.()
      return rpc(response, startedUs, result)
    } catch (error) {
      return rpcError(response, 400, (error as { code?: number }).code ?? -32_000, (error as Error).message)
    }
  })
  // Deribit's WebSocket API: JSON-RPC requests, and notifications for subscribed channels.
  const streams = new WebSocketServer({ server, path: '/ws/api/v2' })
  const reply = (socket: WebSocket, id: unknown, result: unknown) => socket.send(JSON.stringify({ jsonrpc: '2.0', id, result, usIn: Date.now() * 1000, usOut: Date.now() * 1000, usDiff: 0, testnet: true }))
  streams.on('connection', (socket) => {
    const timers: NodeJS.Timeout[] = []
    socket.on('close', () => timers.forEach(clearInterval))
    socket.on('message', (raw) => {
      let request: { id?: unknown; method?: string; params?: { channels?: string[] } }
      try {
        request = JSON.parse(raw.toString()) as typeof request
      } catch {
        return socket.send(JSON.stringify({ jsonrpc: '2.0', error: { code: -32_700, message: 'Parse error' } }))
      }
      calls.push(`ws ${request.method}`)
      if (request.method !== 'public/subscribe') return reply(socket, request.id, request.method === 'public/test' ? { version: 'standin' } : 'ok')
      const channels = request.params?.channels ?? []
      reply(socket, request.id, channels)
      for (const channel of channels) {
        const [kind, , instrument, resolution] = channel.split('.') as [string, string, string, string]
        const resolutionMs = RESOLUTION_MS[resolution]
        if (kind !== 'chart' || !resolutionMs) continue
        const push = () => {
          const tick = Math.floor(Date.now() / resolutionMs) * resolutionMs
          const bar = standinBar(instrument, tick, resolutionMs)
          socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data: { tick, ...bar, cost: bar.volume } } }))
        }
        push()
        timers.push(setInterval(push, 250))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    rateLimitNext(count, method) {
      limited.push({ count, ...(method ? { method } : {}) })
    },
    loseReplyNext(method, times = 1, skip = 0) {
      faults.push({ method, kind: 'lose', times, skip })
    },
    holdReplyNext(method, onHeld) {
      faults.push({ method, kind: 'hold', times: 1, skip: 0, onHeld })
    },
    fillInPartsNext(parts) {
      nextParts = parts
    },
    refuseNext(method, times = 1) {
      faults.push({ method, kind: 'refuse', times, skip: 0 })
    },
    setMarkPrice(instrument, price) {
      if (price === null) marks.delete(instrument)
      else marks.set(instrument, price)
    },
    orders: () => orders.map((order) => ({ ...order })),
    positions: () => [...positions.values()].map((position) => ({ ...position })),
    setPosition(instrument, size, averagePrice) {
      if (size === 0) positions.delete(instrument)
      else positions.set(instrument, { instrument, size, averagePrice })
    },
    markPrice,
    dropStreams() {
      for (const socket of streams.clients) socket.terminate()
    },
    reset() {
      orders.length = 0
      positions.clear()
      partsLeft.clear()
      faults.length = 0
      limited.length = 0
      marks.clear()
      nextParts = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of streams.clients) socket.terminate()
        streams.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
