import { afterAll, afterEach, beforeAll } from 'vitest'
import { useStandinTiming } from './standin-timing'
import type { ExchangeId } from '../../src/shared/domain'
import { LINEAR_BTC, standinBar, startDeribitStandin } from './deribit-standin'
import { BINANCE_BTC, startBinanceFuturesStandin } from './binance-futures-standin'
import { BYBIT_BTC, startBybitStandin } from './bybit-standin'
import { BINANCE_SPOT_BTC, startBinanceSpotStandin } from './binance-spot-standin'
import type { EngineOrder, PlaceInput } from './standin-engine'

/*
 * Every exchange stand-in seen the same way, so one suite of order tests runs against each
 * exchange Tradedeck places orders on. Faults are scripted by the stand-in's own request
 * names; `routes` says which request is which on each.
 */

/** An order as every stand-in's matching engine holds it, without its trades and timestamps. */
export type StandinOrderView = Omit<EngineOrder, 'trades' | 'createdAt' | 'updatedAt'>

export interface VenueStandin {
  exchange: ExchangeId
  /** The linear BTC perpetual (on spot, the BTC/USDT pair), by the exchange's own id. */
  instrument: string
  url: string
  /** Every request, by the stand-in's name for it. */
  calls: string[]
  routes: {
    /** Placing a buy order. */
    buy: string
    /** Looking an order up by its client id. */
    lookup: string
    /** The request flatten always makes to cancel what is open. */
    cancelAll: string
    /** Placing the protective (sell) orders after a long entry, where Tradedeck has the exchange hold them. */
    protective: string | null
    /** Amending a resting stop or target in place, where the exchange can (Deribit, Bybit). */
    amend: string | null
    /** Cancelling one resting stop or target. */
    cancel: string
    /** Reading one resting stop or target by its id (each request a read of it makes). */
    orderReads: string[]
    /** Subscribing to a candle stream over WebSocket. */
    subscribe: string
    /** Reading candles over REST. */
    candles: string
  }
  /** The bar the stand-in serves for an instrument and period, over REST and the stream alike. */
  bar(
    instrument: string,
    ts: number,
    resolutionMs: number,
  ): { open: number; high: number; low: number; close: number; volume: number }
  rateLimitNext(count: number, method?: string | string[]): void
  loseReplyNext(method: string, times?: number, skip?: number): void
  holdReplyNext(method: string, onHeld: () => void, skip?: number): void
  /** The next `times` calls (after `skip` that go through) never reach the exchange: the connection is cut before it acts. */
  dropNext(method: string, times?: number, skip?: number): void
  /** Cancels every resting order with this client id, as the trader would on the exchange's own screen. */
  cancelDirectly(clientOrderId: string): void
  refuseNext(method: string, times?: number, skip?: number): void
  /** The next `times` reads by these requests see the account as it was `lagMs` ago, as a lagging exchange answers. */
  lagNext(method: string | string[], lagMs: number, times?: number): void
  fillInPartsNext(parts: number): void
  setMarkPrice(instrument: string, price: number | null): void
  /** The next calls are answered with one of the exchange's documented error codes (each stand-in's table). */
  answerNext(method: string, code: number, times?: number, skip?: number): void
  /** From now on, faults drawn from a source seeded with `seed` meet every request (standin-engine.ts, HARSH). */
  harsh(seed: number): void
  /** Sets the exchange's clock this many ms off this machine's, as its time endpoint answers. */
  setClockOffset(ms: number): void
  markPrice(instrument: string): number
  orders(): StandinOrderView[]
  /** An order the trader placed on the account themselves, outside Tradedeck. */
  placeDirectly(input: PlaceInput): void
  /** On spot, the wallet's coin held for each pair, as a long position (its average price unknown: 0). */
  positions(): { instrument: string; size: number; averagePrice: number }[]
  setPosition(instrument: string, size: number, averagePrice: number): void
  dropStreams(): void
  reset(): void
  close(): Promise<void>
}

export interface StandinKeyPair {
  apiKey: string
  secret: string
}

const DERIBIT_KINDS = {
  market: 'market',
  limit: 'limit',
  stop_market: 'stop',
  take_market: 'take',
  trailing_stop: 'stop',
} as const

async function deribit(key: StandinKeyPair): Promise<VenueStandin> {
  const standin = await startDeribitStandin({
    keys: [{ clientId: key.apiKey, clientSecret: key.secret, scope: 'account:read trade:read_write wallet:read' }],
  })
  return {
    ...standin,
    exchange: 'deribit',
    instrument: LINEAR_BTC,
    routes: {
      buy: 'private/buy',
      lookup: 'private/get_order_state_by_label',
      cancelAll: 'private/cancel_all',
      protective: 'private/sell',
      amend: 'private/edit',
      cancel: 'private/cancel',
      orderReads: ['private/get_order_state'],
      subscribe: 'ws public/subscribe',
      candles: 'public/get_tradingview_chart_data',
    },
    bar: standinBar,
    orders: () =>
      standin.orders().map((order) => ({
        id: order.order_id,
        clientOrderId: order.label,
        instrument: order.instrument_name,
        side: order.direction,
        kind: DERIBIT_KINDS[order.order_type],
        state: order.order_state,
        amount: order.amount,
        filled: order.filled_amount,
        average: order.average_price,
        fee: order.commission,
        reduceOnly: order.reduce_only,
        triggerPrice: order.trigger_price ?? null,
        ...(order.trigger_offset !== undefined ? { trailOffset: order.trigger_offset } : {}),
        limitPrice: order.order_type === 'limit' ? (order.price as number) : null,
      })),
  }
}

