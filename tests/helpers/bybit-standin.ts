import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import { listenStandin, pushEvery, replyJson, replyText } from './standin-server'
import {
  barAt,
  createEngine,
  createFaults,
  isTriggerOrder,
  StandinRefusal,
  type DocumentedError,
  type EngineOrder,
} from './standin-engine'

/*
 * A local stand-in for Bybit's v5 API (unified trading account, linear USDT perpetuals), enough of
 * the real wire protocol for what Tradedeck calls through ccxt: market time, instruments and
 * klines; and, signed with X-BAPI-SIGN (HMAC-SHA256 over timestamp, key, recv window and the
 * query or JSON body) exactly as Bybit checks it, the key's own record (query-api, with its
 * permissions), account info, coins, the wallet balance, market orders with an orderLinkId,
 * conditional (stop) market orders with a triggerPrice and triggerDirection, open and closed orders
 * by orderId or orderLinkId, cancel, cancel-all and the position list.
 * Replies carry Bybit's envelope and codes (10004 bad signature, 10006 too many requests,
 * 110001 no such order, 110017 reduce-only refused). Over WebSocket (/v5/public/linear) it
 * answers subscribe for kline.<interval>.<symbol> and pushes the forming kline.
 */

export interface BybitKey {
  apiKey: string
  secret: string
  /** Bybit's permission lists, as query-api reports them; trading by default, without withdrawal. */
  permissions?: Record<string, string[]>
  readOnly?: boolean
}

interface Instrument {
  symbol: string
  baseCoin: string
  price: number
  qtyStep: number
}

const INSTRUMENTS: Instrument[] = [
  { symbol: 'BTCUSDT', baseCoin: 'BTC', price: 60_000, qtyStep: 0.001 },
  { symbol: 'ETHUSDT', baseCoin: 'ETH', price: 3_000, qtyStep: 0.01 },
]
export const BYBIT_BTC = 'BTCUSDT'
const INTERVAL_MS: Record<string, number> = { '1': 60_000, '5': 300_000, '15': 900_000, '60': 3_600_000, D: 86_400_000 }
const TICK = 0.1
const TAKER_FEE = 0.00055
const TRADING_PERMISSIONS = {
  ContractTrade: ['Order', 'Position'],
  Spot: ['SpotTrade'],
  Wallet: ['AccountTransfer'],
  Options: [],
  Derivatives: [],
  CopyTrading: [],
  BlockTrade: [],
  Exchange: [],
  NFT: [],
  Affiliate: [],
}

class BybitError extends Error {
  constructor(
    readonly retCode: number,
    message: string,
  ) {
    super(message)
  }
}

const instrumentOf = (name: unknown): Instrument => {
  const found = INSTRUMENTS.find((entry) => entry.symbol === name)
  if (!found) throw new BybitError(10001, 'params error: symbol invalid')
  return found
}

const STATUS: Record<EngineOrder['state'], string> = {
  open: 'New',
  untriggered: 'Untriggered',
  filled: 'Filled',
  cancelled: 'Cancelled',
}

/** An order as Bybit's /v5/order/realtime and /v5/order/history list it. */
function wireOrder(order: EngineOrder) {
  const status = order.state === 'open' && order.filled > 0 ? 'PartiallyFilled' : STATUS[order.state]
  return {
    orderId: order.id,
    orderLinkId: order.clientOrderId,
    blockTradeId: '',
    symbol: order.instrument,
    price: order.limitPrice === null ? '0' : String(order.limitPrice),
    qty: String(order.amount),
    side: order.side === 'buy' ? 'Buy' : 'Sell',
    isLeverage: '',
    positionIdx: 0,
    orderStatus: status,
    cancelType: order.state === 'cancelled' && !order.cancelledAsTaker ? 'CancelByUser' : 'UNKNOWN',
    // Bybit v5 docs, "Enums", rejectReason: a PostOnly order that would take is cancelled with this reason.
    rejectReason: order.cancelledAsTaker ? 'EC_PostOnlyWillTakeLiquidity' : 'EC_NoError',
    avgPrice: order.filled > 0 ? String(order.average) : '',
    leavesQty: String(Number((order.amount - order.filled).toFixed(8))),
    leavesValue: '0',
    cumExecQty: String(order.filled),
    cumExecValue: String(Number((order.average * order.filled).toFixed(8))),
    cumExecFee: order.fee.toFixed(8),
    timeInForce: order.kind === 'limit' ? 'PostOnly' : 'IOC',
    orderType: order.kind === 'limit' ? 'Limit' : 'Market',
    stopOrderType: isTriggerOrder(order) ? 'Stop' : '',
    orderIv: '',
    triggerPrice: order.triggerPrice === null ? '' : String(order.triggerPrice),
    takeProfit: '',
    stopLoss: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: !isTriggerOrder(order) ? 0 : (order.side === 'sell') === (order.kind === 'take') ? 1 : 2,
    triggerBy: isTriggerOrder(order) ? 'LastPrice' : '',
    lastPriceOnCreated: '',
    reduceOnly: order.reduceOnly,
    closeOnTrigger: false,
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    tpslMode: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    placeType: '',
    createdTime: String(order.createdAt),
    updatedTime: String(order.updatedAt),
  }
}

