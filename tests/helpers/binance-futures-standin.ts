import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import { listenStandin, pushEvery, replyJson } from './standin-server'
import { barAt, createEngine, createFaults, StandinRefusal, type EngineOrder } from './standin-engine'

/*
 * A local stand-in for Binance USDⓈ-M futures (/fapi/...), enough of the real REST wire
 * protocol for what Tradedeck calls through ccxt: exchange info, time, klines, and, signed
 * with HMAC-SHA256 over the query (or form body) and the X-MBX-APIKEY header exactly as
 * Binance checks them, the account, leverage brackets, market orders with a
 * newClientOrderId, order lookup by id and by origClientOrderId, cancels, open orders, conditional
 * (stop and take-profit) market orders in the algo service by clientAlgoId, which place an
 * ordinary order once the mark reaches them,
 * user trades (where the fees are) and position risk. A one-way account: positions net.
 * Errors carry Binance's codes (-1022 bad signature, -2013 no such order, -2022 reduce-only
 * refused, 429 with -1003). Over WebSocket (/ws/...) it answers SUBSCRIBE for <symbol>@kline_<interval>
 * and pushes the forming kline several times a second.
 */

export interface BinanceKey {
  apiKey: string
  secret: string
}

interface FuturesSymbol {
  symbol: string
  baseAsset: string
  quoteAsset: string
  price: number
  stepSize: number
}