/** A stand-in built on the shared matching engine, seen through the common view. */
function engineBacked(
  exchange: ExchangeId,
  instrument: string,
  routes: VenueStandin['routes'],
  standin:
    | Awaited<ReturnType<typeof startBinanceFuturesStandin>>
    | Awaited<ReturnType<typeof startBybitStandin>>
    | Awaited<ReturnType<typeof startBinanceSpotStandin>>,
): VenueStandin {
  return {
    exchange,
    instrument,
    url: standin.url,
    calls: standin.calls,
    routes,
    bar: standin.bar,
    ...standin.faults,
    fillInPartsNext: standin.engine.fillInPartsNext,
    setMarkPrice: standin.engine.setMarkPrice,
    setClockOffset: standin.engine.setClockOffset,
    placeDirectly: (input) => void standin.engine.place(input),
    cancelDirectly: (clientOrderId) => void standin.engine.cancel((order) => order.clientOrderId === clientOrderId),
    markPrice: standin.engine.markPrice,
    orders: () =>
      standin.engine
        .orders()
        .map(({ trades: _trades, createdAt: _created, updatedAt: _updated, ...order }) => ({ ...order })),
    positions: () => standin.engine.positions().map((position) => ({ ...position })),
    setPosition: standin.engine.setPosition,
    dropStreams: standin.dropStreams,
    reset: standin.reset,
    close: standin.close,
  }
}

async function binanceFutures(key: StandinKeyPair): Promise<VenueStandin> {
  return engineBacked(
    'binanceusdm',
    BINANCE_BTC,
    {
      buy: 'POST /fapi/v1/order',
      lookup: 'GET /fapi/v1/order',
      cancelAll: 'GET /fapi/v1/openOrders',
      protective: 'POST /fapi/v1/algoOrder',
      amend: null,
      cancel: 'DELETE /fapi/v1/algoOrder',
      orderReads: ['GET /fapi/v1/algoOrder'],
      subscribe: 'ws SUBSCRIBE',
      candles: 'GET /fapi/v1/klines',
    },
    await startBinanceFuturesStandin({ keys: [key] }),
  )
}

/** Spot holds a wallet: its positions are the coin each pair buys. */
async function binanceSpot(key: StandinKeyPair): Promise<VenueStandin> {
  const standin = await startBinanceSpotStandin({ keys: [key] })
  return {
    ...engineBacked(
      'binance',
      BINANCE_SPOT_BTC,
      {
        buy: 'POST /api/v3/order',
        lookup: 'GET /api/v3/order',
        cancelAll: 'GET /api/v3/openOrders',
        protective: null,
        amend: null,
        cancel: 'DELETE /api/v3/order',
        orderReads: ['GET /api/v3/order'],
        subscribe: 'ws SUBSCRIBE',
        candles: 'GET /api/v3/klines',
      },
      standin,
    ),
    positions: () =>
      [BINANCE_SPOT_BTC]
        .map((instrument) => ({
          instrument,
          size: standin.balances()[standin.baseOf(instrument)] ?? 0,
          averagePrice: 0,
        }))
        .filter((position) => position.size > 0),
    setPosition: (instrument, size) => standin.setBalance(standin.baseOf(instrument), size),
  }
}

async function bybit(key: StandinKeyPair): Promise<VenueStandin> {
  // Bybit's lookup reads open and finished orders together; the finished list is the one a filled order is in.
  return engineBacked(
    'bybit',
    BYBIT_BTC,
    {
      buy: 'POST /v5/order/create',
      lookup: 'GET /v5/order/history',
      cancelAll: 'POST /v5/order/cancel-all',
      protective: 'POST /v5/order/create',
      amend: 'POST /v5/order/amend',
      cancel: 'POST /v5/order/cancel',
      orderReads: ['GET /v5/order/realtime', 'GET /v5/order/history'],
      subscribe: 'ws subscribe',
      candles: 'GET /v5/market/kline',
    },
    await startBybitStandin({ keys: [key] }),
  )
}

export const VENUE_STANDINS: Record<
  'deribit' | 'binance' | 'binanceusdm' | 'bybit',
  (key: StandinKeyPair) => Promise<VenueStandin>
> = { deribit, binance: binanceSpot, binanceusdm: binanceFutures, bybit }

/**
 * A stand-in for the enclosing describe block, with Tradedeck's testnet and live endpoints for its
 * exchange pointed at it; every test starts from a fresh account (no orders, positions or faults).
 */
export function useVenueStandin(exchange: keyof typeof VENUE_STANDINS, key: StandinKeyPair): () => VenueStandin {
  const endpoints = ['TESTNET', 'LIVE'].map(
    (environment) => `TRADEDECK_EXCHANGE_URL_${exchange.toUpperCase()}_${environment}`,
  )
  let standin: VenueStandin | undefined
  let restoreTiming: (() => void) | undefined
  beforeAll(async () => {
    standin = await VENUE_STANDINS[exchange](key)
    for (const name of endpoints) process.env[name] = standin.url
    restoreTiming = useStandinTiming()
  })
  afterAll(async () => {
    for (const name of endpoints) delete process.env[name]
    restoreTiming?.()
    await standin?.close()
  })
  afterEach(() => standin?.reset())
  return () => standin as VenueStandin
}