export async function startBybitStandin(options: { keys: BybitKey[] }) {
  const calls: string[] = []
  const faults = createFaults()
  let orderSequence = 0
  const engine = createEngine({
    basePrice: (name) => instrumentOf(name).price,
    feeRate: TAKER_FEE,
    step: (name) => instrumentOf(name).qtyStep,
    newOrderId: () => `1c4a0f2e-0000-4000-8000-${String(++orderSequence).padStart(12, '0')}`,
  })
  const bar = (name: string, ts: number, resolution: number) => barAt(instrumentOf(name).price, ts, resolution, TICK)
  const live = (order: EngineOrder) => order.state === 'open' || order.state === 'untriggered'

  const publicRoutes: Record<string, (query: URLSearchParams) => unknown> = {
    'GET /v5/market/time': () => ({
      timeSecond: String(Math.floor(engine.serverNow() / 1000)),
      timeNano: `${engine.serverNow()}000000`,
    }),
    'GET /v5/market/instruments-info': (query) => ({
      category: query.get('category'),
      nextPageCursor: '',
      list:
        query.get('category') !== 'linear'
          ? []
          : INSTRUMENTS.map((entry) => ({
              symbol: entry.symbol,
              contractType: 'LinearPerpetual',
              status: 'Trading',
              baseCoin: entry.baseCoin,
              quoteCoin: 'USDT',
              settleCoin: 'USDT',
              launchTime: '1585526400000',
              deliveryTime: '0',
              deliveryFeeRate: '',
              priceScale: '2',
              leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
              priceFilter: { minPrice: '0.10', maxPrice: '1999999.80', tickSize: String(TICK) },
              lotSizeFilter: {
                maxOrderQty: '1190.000',
                minOrderQty: String(entry.qtyStep),
                qtyStep: String(entry.qtyStep),
                postOnlyMaxOrderQty: '1190.000',
                maxMktOrderQty: '500.000',
                minNotionalValue: '5',
              },
              unifiedMarginTrade: true,
              fundingInterval: 480,
              copyTrading: 'both',
              upperFundingRate: '0.00375',
              lowerFundingRate: '-0.00375',
              isPreListing: false,
              preListingInfo: null,
            })),
    }),
    'GET /v5/market/kline': (query) => {
      const name = instrumentOf(query.get('symbol')).symbol
      const resolution = INTERVAL_MS[query.get('interval') ?? '']
      if (!resolution) throw new BybitError(10001, 'params error: interval invalid')
      const limit = Math.min(Number(query.get('limit') ?? 200), 1000)
      const end = Math.min(Number(query.get('end') ?? Date.now()), Date.now())
      const start = query.get('start')
        ? Math.ceil(Number(query.get('start')) / resolution) * resolution
        : Math.floor(end / resolution) * resolution - (limit - 1) * resolution
      const rows: string[][] = []
      for (let ts = start; ts <= end && rows.length < limit; ts += resolution) {
        const candle = bar(name, ts, resolution)
        rows.push([
          String(ts),
          String(candle.open),
          String(candle.high),
          String(candle.low),
          String(candle.close),
          String(candle.volume),
          String(candle.volume * candle.close),
        ])
      }
      // Bybit lists the newest first.
      return { category: 'linear', symbol: name, list: rows.reverse() }
    },
  }

  /**
   * Bybit answers a new order with its ids alone, so the first look at it stands for the reply
   * Deribit and Binance give: a part-filling order fills one more part on each look after that.
   * Only the open-order view moves it on; the history lists what has finished.
   */
  const looked = new Set<string>()
  const lookup = (query: Record<string, unknown>, open: boolean) =>
    engine
      .orders()
      .filter(
        (order) =>
          (!query.symbol || order.instrument === query.symbol) &&
          (!query.orderId || order.id === query.orderId) &&
          (!query.orderLinkId || order.clientOrderId === query.orderLinkId),
      )
      .map((order) => {
        if (open && looked.has(order.id)) engine.advance(order)
        if (open) looked.add(order.id)
        return order
      })
      .filter((order) => live(order) === open)
      .reverse()
      .map(wireOrder)

  const privateRoutes: Record<string, (query: Record<string, unknown>, key: BybitKey) => unknown> = {
    'GET /v5/user/query-api': (_query, key) => ({
      id: '13770661',
      note: 'tradedeck',
      apiKey: key.apiKey,
      readOnly: key.readOnly ? 1 : 0,
      secret: '',
      permissions: key.permissions ?? TRADING_PERMISSIONS,
      ips: ['*'],
      type: 1,
      deadlineDay: 83,
      expiredAt: '2027-02-19T00:00:00Z',
      createdAt: '2026-08-28T00:00:00Z',
      unified: 0,
      uta: 1,
      userID: 24617703,
      inviterID: 0,
      vipLevel: 'No VIP',
      mktMakerLevel: '0',
      affiliateID: 0,
      rsaPublicKey: '',
      isMaster: true,
      parentUid: '0',
      kycLevel: 'LEVEL_DEFAULT',
      kycRegion: '',
    }),
    'GET /v5/account/info': () => ({
      unifiedMarginStatus: 6,
      marginMode: 'REGULAR_MARGIN',
      isMasterTrader: false,
      spotHedgingStatus: 'OFF',
      updatedTime: String(Date.now()),
      dcpStatus: 'OFF',
      timeWindow: 10,
      smpGroup: 0,
    }),
    'GET /v5/asset/coin/query-info': () => ({
      rows: ['USDT', 'BTC', 'ETH'].map((coin) => ({
        name: coin,
        coin,
        remainAmount: '1000000',
        chains: [
          {
            chainType: coin,
            confirmation: '6',
            withdrawFee: '1',
            depositMin: '0',
            withdrawMin: '1',
            chain: coin,
            chainDeposit: '1',
            chainWithdraw: '1',
            minAccuracy: '8',
            withdrawPercentageFee: '0',
          },
        ],
      })),
    }),
    'GET /v5/account/wallet-balance': () => ({
      list: [
        {
          accountType: 'UNIFIED',
          accountIMRate: '0',
          accountMMRate: '0',
          totalEquity: '10000',
          totalWalletBalance: '10000',
          totalMarginBalance: '10000',
          totalAvailableBalance: '9800',
          totalPerpUPL: '0',
          totalInitialMargin: '0',
          totalMaintenanceMargin: '0',
          accountLTV: '0',
          coin: [
            {
              coin: 'USDT',
              equity: '10000',
              usdValue: '10000',
              walletBalance: '10000',
              free: '',
              locked: '0',
              spotHedgingQty: '0',
              borrowAmount: '0',
              availableToWithdraw: '',
              accruedInterest: '0',
              totalOrderIM: '0',
              totalPositionIM: '0',
              totalPositionMM: '0',
              unrealisedPnl: '0',
              cumRealisedPnl: '0',
              bonus: '0',
              marginCollateral: true,
              collateralSwitch: true,
            },
          ],
        },
      ],
    }),
    'POST /v5/order/create': (body) => {
      if (body.category !== 'linear') throw new BybitError(10001, 'params error: category invalid')
      const instrument = instrumentOf(body.symbol)
      const limit = body.orderType === 'Limit'
      if (!limit && body.orderType !== 'Market')
        throw new BybitError(10001, 'params error: this stand-in takes market and limit orders only')
      if (limit && body.timeInForce !== 'PostOnly')
        throw new BybitError(10001, 'params error: this stand-in rests PostOnly limit orders only')
      const orderLinkId = String(body.orderLinkId ?? '')
      if (orderLinkId.length > 36) throw new BybitError(10001, 'params error: orderLinkId is too long')
      if (orderLinkId && engine.orders().some((order) => order.clientOrderId === orderLinkId))
        throw new BybitError(110072, 'OrderLinkedID is duplicate')
      try {
        const side = body.side === 'Sell' ? 'sell' : 'buy'
        // A conditional order: triggerDirection 1 fires when the price rises to triggerPrice, 2 when it falls to it.
        const rises = Number(body.triggerDirection) === 1
        const kind = limit
          ? 'limit'
          : body.triggerPrice === undefined
            ? 'market'
            : (side === 'sell') === rises
              ? 'take'
              : 'stop'
        if ((kind === 'stop' || kind === 'take') && ![1, 2].includes(Number(body.triggerDirection)))
          throw new BybitError(10001, 'params error: triggerDirection invalid')
        const order = engine.place({
          instrument: instrument.symbol,
          side,
          amount: Number(body.qty),
          clientOrderId: orderLinkId,
          kind,
          reduceOnly: body.reduceOnly === true || body.reduceOnly === 'true',
          ...(kind === 'stop' || kind === 'take' ? { triggerPrice: Number(body.triggerPrice) } : {}),
          // Bybit v5 docs, "Place Order", timeInForce PostOnly: one that would take is taken, then cancelled.
          ...(kind === 'limit' ? { limitPrice: Number(body.price), cancelIfWouldTake: true } : {}),
        })
        return { orderId: order.id, orderLinkId: order.clientOrderId }
      } catch (error) {
        if (error instanceof StandinRefusal && error.reason === 'reduce_only')
          throw new BybitError(110017, 'current position is zero, cannot fix reduce-only order qty')
        if (error instanceof StandinRefusal)
          throw new BybitError(10001, `params error: qty must be a multiple of ${instrument.qtyStep}`)
        throw error
      }
    },
    'GET /v5/order/realtime': (query) => ({ category: 'linear', nextPageCursor: '', list: lookup(query, true) }),
    'GET /v5/order/history': (query) => ({ category: 'linear', nextPageCursor: '', list: lookup(query, false) }),
    // Bybit v5 docs, "Amend Order": a resting conditional order's triggerPrice changed in place; one that is gone
    // answers 110001 "order not exists or too late to replace".
    'POST /v5/order/amend': (body) => {
      const order = engine
        .orders()
        .find(
          (candidate) =>
            candidate.instrument === body.symbol &&
            (body.orderId ? candidate.id === body.orderId : candidate.clientOrderId === body.orderLinkId),
        )
      const amended =
        order && body.triggerPrice !== undefined ? engine.amendTrigger(order.id, Number(body.triggerPrice)) : null
      if (!order || !amended) throw new BybitError(110001, 'order not exists or too late to replace')
      return { orderId: order.id, orderLinkId: order.clientOrderId }
    },
    'POST /v5/order/cancel': (body) => {
      const order = engine
        .orders()
        .find(
          (candidate) =>
            candidate.instrument === body.symbol &&
            (body.orderId ? candidate.id === body.orderId : candidate.clientOrderId === body.orderLinkId),
        )
      if (!order || !live(order)) throw new BybitError(110001, 'order not exists or too late to cancel')
      engine.cancel((candidate) => candidate === order)
      return { orderId: order.id, orderLinkId: order.clientOrderId }
    },
    'POST /v5/order/cancel-all': (body) => {
      // Every instrument here settles in USDT: a cancel-all for another settle coin finds nothing.
      const cancelled =
        body.settleCoin && body.settleCoin !== 'USDT'
          ? []
          : engine.cancel((order) => !body.symbol || order.instrument === body.symbol)
      return { list: cancelled.map((order) => ({ orderId: order.id, orderLinkId: order.clientOrderId })), success: '1' }
    },
    'GET /v5/position/list': (query) => ({
      category: 'linear',
      nextPageCursor: '',
      list: engine
        .positions()
        .filter(
          (position) =>
            (!query.symbol || position.instrument === query.symbol) &&
            (!query.settleCoin || query.settleCoin === 'USDT'),
        )
        .map((position) => {
          const mark = engine.markPrice(position.instrument)
          return {
            positionIdx: 0,
            riskId: 1,
            riskLimitValue: '2000000',
            symbol: position.instrument,
            side: position.size > 0 ? 'Buy' : 'Sell',
            size: String(Math.abs(position.size)),
            avgPrice: String(position.averagePrice),
            positionValue: String(Math.abs(position.size) * position.averagePrice),
            tradeMode: 0,
            positionStatus: 'Normal',
            autoAddMargin: 0,
            adlRankIndicator: 2,
            leverage: '10',
            positionBalance: '0',
            markPrice: String(mark),
            liqPrice: '',
            bustPrice: '',
            positionMM: '0',
            positionIM: '0',
            tpslMode: 'Full',
            takeProfit: '',
            stopLoss: '',
            trailingStop: '0',
            unrealisedPnl: ((mark - position.averagePrice) * position.size).toFixed(8),
            curRealisedPnl: '0',
            cumRealisedPnl: '0',
            seq: 1,
            isReduceOnly: false,
            mmrSysUpdateTime: '',
            leverageSysUpdatedTime: '',
            sessionAvgPrice: '',
            createdTime: '1676538056258',
            updatedTime: String(Date.now()),
          }
        }),
    }),
  }

  /**
   * Bybit v5 docs, "Integration Guidance" (authentication): a request is refused with 10002 unless
   * server_time - recv_window <= timestamp < server_time + 1000.
   */
  function receivedLate(request: IncomingMessage): string | null {
    const timestamp = Number(request.headers['x-bapi-timestamp'])
    const window = Number(request.headers['x-bapi-recv-window'] ?? 5000)
    const serverTime = engine.serverNow()
    if (serverTime - window <= timestamp && timestamp < serverTime + 1000) return null
    return `invalid request, please check your server timestamp or recv_window param. req_timestamp[${timestamp}],server_timestamp[${serverTime}],recv_window[${window}]`
  }

  /** The key a signed request was made with, or null when its signature does not check out. */
  function signedBy(request: IncomingMessage, payload: string): BybitKey | null {
    const key = options.keys.find((candidate) => candidate.apiKey === request.headers['x-bapi-api-key'])
    const given = String(request.headers['x-bapi-sign'] ?? '')
    if (!key) return null
    const expected = createHmac('sha256', key.secret)
      .update(`${request.headers['x-bapi-timestamp']}${key.apiKey}${request.headers['x-bapi-recv-window']}${payload}`)
      .digest('hex')
    return expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given)) ? key : null
  }

  const envelope = (retCode: number, retMsg: string, result: unknown) => ({
    retCode,
    retMsg,
    result,
    retExtInfo: {},
    // Every Bybit v5 reply carries the server's time (ccxt's fetchTime reads this one).
    time: engine.serverNow(),
  })

  /**
   * The error codes Bybit documents (v5 docs, "Error Codes") that a test may answer a request with. Bybit answers
   * them with HTTP 200 and the code in retCode. 10002 and 110072 are checked for real, not scripted.
   */
  const documented = (retCode: number, retMsg: string, acted: boolean): DocumentedError => ({
    status: 200,
    body: envelope(retCode, retMsg, {}),
    acted,
  })
  const BYBIT_ERRORS: Record<number, () => DocumentedError> = {
    // "Too many visits": nothing was carried out.
    10006: () => documented(10006, 'Too many visits!', false),
    // "Internal server error" (the harsher reading: the order may have reached the matching engine).
    10016: () => documented(10016, 'Internal server error.', true),
    // "Insufficient available balance".
    110007: () => documented(110007, 'ab not enough for new order', false),
  }

  function handle(request: IncomingMessage, response: ServerResponse, body: string): void {
    const url = new URL(request.url ?? '/', 'http://standin')
    const route = `${request.method} ${url.pathname}`
    calls.push(route)
    const { limited, fault, lagMs, random } = faults.take(route)
    if (limited) return replyJson(response, 200, envelope(10006, 'Too many visits!', {}))
    if (fault?.kind === 'drop') return void request.socket.destroy()
    // A gateway's 5xx, before Bybit acts: not a Bybit envelope.
    if (fault?.kind === 'unavailable') return replyText(response, 503, 'Service Unavailable')
    const answered = fault?.kind === 'answer' ? BYBIT_ERRORS[fault.code as number]?.() : undefined
    if (answered && !answered.acted) return replyJson(response, answered.status, answered.body)
    const payload = request.method === 'POST' ? body : url.search.slice(1)
    try {
      const open = publicRoutes[route]
      if (open) return replyJson(response, 200, envelope(0, 'OK', open(url.searchParams)))
      const handler = privateRoutes[route]
      if (!handler) return replyJson(response, 404, { retCode: 10001, retMsg: `Route not found: ${route}` })
      const key = signedBy(request, payload)
      if (!key) return replyJson(response, 401, envelope(10004, 'error sign! origin_string[...]', {}))
      const stale = receivedLate(request)
      if (stale) return replyJson(response, 200, envelope(10002, stale, {}))
      engine.trigger()
      if (fault?.kind === 'refuse') return replyJson(response, 200, envelope(110007, 'ab not enough for new order', {}))
      const input =
        request.method === 'POST'
          ? (JSON.parse(body || '{}') as Record<string, unknown>)
          : Object.fromEntries(url.searchParams)
      // A lost or held reply is lost or held whatever it would have said, an error included.
      let answer: unknown
      try {
        // In the harsh mode a read may see the account as it was a moment ago.
        answer = envelope(
          0,
          'OK',
          request.method === 'GET' ? engine.readLagging(lagMs, random, () => handler(input, key)) : handler(input, key),
        )
      } catch (error) {
        answer = envelope(error instanceof BybitError ? error.retCode : 10016, (error as Error).message, {})
      }
      if (fault?.kind === 'lose') return void request.socket.destroy()
      if (fault?.kind === 'hold') return fault.onHeld?.()
      if (answered) return replyJson(response, answered.status, answered.body)
      // Bybit v5 docs, "Error Codes": 10016 "Internal server error" after the request reached the matching engine.
      if (fault?.kind === 'failed_after') return replyJson(response, 200, envelope(10016, 'Internal server error.', {}))
      return replyJson(response, 200, answer)
    } catch (error) {
      return replyJson(
        response,
        200,
        envelope(error instanceof BybitError ? error.retCode : 10016, (error as Error).message, {}),
      )
    }
  }

  // Public streams: {"op":"subscribe","args":["kline.1.BTCUSDT"]}, then a kline topic message per update.
  function onStream(socket: WebSocket, raw: string, timers: NodeJS.Timeout[]): void {
    let message: { op?: string; args?: string[]; req_id?: string }
    try {
      message = JSON.parse(raw) as typeof message
    } catch {
      return socket.send(JSON.stringify({ success: false, ret_msg: 'invalid json', op: '' }))
    }
    calls.push(`ws ${message.op}`)
    if (message.op === 'ping')
      return socket.send(JSON.stringify({ success: true, ret_msg: 'pong', conn_id: 'standin', op: 'ping' }))
    socket.send(
      JSON.stringify({
        success: true,
        ret_msg: '',
        conn_id: 'standin',
        ...(message.req_id ? { req_id: message.req_id } : {}),
        op: message.op,
      }),
    )
    if (message.op !== 'subscribe') return
    for (const topic of message.args ?? []) {
      const [channel, interval = '', symbol = ''] = topic.split('.')
      const resolution = INTERVAL_MS[interval]
      if (channel !== 'kline' || !resolution || !INSTRUMENTS.some((entry) => entry.symbol === symbol)) continue
      const push = () => {
        const start = Math.floor(Date.now() / resolution) * resolution
        const candle = bar(symbol, start, resolution)
        socket.send(
          JSON.stringify({
            topic,
            type: 'snapshot',
            ts: Date.now(),
            data: [
              {
                start,
                end: start + resolution - 1,
                interval,
                open: String(candle.open),
                close: String(candle.close),
                high: String(candle.high),
                low: String(candle.low),
                volume: String(candle.volume),
                turnover: String(candle.volume * candle.close),
                confirm: false,
                timestamp: Date.now(),
              },
            ],
          }),
        )
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
      looked.clear()
    },
    close: server.close,
  }
}

export type BybitStandin = Awaited<ReturnType<typeof startBybitStandin>>