const SYMBOLS: FuturesSymbol[] = [
  { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', price: 60_000, stepSize: 0.001 },
  { symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', price: 3_000, stepSize: 0.001 },
]
export const BINANCE_BTC = 'BTCUSDT'
const INTERVAL_MS: Record<string, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '1d': 86_400_000 }
const TICK = 0.1
const TAKER_FEE = 0.0004

const symbolOf = (name: string | null): FuturesSymbol => {
  const found = SYMBOLS.find((entry) => entry.symbol === name)
  if (!found) throw Object.assign(new Error('Invalid symbol.'), { code: -1121 })
  return found
}

const STATUS: Record<EngineOrder['state'], string> = { open: 'NEW', untriggered: 'NEW', filled: 'FILLED', cancelled: 'CANCELED' }

/** An order as Binance's /fapi/v1/order answers with it. */
function wireOrder(order: EngineOrder) {
  const status = order.state === 'open' && order.filled > 0 ? 'PARTIALLY_FILLED' : STATUS[order.state]
  const type = order.kind === 'market' ? 'MARKET' : order.kind === 'stop' ? 'STOP_MARKET' : 'TAKE_PROFIT_MARKET'
  return {
    orderId: Number(order.id),
    symbol: order.instrument,
    status,
    clientOrderId: order.clientOrderId,
    price: '0',
    avgPrice: order.average.toFixed(2),
    origQty: String(order.amount),
    executedQty: String(order.filled),
    cumQuote: (order.average * order.filled).toFixed(8),
    timeInForce: 'GTC',
    type,
    origType: type,
    reduceOnly: order.reduceOnly,
    closePosition: false,
    side: order.side.toUpperCase(),
    positionSide: 'BOTH',
    stopPrice: order.triggerPrice === null ? '0' : String(order.triggerPrice),
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    time: order.createdAt,
    updateTime: order.updatedAt,
  }
}

const ALGO_STATUS: Record<EngineOrder['state'], string> = { untriggered: 'NEW', open: 'TRIGGERED', filled: 'FINISHED', cancelled: 'CANCELED' }

/**
 * A conditional order as Binance's algo service (/fapi/v1/algoOrder) reports it. Once it triggers,
 * the market order it placed is an ordinary order: `actualOrderId`, read through /fapi/v1/order.
 */
function wireAlgoOrder(order: EngineOrder) {
  const triggered = order.state === 'open' || order.state === 'filled' || order.filled > 0
  return {
    algoId: Number(order.id),
    clientAlgoId: order.clientOrderId,
    algoType: 'CONDITIONAL',
    orderType: order.kind === 'stop' ? 'STOP_MARKET' : 'TAKE_PROFIT_MARKET',
    symbol: order.instrument,
    side: order.side.toUpperCase(),
    positionSide: 'BOTH',
    timeInForce: 'GTC',
    quantity: String(order.amount),
    algoStatus: order.state === 'cancelled' && order.filled > 0 ? 'FINISHED' : ALGO_STATUS[order.state],
    triggerPrice: String(order.triggerPrice),
    price: '0',
    icebergQuantity: null,
    selfTradePreventionMode: 'EXPIRE_MAKER',
    workingType: 'CONTRACT_PRICE',
    priceMatch: 'NONE',
    closePosition: false,
    priceProtect: false,
    reduceOnly: order.reduceOnly,
    actualOrderId: triggered ? order.id : '',
    actualPrice: triggered ? String(order.average) : '',
    createTime: order.createdAt,
    updateTime: order.updatedAt,
    triggerTime: triggered ? order.updatedAt : 0,
    goodTillDate: 0,
  }
}

export async function startBinanceFuturesStandin(options: { keys: BinanceKey[] }) {
  const calls: string[] = []
  const faults = createFaults()
  let orderSequence = 8_389_765_000
  const engine = createEngine({ basePrice: (name) => symbolOf(name).price, feeRate: TAKER_FEE, step: (name) => symbolOf(name).stepSize, newOrderId: () => String(++orderSequence) })
  const bar = (name: string, ts: number, resolution: number) => barAt(symbolOf(name).price, ts, resolution, TICK)

  const publicRoutes: Record<string, (query: URLSearchParams) => unknown> = {
    'GET /fapi/v1/ping': () => ({}),
    'GET /fapi/v1/time': () => ({ serverTime: Date.now() }),
    'GET /fapi/v1/exchangeInfo': () => ({
      timezone: 'UTC',
      serverTime: Date.now(),
      futuresType: 'U_MARGINED',
      rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 }],
      exchangeFilters: [],
      assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
      symbols: SYMBOLS.map((entry) => ({
        symbol: entry.symbol,
        pair: entry.symbol,
        contractType: 'PERPETUAL',
        deliveryDate: 4133404800000,
        onboardDate: 1569398400000,
        status: 'TRADING',
        maintMarginPercent: '2.5000',
        requiredMarginPercent: '5.0000',
        baseAsset: entry.baseAsset,
        quoteAsset: entry.quoteAsset,
        marginAsset: entry.quoteAsset,
        pricePrecision: 2,
        quantityPrecision: 3,
        baseAssetPrecision: 8,
        quotePrecision: 8,
        underlyingType: 'COIN',
        underlyingSubType: [],
        triggerProtect: '0.0500',
        liquidationFee: '0.012500',
        marketTakeBound: '0.05',
        maxMoveOrderLimit: 10000,
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: '0.10', maxPrice: '4529764', tickSize: String(TICK) },
          { filterType: 'LOT_SIZE', minQty: String(entry.stepSize), maxQty: '1000', stepSize: String(entry.stepSize) },
          { filterType: 'MARKET_LOT_SIZE', minQty: String(entry.stepSize), maxQty: '120', stepSize: String(entry.stepSize) },
          { filterType: 'MAX_NUM_ORDERS', limit: 200 },
          { filterType: 'MIN_NOTIONAL', notional: '5' },
          { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
        ],
        orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
        timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
        permissionSets: ['GRID', 'COPY'],
      })),
    }),
    'GET /fapi/v1/klines': (query) => {
      const name = symbolOf(query.get('symbol')).symbol
      const resolution = INTERVAL_MS[query.get('interval') ?? '']
      if (!resolution) throw Object.assign(new Error('Invalid interval.'), { code: -1120 })
      const limit = Math.min(Number(query.get('limit') ?? 500), 1500)
      const end = Math.min(Number(query.get('endTime') ?? Date.now()), Date.now())
      const start = query.get('startTime') ? Math.ceil(Number(query.get('startTime')) / resolution) * resolution : Math.floor(end / resolution) * resolution - (limit - 1) * resolution
      const rows: unknown[] = []
      for (let ts = start; ts <= end && rows.length < limit; ts += resolution) {
        const candle = bar(name, ts, resolution)
        rows.push([ts, String(candle.open), String(candle.high), String(candle.low), String(candle.close), String(candle.volume), ts + resolution - 1, String(candle.volume * candle.close), 10, '0', '0', '0'])
      }
      return rows
    },
  }

  /** Conditional orders live in the algo service; only the market order one places once triggered is an ordinary order, by its id. */
  const isAlgo = (order: EngineOrder) => order.kind !== 'market'
  const find = (query: URLSearchParams): EngineOrder => {
    const symbol = symbolOf(query.get('symbol')).symbol
    const byClient = query.get('origClientOrderId')
    const found = engine
      .orders()
      .filter((order) => order.instrument === symbol && (byClient ? order.clientOrderId === byClient && !isAlgo(order) : order.id === query.get('orderId') && (!isAlgo(order) || order.state !== 'untriggered')))
      .at(-1)
    if (!found) throw Object.assign(new Error('Order does not exist.'), { code: -2013 })
    return engine.advance(found)
  }
  const findAlgo = (query: URLSearchParams): EngineOrder => {
    const byClient = query.get('clientAlgoId')
    const found = engine
      .orders()
      .filter((order) => isAlgo(order) && (byClient ? order.clientOrderId === byClient : order.id === query.get('algoId')))
      .at(-1)
    if (!found) throw Object.assign(new Error('Order does not exist.'), { code: -2013 })
    return found
  }

  const privateRoutes: Record<string, (query: URLSearchParams) => unknown> = {
    'GET /fapi/v1/leverageBracket': () => SYMBOLS.map((entry) => ({ symbol: entry.symbol, notionalCoef: 1, brackets: [{ bracket: 1, initialLeverage: 125, notionalCap: 50000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0 }] })),
    'GET /fapi/v2/balance': () => [{ accountAlias: 'SgsR', asset: 'USDT', balance: '10000.00000000', crossWalletBalance: '10000.00000000', crossUnPnl: '0.00000000', availableBalance: '9800.00000000', maxWithdrawAmount: '9800.00000000', marginAvailable: true, updateTime: Date.now() }],
    'GET /fapi/v2/account': () => account(),
    'GET /fapi/v3/account': () => account(),
    'POST /fapi/v1/order': (query) => {
      const symbol = symbolOf(query.get('symbol'))
      const requested = query.get('type')
      // Binance moved conditional orders to the algo service (/fapi/v1/algoOrder).
      if (requested === 'STOP_MARKET' || requested === 'TAKE_PROFIT_MARKET') throw Object.assign(new Error('Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.'), { code: -4120 })
      if (requested !== 'MARKET') throw Object.assign(new Error('Order type not supported by this stand-in.'), { code: -1116 })
      const clientOrderId = query.get('newClientOrderId') ?? `standin${Date.now()}`
      if (!/^[.A-Z:/a-z0-9_-]{1,36}$/.test(clientOrderId)) throw Object.assign(new Error("Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'."), { code: -1100 })
      try {
        const order = engine.place({ instrument: symbol.symbol, side: query.get('side') === 'SELL' ? 'sell' : 'buy', amount: Number(query.get('quantity')), clientOrderId, kind: 'market', reduceOnly: query.get('reduceOnly') === 'true' })
        return wireOrder(order)
      } catch (error) {
        if (error instanceof StandinRefusal && error.reason === 'reduce_only') throw Object.assign(new Error('ReduceOnly Order is rejected.'), { code: -2022 })
        if (error instanceof StandinRefusal) throw Object.assign(new Error('Precision is over the maximum defined for this asset.'), { code: -1111 })
        throw error
      }
    },
    'POST /fapi/v1/algoOrder': (query) => {
      const symbol = symbolOf(query.get('symbol'))
      const type = query.get('type')
      if (query.get('algoType') !== 'CONDITIONAL' || (type !== 'STOP_MARKET' && type !== 'TAKE_PROFIT_MARKET')) throw Object.assign(new Error('Order type not supported by this stand-in.'), { code: -1116 })
      const clientAlgoId = query.get('clientAlgoId') ?? `standin${Date.now()}`
      if (!/^[.A-Z:/a-z0-9_-]{1,36}$/.test(clientAlgoId)) throw Object.assign(new Error("Illegal characters found in parameter 'clientAlgoId'."), { code: -1100 })
      try {
        const order = engine.place({ instrument: symbol.symbol, side: query.get('side') === 'SELL' ? 'sell' : 'buy', amount: Number(query.get('quantity')), clientOrderId: clientAlgoId, kind: type === 'STOP_MARKET' ? 'stop' : 'take', reduceOnly: query.get('reduceOnly') === 'true', triggerPrice: Number(query.get('triggerPrice')) })
        return wireAlgoOrder(order)
      } catch (error) {
        if (error instanceof StandinRefusal && error.reason === 'reduce_only') throw Object.assign(new Error('ReduceOnly Order is rejected.'), { code: -2022 })
        throw error
      }
    },
    'GET /fapi/v1/algoOrder': (query) => wireAlgoOrder(findAlgo(query)),
    'DELETE /fapi/v1/algoOrder': (query) => {
      const order = findAlgo(query)
      if (order.state !== 'untriggered') throw Object.assign(new Error('Unknown order sent.'), { code: -2011 })
      engine.cancel((candidate) => candidate === order)
      return { algoId: Number(order.id), clientAlgoId: order.clientOrderId, code: '200', msg: 'success' }
    },
    'GET /fapi/v1/openAlgoOrders': (query) => engine
      .orders()
      .filter((order) => isAlgo(order) && order.state === 'untriggered' && (!query.get('symbol') || order.instrument === query.get('symbol')))
      .map(wireAlgoOrder),
    'DELETE /fapi/v1/algoOpenOrders': (query) => {
      const symbol = symbolOf(query.get('symbol')).symbol
      engine.cancel((order) => isAlgo(order) && order.instrument === symbol)
      return { code: 200, msg: 'The operation of cancel all open order is done.' }
    },
    'GET /fapi/v1/order': (query) => wireOrder(find(query)),
    'DELETE /fapi/v1/order': (query) => {
      const order = find(query)
      if (order.state !== 'open' && order.state !== 'untriggered') throw Object.assign(new Error('Unknown order sent.'), { code: -2011 })
      engine.cancel((candidate) => candidate === order)
      return wireOrder(order)
    },
    'GET /fapi/v1/openOrders': (query) =>
      engine
        .orders()
        .filter((order) => (!query.get('symbol') || order.instrument === query.get('symbol')) && order.state === 'open')
        .map((order) => wireOrder(engine.advance(order)))
        .filter((order) => order.status === 'NEW' || order.status === 'PARTIALLY_FILLED'),
    'DELETE /fapi/v1/allOpenOrders': (query) => {
      const symbol = symbolOf(query.get('symbol')).symbol
      engine.cancel((order) => !isAlgo(order) && order.instrument === symbol)
      return { code: 200, msg: 'The operation of cancel all open order is done.' }
    },
    'GET /fapi/v1/userTrades': (query) => {
      const symbol = symbolOf(query.get('symbol')).symbol
      return engine
        .orders()
        .filter((order) => order.instrument === symbol && (!query.get('orderId') || order.id === query.get('orderId')))
        .flatMap((order) =>
          order.trades.map((trade) => ({ symbol, id: trade.id, orderId: Number(order.id), side: order.side.toUpperCase(), price: String(trade.price), qty: String(trade.quantity), realizedPnl: '0', quoteQty: String(trade.price * trade.quantity), commission: trade.fee.toFixed(8), commissionAsset: 'USDT', time: trade.time, positionSide: 'BOTH', buyer: order.side === 'buy', maker: false })),
        )
    },
    'GET /fapi/v3/positionRisk': (query) => positionRisk(query.get('symbol')),
    'GET /fapi/v2/positionRisk': (query) => positionRisk(query.get('symbol')),
  }

  function positionRisk(symbol: string | null) {
    return engine
      .positions()
      .filter((position) => !symbol || position.instrument === symbol)
      .map((position) => {
        const mark = engine.markPrice(position.instrument)
        return { symbol: position.instrument, positionSide: 'BOTH', positionAmt: String(position.size), entryPrice: String(position.averagePrice), breakEvenPrice: String(position.averagePrice), markPrice: String(mark), unRealizedProfit: ((mark - position.averagePrice) * position.size).toFixed(8), liquidationPrice: '0', isolatedMargin: '0', notional: String(mark * position.size), marginAsset: 'USDT', isolatedWallet: '0', initialMargin: '0', maintMargin: '0', positionInitialMargin: '0', openOrderInitialMargin: '0', adl: 0, bidNotional: '0', askNotional: '0', updateTime: Date.now() }
      })
  }

  function account() {
    return { totalInitialMargin: '0', totalMaintMargin: '0', totalWalletBalance: '10000', totalUnrealizedProfit: '0', totalMarginBalance: '10000', availableBalance: '9800', maxWithdrawAmount: '9800', assets: [{ asset: 'USDT', walletBalance: '10000', unrealizedProfit: '0', marginBalance: '10000', maintMargin: '0', initialMargin: '0', positionInitialMargin: '0', openOrderInitialMargin: '0', crossWalletBalance: '10000', crossUnPnl: '0', availableBalance: '9800', maxWithdrawAmount: '9800', updateTime: Date.now() }], positions: [] }
  }

  /** The key a signed request was made with, or null when its signature does not check out. */
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
    const { limited, fault } = faults.take(route)
    if (limited) return replyJson(response, 429, { code: -1003, msg: 'Too many requests; current limit of IP is 2400 requests per minute.' })
    const payload = request.method === 'POST' || request.method === 'PUT' ? body : url.search.slice(1)
    const query = new URLSearchParams(payload)
    try {
      const open = publicRoutes[route]
      if (open) return replyJson(response, 200, open(query))
      const handler = privateRoutes[route]
      if (!handler) return replyJson(response, 404, { code: -5000, msg: `Path ${url.pathname}, Method ${request.method} is invalid` })
      if (!signedBy(request, payload)) return replyJson(response, 401, { code: -1022, msg: 'Signature for this request is not valid.' })
      engine.trigger()
      if (fault?.kind === 'refuse') return replyJson(response, 400, { code: -2019, msg: 'Margin is insufficient.' })
      // A lost or held reply is lost or held whatever it would have said, an error included.
      let answer: { status: number; body: unknown }
      try {
        answer = { status: 200, body: handler(query) }
      } catch (error) {
        answer = { status: 400, body: { code: (error as { code?: number }).code ?? -1000, msg: (error as Error).message } }
      }
      if (fault?.kind === 'lose') return void request.socket.destroy()
      if (fault?.kind === 'hold') return fault.onHeld?.()
      return replyJson(response, answer.status, answer.body)
    } catch (error) {
      return replyJson(response, 400, { code: (error as { code?: number }).code ?? -1000, msg: (error as Error).message })
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
      const symbol = SYMBOLS.find((entry) => entry.symbol.toLowerCase() === lowerSymbol)
      if (!resolution || !symbol) continue
      const push = () => {
        const start = Math.floor(Date.now() / resolution) * resolution
        const candle = bar(symbol.symbol, start, resolution)
        socket.send(JSON.stringify({ e: 'kline', E: Date.now(), s: symbol.symbol, k: { t: start, T: start + resolution - 1, s: symbol.symbol, i: interval, f: 1, L: 2, o: String(candle.open), c: String(candle.close), h: String(candle.high), l: String(candle.low), v: String(candle.volume), n: 10, x: false, q: String(candle.volume * candle.close), V: '0', Q: '0', B: '0' } }))
      }
      pushEvery(timers, push)
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

export type BinanceFuturesStandin = Awaited<ReturnType<typeof startBinanceFuturesStandin>>
