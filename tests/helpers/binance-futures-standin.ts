import { barAt, createEngine, isTriggerOrder, StandinRefusal, type EngineOrder } from './standin-engine'
import { binanceError, klineRows, listenBinance, type BinanceKey, type BinanceSymbol } from './binance-standin-wire'

/*
 * A local stand-in for Binance USDⓈ-M futures (/fapi/...), enough of the real REST wire
 * protocol for what Tradedeck calls through ccxt: exchange info, time, klines, and, signed
 * as Binance signs (binance-standin-wire.ts), the key's API restrictions, the account, leverage brackets, market orders with a
 * newClientOrderId, order lookup by id and by origClientOrderId, cancels, open orders, conditional
 * (stop and take-profit) market orders in the algo service by clientAlgoId, which place an
 * ordinary order once the mark reaches them,
 * user trades (where the fees are) and position risk. A one-way account: positions net.
 * Errors carry Binance's codes (-1022 bad signature, -2013 no such order, -2022 reduce-only
 * refused, 429 with -1003). Over WebSocket (/ws/...) it streams klines.
 */

const SYMBOLS: BinanceSymbol[] = [
  { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', price: 60_000, stepSize: 0.001 },
  { symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', price: 3_000, stepSize: 0.001 },
]
export const BINANCE_BTC = 'BTCUSDT'
const TICK = 0.1
const TAKER_FEE = 0.0004

const symbolOf = (name: string | null): BinanceSymbol => {
  const found = SYMBOLS.find((entry) => entry.symbol === name)
  if (!found) throw binanceError(-1121, 'Invalid symbol.')
  return found
}

const STATUS: Record<EngineOrder['state'], string> = {
  open: 'NEW',
  untriggered: 'NEW',
  filled: 'FILLED',
  cancelled: 'CANCELED',
}

/** An order as Binance's /fapi/v1/order answers with it. */
function wireOrder(order: EngineOrder) {
  const status = order.state === 'open' && order.filled > 0 ? 'PARTIALLY_FILLED' : STATUS[order.state]
  const type =
    order.kind === 'market'
      ? 'MARKET'
      : order.kind === 'limit'
        ? 'LIMIT'
        : order.kind === 'stop'
          ? 'STOP_MARKET'
          : 'TAKE_PROFIT_MARKET'
  return {
    orderId: Number(order.id),
    symbol: order.instrument,
    status,
    clientOrderId: order.clientOrderId,
    price: order.limitPrice === null ? '0' : order.limitPrice.toFixed(2),
    avgPrice: order.average.toFixed(2),
    origQty: String(order.amount),
    executedQty: String(order.filled),
    cumQuote: (order.average * order.filled).toFixed(8),
    // GTX, "Good Till Crossing": Binance's post-only.
    timeInForce: order.kind === 'limit' ? 'GTX' : 'GTC',
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

const ALGO_STATUS: Record<EngineOrder['state'], string> = {
  untriggered: 'NEW',
  open: 'TRIGGERED',
  filled: 'FINISHED',
  cancelled: 'CANCELED',
}

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
  let orderSequence = 8_389_765_000
  const engine = createEngine({
    basePrice: (name) => symbolOf(name).price,
    feeRate: TAKER_FEE,
    step: (name) => symbolOf(name).stepSize,
    newOrderId: () => String(++orderSequence),
  })
  const bar = (name: string, ts: number, resolution: number) => barAt(symbolOf(name).price, ts, resolution, TICK)

  const publicRoutes: Record<string, (query: URLSearchParams) => unknown> = {
    'GET /fapi/v1/ping': () => ({}),
    'GET /fapi/v1/time': () => ({ serverTime: engine.serverNow() }),
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
          {
            filterType: 'MARKET_LOT_SIZE',
            minQty: String(entry.stepSize),
            maxQty: '120',
            stepSize: String(entry.stepSize),
          },
          { filterType: 'MAX_NUM_ORDERS', limit: 200 },
          { filterType: 'MIN_NOTIONAL', notional: '5' },
          { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
        ],
        orderTypes: [
          'LIMIT',
          'MARKET',
          'STOP',
          'STOP_MARKET',
          'TAKE_PROFIT',
          'TAKE_PROFIT_MARKET',
          'TRAILING_STOP_MARKET',
        ],
        timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
        permissionSets: ['GRID', 'COPY'],
      })),
    }),
    'GET /fapi/v1/klines': (query) => klineRows(query, symbolOf(query.get('symbol')).symbol, bar, 1500),
  }

  /** Conditional orders live in the algo service; only the market order one places once triggered is an ordinary order, by its id. */
  const isAlgo = isTriggerOrder
  const find = (query: URLSearchParams): EngineOrder => {
    const symbol = symbolOf(query.get('symbol')).symbol
    const byClient = query.get('origClientOrderId')
    const found = engine
      .orders()
      .filter(
        (order) =>
          order.instrument === symbol &&
          (byClient
            ? order.clientOrderId === byClient && !isAlgo(order)
            : order.id === query.get('orderId') && (!isAlgo(order) || order.state !== 'untriggered')),
      )
      .at(-1)
    if (!found) throw binanceError(-2013, 'Order does not exist.')
    return engine.advance(found)
  }
  const findAlgo = (query: URLSearchParams): EngineOrder => {
    const byClient = query.get('clientAlgoId')
    const found = engine
      .orders()
      .filter(
        (order) => isAlgo(order) && (byClient ? order.clientOrderId === byClient : order.id === query.get('algoId')),
      )
      .at(-1)
    if (!found) throw binanceError(-2013, 'Order does not exist.')
    return found
  }

  /**
   * Binance USDⓈ-M docs, "Filters", PERCENT_PRICE (multiplierUp 1.05, multiplierDown 0.95 in exchangeInfo above): a
   * limit price beyond the band around the mark is refused, -4016 above it and -4024 below ("Error Codes").
   */
  const withinPercentPrice = (symbol: string, price: number): number => {
    const mark = engine.markPrice(symbol)
    if (price > mark * 1.05) throw binanceError(-4016, `Limit price can't be higher than ${(mark * 1.05).toFixed(2)}.`)
    if (price < mark * 0.95) throw binanceError(-4024, `Limit price can't be lower than ${(mark * 0.95).toFixed(2)}.`)
    return price
  }

  /**
   * Binance USDⓈ-M docs, "New Order": newClientOrderId is "a unique id among open orders"; a second one while the
   * first is open is refused with -4116. Once the first has filled, the same id is taken again (the harsh truth
   * that a second send after a lost reply can fill twice).
   */
  const refuseDuplicate = (clientOrderId: string) => {
    if (
      engine
        .orders()
        .some(
          (order) => order.clientOrderId === clientOrderId && (order.state === 'open' || order.state === 'untriggered'),
        )
    )
      throw binanceError(-4116, 'ClientOrderId is duplicated.')
  }

  const privateRoutes: Record<string, (query: URLSearchParams) => unknown> = {
    'GET /fapi/v1/leverageBracket': () =>
      SYMBOLS.map((entry) => ({
        symbol: entry.symbol,
        notionalCoef: 1,
        brackets: [
          { bracket: 1, initialLeverage: 125, notionalCap: 50000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0 },
        ],
      })),
    'GET /fapi/v2/balance': () => [
      {
        accountAlias: 'SgsR',
        asset: 'USDT',
        balance: '10000.00000000',
        crossWalletBalance: '10000.00000000',
        crossUnPnl: '0.00000000',
        availableBalance: '9800.00000000',
        maxWithdrawAmount: '9800.00000000',
        marginAvailable: true,
        updateTime: Date.now(),
      },
    ],
    'GET /fapi/v2/account': () => account(),
    'GET /fapi/v3/account': () => account(),
    'POST /fapi/v1/order': (query) => {
      const symbol = symbolOf(query.get('symbol'))
      const requested = query.get('type')
      // Binance moved conditional orders to the algo service (/fapi/v1/algoOrder).
      if (requested === 'STOP_MARKET' || requested === 'TAKE_PROFIT_MARKET')
        throw binanceError(
          -4120,
          'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.',
        )
      if (requested !== 'MARKET' && requested !== 'LIMIT')
        throw binanceError(-1116, 'Order type not supported by this stand-in.')
      if (requested === 'LIMIT' && query.get('timeInForce') !== 'GTX')
        throw binanceError(-1116, 'This stand-in rests post-only (GTX) limit orders only.')
      const limitPrice = requested === 'LIMIT' ? withinPercentPrice(symbol.symbol, Number(query.get('price'))) : null
      const clientOrderId = query.get('newClientOrderId') ?? `standin${Date.now()}`
      if (!/^[.A-Z:/a-z0-9_-]{1,36}$/.test(clientOrderId))
        throw binanceError(
          -1100,
          "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.",
        )
      refuseDuplicate(clientOrderId)
      try {
        const order = engine.place({
          instrument: symbol.symbol,
          side: query.get('side') === 'SELL' ? 'sell' : 'buy',
          amount: Number(query.get('quantity')),
          clientOrderId,
          kind: limitPrice === null ? 'market' : 'limit',
          reduceOnly: query.get('reduceOnly') === 'true',
          ...(limitPrice === null ? {} : { limitPrice }),
        })
        return wireOrder(order)
      } catch (error) {
        if (error instanceof StandinRefusal && error.reason === 'reduce_only')
          throw binanceError(-2022, 'ReduceOnly Order is rejected.')
        // Binance USDⓈ-M docs, "Error Codes": -5022 (ccxt: OrderNotFillable).
        if (error instanceof StandinRefusal && error.reason === 'post_only')
          throw binanceError(
            -5022,
            'Due to the order could not be executed as maker, the Post Only order will be rejected.',
          )
        if (error instanceof StandinRefusal)
          throw binanceError(-1111, 'Precision is over the maximum defined for this asset.')
        throw error
      }
    },
    'POST /fapi/v1/algoOrder': (query) => {
      const symbol = symbolOf(query.get('symbol'))
      const type = query.get('type')
      if (query.get('algoType') !== 'CONDITIONAL' || (type !== 'STOP_MARKET' && type !== 'TAKE_PROFIT_MARKET'))
        throw binanceError(-1116, 'Order type not supported by this stand-in.')
      const clientAlgoId = query.get('clientAlgoId') ?? `standin${Date.now()}`
      if (!/^[.A-Z:/a-z0-9_-]{1,36}$/.test(clientAlgoId))
        throw binanceError(-1100, "Illegal characters found in parameter 'clientAlgoId'.")
      refuseDuplicate(clientAlgoId)
      try {
        const order = engine.place({
          instrument: symbol.symbol,
          side: query.get('side') === 'SELL' ? 'sell' : 'buy',
          amount: Number(query.get('quantity')),
          clientOrderId: clientAlgoId,
          kind: type === 'STOP_MARKET' ? 'stop' : 'take',
          reduceOnly: query.get('reduceOnly') === 'true',
          triggerPrice: Number(query.get('triggerPrice')),
        })
        return wireAlgoOrder(order)
      } catch (error) {
        if (error instanceof StandinRefusal && error.reason === 'reduce_only')
          throw binanceError(-2022, 'ReduceOnly Order is rejected.')
        throw error
      }
    },
    'GET /fapi/v1/algoOrder': (query) => wireAlgoOrder(findAlgo(query)),
    'DELETE /fapi/v1/algoOrder': (query) => {
      const order = findAlgo(query)
      if (order.state !== 'untriggered') throw binanceError(-2011, 'Unknown order sent.')
      engine.cancel((candidate) => candidate === order)
      return { algoId: Number(order.id), clientAlgoId: order.clientOrderId, code: '200', msg: 'success' }
    },
    'GET /fapi/v1/openAlgoOrders': (query) =>
      engine
        .orders()
        .filter(
          (order) =>
            isAlgo(order) &&
            order.state === 'untriggered' &&
            (!query.get('symbol') || order.instrument === query.get('symbol')),
        )
        .map(wireAlgoOrder),
    'DELETE /fapi/v1/algoOpenOrders': (query) => {
      const symbol = symbolOf(query.get('symbol')).symbol
      engine.cancel((order) => isAlgo(order) && order.instrument === symbol)
      return { code: 200, msg: 'The operation of cancel all open order is done.' }
    },
    'GET /fapi/v1/order': (query) => wireOrder(find(query)),
    'DELETE /fapi/v1/order': (query) => {
      const order = find(query)
      if (order.state !== 'open' && order.state !== 'untriggered') throw binanceError(-2011, 'Unknown order sent.')
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
          order.trades.map((trade) => ({
            symbol,
            id: trade.id,
            orderId: Number(order.id),
            side: order.side.toUpperCase(),
            price: String(trade.price),
            qty: String(trade.quantity),
            realizedPnl: '0',
            quoteQty: String(trade.price * trade.quantity),
            commission: trade.fee.toFixed(8),
            commissionAsset: 'USDT',
            time: trade.time,
            positionSide: 'BOTH',
            buyer: order.side === 'buy',
            maker: false,
          })),
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
        return {
          symbol: position.instrument,
          positionSide: 'BOTH',
          positionAmt: String(position.size),
          entryPrice: String(position.averagePrice),
          breakEvenPrice: String(position.averagePrice),
          markPrice: String(mark),
          unRealizedProfit: ((mark - position.averagePrice) * position.size).toFixed(8),
          liquidationPrice: '0',
          isolatedMargin: '0',
          notional: String(mark * position.size),
          marginAsset: 'USDT',
          isolatedWallet: '0',
          initialMargin: '0',
          maintMargin: '0',
          positionInitialMargin: '0',
          openOrderInitialMargin: '0',
          adl: 0,
          bidNotional: '0',
          askNotional: '0',
          updateTime: Date.now(),
        }
      })
  }

  function account() {
    return {
      totalInitialMargin: '0',
      totalMaintMargin: '0',
      totalWalletBalance: '10000',
      totalUnrealizedProfit: '0',
      totalMarginBalance: '10000',
      availableBalance: '9800',
      maxWithdrawAmount: '9800',
      assets: [
        {
          asset: 'USDT',
          walletBalance: '10000',
          unrealizedProfit: '0',
          marginBalance: '10000',
          maintMargin: '0',
          initialMargin: '0',
          positionInitialMargin: '0',
          openOrderInitialMargin: '0',
          crossWalletBalance: '10000',
          crossUnPnl: '0',
          availableBalance: '9800',
          maxWithdrawAmount: '9800',
          updateTime: Date.now(),
        },
      ],
      positions: [],
    }
  }

  return listenBinance({
    keys: options.keys,
    engine,
    publicRoutes,
    privateRoutes,
    refusal: { code: -2019, msg: 'Margin is insufficient.' },
    symbols: SYMBOLS,
    coins: ['USDT', 'BTC', 'ETH'],
    bar,
  })
}

export type BinanceFuturesStandin = Awaited<ReturnType<typeof startBinanceFuturesStandin>>
