import { barAt, createEngine, StandinRefusal, type EngineOrder } from './standin-engine'
import { binanceError, klineRows, listenBinance, type BinanceKey, type BinanceSymbol } from './binance-standin-wire'

/*
 * A local stand-in for Binance spot (/api/v3/...), enough of the real REST wire protocol for what
 * Tradedeck calls through ccxt: exchange info, time, klines, and, signed as Binance signs
 * (binance-standin-wire.ts), the key's API restrictions, the account with its balances, market
 * orders with a newClientOrderId (answered FULL, with their fills), order lookup by id and by
 * origClientOrderId, cancels, open orders and the account's trades (where the fees are).
 * A wallet, not positions: a buy adds the coin less its fee (taken in the coin bought, as Binance
 * takes it without the BNB discount), a sell takes the coin and pays its fee in the quote coin.
 * A sell of more than the free balance is refused (-2010), as is a size off the step (-1013).
 * The trader's own orders can be placed beside the desk's (a resting STOP_LOSS locks its coin).
 * Over WebSocket (/ws/...) it streams klines.
 */

const SYMBOLS: BinanceSymbol[] = [
  { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', price: 60_000, stepSize: 0.00001 },
  { symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', price: 3_000, stepSize: 0.0001 },
]
export const BINANCE_SPOT_BTC = 'BTCUSDT'
const TICK = 0.01
const FEE_RATE = 0.001
const STARTING_BALANCES: Record<string, number> = { USDT: 10_000, BTC: 0, ETH: 0, BNB: 0 }

const round = (value: number) => Number(value.toFixed(8))

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

/** A trade's commission as Binance spot charges it: a buy's in the coin bought, a sell's in the quote coin. */
const commissionOf = (order: EngineOrder, trade: EngineOrder['trades'][number]) => {
  const symbol = symbolOf(order.instrument)
  return order.side === 'buy'
    ? { commission: round(trade.quantity * FEE_RATE), commissionAsset: symbol.baseAsset }
    : { commission: trade.fee, commissionAsset: symbol.quoteAsset }
}

/** An order as /api/v3/order answers with it. */
function wireOrder(order: EngineOrder) {
  return {
    symbol: order.instrument,
    orderId: Number(order.id),
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: (order.limitPrice ?? 0).toFixed(8),
    origQty: order.amount.toFixed(8),
    executedQty: order.filled.toFixed(8),
    cummulativeQuoteQty: (order.average * order.filled).toFixed(8),
    status: order.state === 'open' && order.filled > 0 ? 'PARTIALLY_FILLED' : STATUS[order.state],
    timeInForce: 'GTC',
    type:
      order.kind === 'market'
        ? 'MARKET'
        : order.kind === 'limit'
          ? 'LIMIT_MAKER'
          : order.kind === 'stop'
            ? 'STOP_LOSS'
            : 'TAKE_PROFIT',
    side: order.side.toUpperCase(),
    stopPrice: (order.triggerPrice ?? 0).toFixed(8),
    icebergQty: '0.00000000',
    time: order.createdAt,
    updateTime: order.updatedAt,
    isWorking: true,
    workingTime: order.createdAt,
    origQuoteOrderQty: '0.00000000',
    selfTradePreventionMode: 'EXPIRE_MAKER',
  }
}

export async function startBinanceSpotStandin(options: { keys: BinanceKey[] }) {
  let orderSequence = 28_457_000
  const engine = createEngine({
    basePrice: (name) => symbolOf(name).price,
    feeRate: FEE_RATE,
    step: (name) => symbolOf(name).stepSize,
    newOrderId: () => String(++orderSequence),
  })
  const bar = (name: string, ts: number, resolution: number) => barAt(symbolOf(name).price, ts, resolution, TICK)
  /** What each coin would hold with no trades: the wallet is this plus every trade's effect. */
  let starting: Record<string, number> = { ...STARTING_BALANCES }

  /** Each coin's total (free and locked), from the starting balances and every trade. */
  function totals(): Record<string, number> {
    const held = { ...starting }
    for (const order of engine.orders()) {
      const symbol = symbolOf(order.instrument)
      for (const trade of order.trades) {
        const { commission } = commissionOf(order, trade)
        const bought = order.side === 'buy'
        held[symbol.baseAsset] = round(
          (held[symbol.baseAsset] ?? 0) + (bought ? trade.quantity - commission : -trade.quantity),
        )
        held[symbol.quoteAsset] = round(
          (held[symbol.quoteAsset] ?? 0) +
            (bought ? -trade.quantity * trade.price : trade.quantity * trade.price - commission),
        )
      }
    }
    return held
  }

  /** A coin locked by resting orders: what resting sells have yet to sell, and what resting buys have yet to pay. */
  const locked = (asset: string) =>
    round(
      engine
        .orders()
        .filter((order) => order.state === 'untriggered' || (order.kind === 'limit' && order.state === 'open'))
        .reduce((sum, order) => {
          const symbol = symbolOf(order.instrument)
          const left = order.amount - order.filled
          if (order.side === 'sell' && symbol.baseAsset === asset) return sum + left
          if (order.side === 'buy' && order.kind === 'limit' && symbol.quoteAsset === asset)
            return sum + left * (order.limitPrice as number)
          return sum
        }, 0),
    )
  const free = (asset: string) => round((totals()[asset] ?? 0) - locked(asset))

  const publicRoutes = {
    'GET /api/v3/ping': () => ({}),
    'GET /api/v3/time': () => ({ serverTime: engine.serverNow() }),
    'GET /api/v3/exchangeInfo': () => ({
      timezone: 'UTC',
      serverTime: Date.now(),
      rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }],
      exchangeFilters: [],
      symbols: SYMBOLS.map((entry) => ({
        symbol: entry.symbol,
        status: 'TRADING',
        baseAsset: entry.baseAsset,
        baseAssetPrecision: 8,
        quoteAsset: entry.quoteAsset,
        quotePrecision: 8,
        quoteAssetPrecision: 8,
        baseCommissionPrecision: 8,
        quoteCommissionPrecision: 8,
        orderTypes: [
          'LIMIT',
          'LIMIT_MAKER',
          'MARKET',
          'STOP_LOSS',
          'STOP_LOSS_LIMIT',
          'TAKE_PROFIT',
          'TAKE_PROFIT_LIMIT',
        ],
        icebergAllowed: true,
        ocoAllowed: true,
        otoAllowed: true,
        quoteOrderQtyMarketAllowed: true,
        allowTrailingStop: true,
        cancelReplaceAllowed: true,
        isSpotTradingAllowed: true,
        isMarginTradingAllowed: false,
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: String(TICK), maxPrice: '1000000.00000000', tickSize: String(TICK) },
          {
            filterType: 'LOT_SIZE',
            minQty: entry.stepSize.toFixed(8),
            maxQty: '9000.00000000',
            stepSize: entry.stepSize.toFixed(8),
          },
          { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
          {
            filterType: 'NOTIONAL',
            minNotional: '5.00000000',
            applyMinToMarket: true,
            maxNotional: '9000000.00000000',
            applyMaxToMarket: false,
            avgPriceMins: 5,
          },
        ],
        permissions: [],
        permissionSets: [['SPOT']],
        defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
        allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
      })),
    }),
    'GET /api/v3/klines': (query: URLSearchParams) => klineRows(query, symbolOf(query.get('symbol')).symbol, bar, 1000),
  }

  const find = (query: URLSearchParams): EngineOrder => {
    const symbol = symbolOf(query.get('symbol')).symbol
    const byClient = query.get('origClientOrderId')
    const found = engine
      .orders()
      .filter(
        (order) =>
          order.instrument === symbol &&
          (byClient ? order.clientOrderId === byClient : order.id === query.get('orderId')),
      )
      .at(-1)
    if (!found) throw binanceError(-2013, 'Order does not exist.')
    return engine.advance(found)
  }

  const privateRoutes = {
    'GET /api/v3/account': () => ({
      makerCommission: 10,
      takerCommission: 10,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
      canTrade: true,
      canWithdraw: true,
      canDeposit: true,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: Date.now(),
      accountType: 'SPOT',
      balances: Object.keys(totals()).map((asset) => ({
        asset,
        free: free(asset).toFixed(8),
        locked: locked(asset).toFixed(8),
      })),
      permissions: ['SPOT'],
      uid: 354_937_868,
    }),
    'POST /api/v3/order': (query: URLSearchParams) => {
      const symbol = symbolOf(query.get('symbol'))
      const type = query.get('type')
      // LIMIT_MAKER is Binance spot's post-only limit (spot docs, "New order"); a plain LIMIT is never sent.
      if (type !== 'MARKET' && type !== 'LIMIT_MAKER')
        throw binanceError(-1116, 'Order type not supported by this stand-in.')
      const limitPrice = type === 'LIMIT_MAKER' ? Number(query.get('price')) : null
      const clientOrderId = query.get('newClientOrderId') ?? `standin${Date.now()}`
      if (!/^[.A-Z:/a-z0-9_-]{1,36}$/.test(clientOrderId))
        throw binanceError(
          -1100,
          "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.",
        )
      // Binance spot docs, "New order": newClientOrderId is "a unique id among open orders"; another while one is
      // open is refused with -2010 "Duplicate order sent."; once it has filled, the id may be used again.
      if (
        engine
          .orders()
          .some(
            (order) =>
              order.clientOrderId === clientOrderId && (order.state === 'open' || order.state === 'untriggered'),
          )
      )
        throw binanceError(-2010, 'Duplicate order sent.')
      const side = query.get('side') === 'SELL' ? 'sell' : 'buy'
      const amount = Number(query.get('quantity'))
      const needed = side === 'buy' ? amount * (limitPrice ?? engine.markPrice(symbol.symbol)) : amount
      if (needed > free(side === 'buy' ? symbol.quoteAsset : symbol.baseAsset) + 1e-12)
        throw binanceError(-2010, 'Account has insufficient balance for requested action.')
      try {
        const order = engine.place({
          instrument: symbol.symbol,
          side,
          amount,
          clientOrderId,
          kind: limitPrice === null ? 'market' : 'limit',
          reduceOnly: false,
          ...(limitPrice === null ? {} : { limitPrice }),
        })
        return {
          ...wireOrder(order),
          transactTime: order.createdAt,
          fills: order.trades.map((trade) => ({
            price: trade.price.toFixed(8),
            qty: trade.quantity.toFixed(8),
            ...stringCommission(order, trade),
            tradeId: trade.id,
          })),
        }
      } catch (error) {
        // Binance spot docs, "Error messages for -1010, -2010, -2011": "Order would immediately match and take."
        if (error instanceof StandinRefusal && error.reason === 'post_only')
          throw binanceError(-2010, 'Order would immediately match and take.')
        if (error instanceof StandinRefusal) throw binanceError(-1013, 'Filter failure: LOT_SIZE')
        throw error
      }
    },
    'GET /api/v3/order': (query: URLSearchParams) => wireOrder(find(query)),
    'DELETE /api/v3/order': (query: URLSearchParams) => {
      const order = find(query)
      if (order.state !== 'open' && order.state !== 'untriggered') throw binanceError(-2011, 'Unknown order sent.')
      engine.cancel((candidate) => candidate === order)
      return wireOrder(order)
    },
    'GET /api/v3/openOrders': (query: URLSearchParams) =>
      engine
        .orders()
        .filter(
          (order) =>
            (!query.get('symbol') || order.instrument === query.get('symbol')) &&
            (order.state === 'open' || order.state === 'untriggered'),
        )
        .map((order) => wireOrder(engine.advance(order)))
        .filter((order) => order.status === 'NEW' || order.status === 'PARTIALLY_FILLED'),
    'DELETE /api/v3/openOrders': (query: URLSearchParams) => {
      const symbol = symbolOf(query.get('symbol')).symbol
      return engine.cancel((order) => order.instrument === symbol).map(wireOrder)
    },
    'GET /api/v3/myTrades': (query: URLSearchParams) => {
      const symbol = symbolOf(query.get('symbol')).symbol
      return engine
        .orders()
        .filter((order) => order.instrument === symbol && (!query.get('orderId') || order.id === query.get('orderId')))
        .flatMap((order) =>
          order.trades.map((trade) => ({
            symbol,
            id: trade.id,
            orderId: Number(order.id),
            orderListId: -1,
            price: trade.price.toFixed(8),
            qty: trade.quantity.toFixed(8),
            quoteQty: (trade.price * trade.quantity).toFixed(8),
            ...stringCommission(order, trade),
            time: trade.time,
            isBuyer: order.side === 'buy',
            isMaker: false,
            isBestMatch: true,
          })),
        )
    },
  }

  function stringCommission(order: EngineOrder, trade: EngineOrder['trades'][number]) {
    const { commission, commissionAsset } = commissionOf(order, trade)
    return { commission: commission.toFixed(8), commissionAsset }
  }

  const standin = await listenBinance({
    keys: options.keys,
    engine,
    publicRoutes,
    privateRoutes,
    refusal: { code: -2010, msg: 'Account has insufficient balance for requested action.' },
    symbols: SYMBOLS,
    coins: Object.keys(STARTING_BALANCES),
    bar,
  })
  return {
    ...standin,
    /** Each coin's total in the wallet. */
    balances: totals,
    /** Sets a coin's total in the wallet, as a deposit, a withdrawal or a trade on Binance's own screen would. */
    setBalance(asset: string, total: number) {
      starting = { ...starting, [asset]: round((starting[asset] ?? 0) + total - (totals()[asset] ?? 0)) }
    },
    /** The trader's own resting stop order, placed on Binance's screen: it locks the coin it would sell. */
    placeOwnStop(instrument: string, amount: number, triggerPrice: number, clientOrderId: string) {
      return engine.place({
        instrument,
        side: 'sell',
        amount,
        clientOrderId,
        kind: 'stop',
        reduceOnly: false,
        triggerPrice,
      })
    },
    baseOf: (instrument: string) => symbolOf(instrument).baseAsset,
    reset() {
      standin.reset()
      starting = { ...STARTING_BALANCES }
    },
  }
}

export type BinanceSpotStandin = Awaited<ReturnType<typeof startBinanceSpotStandin>>
