import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import {
  barAt,
  createEngine,
  createFaults,
  isTriggerOrder,
  StandinRefusal,
  type DocumentedError,
  type EngineOrder,
  type PlaceInput,
} from './standin-engine'
import { listenStandin, pushEvery, replyJson, replyText } from './standin-server'

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
 * pushes the forming candle several times a second; a test can cut every stream. The
 * matching and the fault scripts are the shared engine's (standin-engine.ts).
 */

const documented = (status: number, code: number, message: string, acted: boolean): DocumentedError => ({
  status,
  body: { jsonrpc: '2.0', error: { code, message }, testnet: true },
  acted,
})

/** The error codes Deribit documents (API docs, "Error codes") that a test may answer a request with. */
export const DERIBIT_ERRORS: Record<number, DocumentedError> = {
  10009: documented(400, 10_009, 'not_enough_funds', false),
  10028: documented(429, 10_028, 'too_many_requests', false),
  // "retry": the docs do not say the request was not carried out; the harsher reading is that it may have been.
  10040: documented(400, 10_040, 'retry', true),
  // "settlement_in_progress": the docs say requests are rejected while settlement runs.
  10041: documented(400, 10_041, 'settlement_in_progress', false),
  // "matching_engine_queue_full": rejected before it reached the matching engine.
  10047: documented(400, 10_047, 'matching_engine_queue_full', false),
}

/** How long a finished order is still found by its label unless a test sets another (see `byLabel`). */
const LABEL_RECENCY_MS = 60_000

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
/** Deribit's taker fee on its perpetuals. */
const TAKER_FEE = 0.0005
const RESOLUTION_MS: Record<string, number> = {
  '1': 60_000,
  '5': 300_000,
  '15': 900_000,
  '60': 3_600_000,
  '1D': 86_400_000,
}
/** Deribit returns at most this many bars per chart request. */
const MAX_BARS = 5_000

/**
 * The same bar for the same instrument and minute on every call, so downloads can be checked.
 * Minute prices zigzag around a slow wave, so short moving averages cross on almost every
 * minute candle and a strategy proposes soon after it starts.
 */
export function standinBar(
  instrument: string,
  ts: number,
  resolutionMs: number,
): { open: number; high: number; low: number; close: number; volume: number } {
  return barAt(INSTRUMENTS.find((entry) => entry.instrument_name === instrument)?.price ?? 100, ts, resolutionMs)
}

/** An order as Deribit reports it (get_order_state and friends). */
export interface StandinOrder {
  order_id: string
  label: string
  instrument_name: string
  direction: 'buy' | 'sell'
  order_type: 'market' | 'limit' | 'stop_market' | 'take_market' | 'trailing_stop'
  order_state: 'open' | 'untriggered' | 'triggered' | 'filled' | 'cancelled'
  /** On the market order a trigger order became when it fired: the trigger order's id. */
  trigger_order_id?: string
  trigger_price?: number
  /** A trailing stop's distance from the price's peak (Deribit: "only for trailing trigger orders"). */
  trigger_offset?: number
  trigger?: string
  amount: number
  filled_amount: number
  average_price: number
  price: number | 'market_price'
  commission: number
  reduce_only: boolean
  post_only: boolean
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
  holdReplyNext(method: string, onHeld: () => void, skip?: number): void
  /** The next `times` calls to `method` (after `skip` that go through) never reach the exchange: the connection is cut first. */
  dropNext(method: string, times?: number, skip?: number): void
  harsh(seed: number): void
  answerNext(method: string, code: number, times?: number, skip?: number): void
  lagNext(method: string | string[], lagMs: number, times?: number): void
  /** How long a finished order is still found by its label. */
  setLabelRecency(ms: number): void
  /** Cancels the trader's way, on the exchange's own screen: every resting order with this label. */
  cancelDirectly(label: string): void
  /** The next market order fills in `parts` equal parts: the first at once, one more on each later look at it. */
  fillInPartsNext(parts: number): void
  /** The next `times` calls to `method` are refused with an error, as Deribit refuses an order it will not take. */
  refuseNext(method: string, times?: number, skip?: number): void
  /** Moves the market: orders fill, and stop and take orders trigger, at this price until it is set back to null. */
  setMarkPrice(instrument: string, price: number | null): void
  /** Sets the exchange's clock this many ms off this machine's, as its time endpoint answers. */
  setClockOffset(ms: number): void
  /** An order the trader placed on the account themselves, outside Tradedeck. */
  placeDirectly(input: PlaceInput): void
  /** Every order taken, oldest first, as the book holds it: a fired trigger order with its fill, not as Deribit's API shows it. */
  orders(): (StandinOrder & { order_state: 'open' | 'untriggered' | 'filled' | 'cancelled' })[]
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

function rpc(response: ServerResponse, startedUs: number, result: unknown): void {
  const usOut = Date.now() * 1000
  replyJson(response, 200, { jsonrpc: '2.0', result, usIn: startedUs, usOut, usDiff: usOut - startedUs, testnet: true })
}

function rpcError(response: ServerResponse, status: number, code: number, message: string, data?: unknown): void {
  replyJson(response, status, { jsonrpc: '2.0', error: { code, message, ...(data ? { data } : {}) }, testnet: true })
}

/** The key a signed request was made with, or null when its signature does not check out. */
function signedBy(request: IncomingMessage, path: string, keys: StandinKey[]): StandinKey | null {
  const header = request.headers.authorization ?? ''
  const match = /^deri-hmac-sha256 id=([^,]+),ts=(\d+),sig=([0-9a-f]+),nonce=(.+)$/.exec(header)
  if (!match) return null
  const [, id, ts, sig, nonce] = match as unknown as [string, string, string, string, string]
  const key = keys.find((candidate) => candidate.clientId === id)
  if (!key) return null
  const expected = createHmac('sha256', key.clientSecret)
    .update(`${ts}\n${nonce}\n${request.method}\n${path}\n\n`)
    .digest('hex')
  return expected.length === sig.length && timingSafeEqual(Buffer.from(expected), Buffer.from(sig)) ? key : null
}

export async function startDeribitStandin(options: {
  keys: StandinKey[]
  balances?: Record<string, { equity: number; available: number }>
}): Promise<DeribitStandin> {
  const calls: string[] = []
  const balances = options.balances ?? {
    BTC: { equity: 1.25, available: 1.2 },
    ETH: { equity: 10, available: 9.5 },
    // What the linear USDC contracts settle in.
    USDC: { equity: 10_000, available: 9_800 },
  }

  const publicMethods: Record<string, (query: URLSearchParams) => unknown> = {
    get_time: () => engine.serverNow(),
    get_currencies: () =>
      [...new Set(INSTRUMENTS.flatMap((entry) => [entry.base_currency, entry.settlement_currency]))].map(
        (currency) => ({
          currency,
          currency_long: currency,
          coin_type: 'BITCOIN',
          fee_precision: 4,
          min_confirmations: 1,
          withdrawal_fee: 0.0001,
          withdrawal_priorities: [],
        }),
      ),
    get_instruments: (query) => {
      const currency = query.get('currency')
      return INSTRUMENTS.filter((entry) => !currency || currency === 'any' || entry.base_currency === currency).map(
        ({ price: _price, ...instrument }) => instrument,
      )
    },
    get_tradingview_chart_data: (query) => {
      const instrument = query.get('instrument_name') ?? ''
      if (!INSTRUMENTS.some((entry) => entry.instrument_name === instrument))
        // Deribit API docs, "Error codes": 13020 not_found, "instrument is not found" (ccxt: ExchangeError).
        throw Object.assign(new Error('not_found'), { code: 13_020 })
      const resolution = RESOLUTION_MS[query.get('resolution') ?? '']
      if (!resolution) throw Object.assign(new Error('Invalid params'), { code: -32_602 })
      const start = Math.ceil(Number(query.get('start_timestamp')) / resolution) * resolution
      const end = Math.min(Number(query.get('end_timestamp')), Date.now())
      const ticks: number[] = []
      for (let ts = start; ts <= end && ticks.length < MAX_BARS; ts += resolution) ticks.push(ts)
      const bars = ticks.map((ts) => standinBar(instrument, ts, resolution))
      return {
        status: ticks.length > 0 ? 'ok' : 'no_data',
        ticks,
        open: bars.map((bar) => bar.open),
        high: bars.map((bar) => bar.high),
        low: bars.map((bar) => bar.low),
        close: bars.map((bar) => bar.close),
        volume: bars.map((bar) => bar.volume),
        cost: bars.map((bar) => bar.volume),
      }
    },
    auth: (query) => {
      const candidate = options.keys.find((entry) => entry.clientId === query.get('client_id'))
      const grant = query.get('grant_type')
      const signed = () => {
        const expected = createHmac('sha256', candidate?.clientSecret ?? '')
          .update(`${query.get('timestamp')}\n${query.get('nonce')}\n${query.get('data') ?? ''}`)
          .digest('hex')
        const given = query.get('signature') ?? ''
        return expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given))
      }
      const key =
        candidate &&
        ((grant === 'client_credentials' && candidate.clientSecret === query.get('client_secret')) ||
          (grant === 'client_signature' && signed()))
          ? candidate
          : null
      if (!key) throw Object.assign(new Error('invalid_credentials'), { code: 13_004 })
      return {
        access_token: `token-${key.clientId}`,
        expires_in: 900,
        refresh_token: `refresh-${key.clientId}`,
        scope: key.scope,
        token_type: 'bearer',
      }
    },
  }

  let sequence = 0
  const engine = createEngine({
    basePrice: (name) => instrumentOf(name).price,
    feeRate: TAKER_FEE,
    step: (name) => instrumentOf(name).min_trade_amount,
    newOrderId: (name) => `${instrumentOf(name).base_currency}-${++sequence}`,
  })
  const faults = createFaults()

  function instrumentOf(name: string | null) {
    const found = INSTRUMENTS.find((entry) => entry.instrument_name === name)
    // Deribit API docs, "Error codes": 13020 not_found, "instrument is not found" (ccxt: ExchangeError).
    if (!found) throw Object.assign(new Error('not_found'), { code: 13_020 })
    return found
  }

  function place(direction: 'buy' | 'sell', query: URLSearchParams): unknown {
    const instrument = instrumentOf(query.get('instrument_name'))
    const requested = query.get('type')
    if (requested && !['market', 'limit', 'stop_market', 'take_market', 'trailing_stop'].includes(requested))
      throw Object.assign(
        new Error('this stand-in takes market, limit, stop_market, take_market and trailing_stop orders'),
        { code: -32_602 },
      )
    // Deribit API docs, private/sell: a trailing_stop is a stop market order whose trigger follows the price's peak
    // `trigger_offset` behind; the order then reports that trigger as its `trigger_price`.
    const trailing = requested === 'trailing_stop'
    if (trailing && !(Number(query.get('trigger_offset')) > 0))
      throw Object.assign(new Error('trigger_offset is required for a trailing_stop'), { code: -32_602 })
    const kind =
      requested === 'stop_market' || trailing
        ? 'stop'
        : requested === 'take_market'
          ? 'take'
          : requested === 'limit'
            ? 'limit'
            : 'market'
    if (kind === 'limit' && query.get('post_only') !== 'true')
      throw Object.assign(new Error('this stand-in rests post-only limit orders only'), { code: -32_602 })
    try {
      const order = engine.place({
        instrument: instrument.instrument_name,
        side: direction,
        amount: Number(query.get('amount')),
        clientOrderId: query.get('label') ?? '',
        kind,
        reduceOnly: query.get('reduce_only') === 'true',
        ...(trailing
          ? { trailOffset: Number(query.get('trigger_offset')) }
          : kind === 'stop' || kind === 'take'
            ? { triggerPrice: Number(query.get('trigger_price')) }
            : {}),
        ...(kind === 'limit' ? { limitPrice: postOnlyPrice(instrument, direction, query) } : {}),
      })
      if (isTriggerOrder(order)) triggers.set(order.id, query.get('trigger') ?? 'last_price')
      return { order: wire(order), trades: [] }
    } catch (error) {
      if (error instanceof StandinRefusal && error.reason === 'reduce_only')
        throw Object.assign(new Error('reduce_only_order_would_increase_position'), { code: 11_098 })
      // Deribit API docs, private/buy: with reject_post_only, a post-only order that would take is rejected;
      // "Error codes": 11054 post_only_reject (ccxt: InvalidOrder).
      if (error instanceof StandinRefusal && error.reason === 'post_only')
        throw Object.assign(new Error('post_only_reject'), { code: 11_054 })
      if (error instanceof StandinRefusal)
        throw Object.assign(new Error('must be a multiple of contract size'), { code: 10_010 })
      throw error
    }
  }
  /**
   * Deribit API docs, private/buy: a post-only order that would take has its price "changed to be just below the
   * spread" (one tick off the mark here), unless reject_post_only asks for it to be rejected instead.
   */
  function postOnlyPrice(instrument: Instrument, direction: 'buy' | 'sell', query: URLSearchParams): number {
    const price = Number(query.get('price'))
    if (query.get('reject_post_only') === 'true') return price
    const mark = engine.markPrice(instrument.instrument_name)
    return direction === 'buy'
      ? Math.min(price, mark - instrument.tick_size)
      : Math.max(price, mark + instrument.tick_size)
  }
  /** What each trigger order was asked to watch (Deribit's `trigger`: last, mark or index price). */
  const triggers = new Map<string, string>()

  /**
   * A trigger order that fired. On Deribit it keeps its own id and reads `triggered`, with nothing filled on it;
   * the market order it became has an id of its own and carries `trigger_order_id`, and
   * private/get_trigger_order_history links the two (Deribit API docs: private/get_trigger_order_history,
   * and the order object's `trigger_order_id`). ccxt 4 leaves `triggered` unmapped.
   */
  const fired = (order: EngineOrder) => isTriggerOrder(order) && (order.state === 'open' || order.state === 'filled')
  const firedAs = new Map<string, string>()
  const resultingId = (order: EngineOrder) => {
    let id = firedAs.get(order.id)
    if (!id) {
      id = `${instrumentOf(order.instrument).base_currency}-${++sequence}`
      firedAs.set(order.id, id)
    }
    return id
  }

  /** An order as Deribit's get_order_state answers with it: a fired trigger order as Deribit shows it, not its fill. */
  function wire(order: EngineOrder): StandinOrder {
    if (fired(order))
      return { ...plainWire(order), order_state: 'triggered', filled_amount: 0, average_price: 0, commission: 0 }
    return plainWire(order)
  }

  /** The market order a fired trigger order became. */
  function resultWire(order: EngineOrder): StandinOrder {
    const { trigger_price: _price, trigger: _trigger, trigger_offset: _offset, ...plain } = plainWire(order)
    return { ...plain, order_id: resultingId(order), order_type: 'market', trigger_order_id: order.id }
  }

  function plainWire(order: EngineOrder): StandinOrder & { order_state: EngineOrder['state'] } {
    return {
      order_id: order.id,
      label: order.clientOrderId,
      instrument_name: order.instrument,
      direction: order.side,
      order_type:
        order.trailOffset !== undefined
          ? 'trailing_stop'
          : order.kind === 'stop'
            ? 'stop_market'
            : order.kind === 'take'
              ? 'take_market'
              : order.kind === 'limit'
                ? 'limit'
                : 'market',
      order_state: order.state,
      ...(isTriggerOrder(order)
        ? { trigger_price: order.triggerPrice as number, trigger: triggers.get(order.id) ?? 'last_price' }
        : {}),
      ...(order.trailOffset !== undefined ? { trigger_offset: order.trailOffset } : {}),
      amount: order.amount,
      filled_amount: order.filled,
      average_price: order.average,
      price: order.limitPrice ?? 'market_price',
      commission: order.fee,
      reduce_only: order.reduceOnly,
      post_only: order.kind === 'limit',
      time_in_force: 'good_til_cancelled',
      api: true,
      is_liquidation: false,
      max_show: order.amount,
      profit_loss: 0,
      creation_timestamp: order.createdAt,
      last_update_timestamp: order.updatedAt,
    }
  }

  const settlesIn = (order: EngineOrder, currency: string | null) =>
    !currency ||
    [instrumentOf(order.instrument).settlement_currency, instrumentOf(order.instrument).base_currency].includes(
      currency,
    )
  // get_order_state_by_label takes the currency the instrument settles in (USDC for BTC_USDC-PERPETUAL), and a
  // label looked up under another currency is not found: the harsher reading of Deribit's API docs, which name
  // the parameter "the currency symbol" without saying another is accepted.
  //
  // Deribit's docs say get_order_state_by_label returns the state of "recent" orders without saying how recent. The
  // harsher reading: an order still open is always found, a finished one only for LABEL_RECENCY_MS after it finished.
  let labelRecencyMs = LABEL_RECENCY_MS
  const recent = (order: EngineOrder) => live(order) || Date.now() - order.updatedAt <= labelRecencyMs
  const byLabel = (query: URLSearchParams) =>
    engine
      .orders()
      .filter(
        (order) =>
          order.clientOrderId === query.get('label') &&
          instrumentOf(order.instrument).settlement_currency === query.get('currency') &&
          recent(order),
      )
      .map((order) => engine.advance(order))
      .flatMap((order) => (fired(order) ? [wire(order), resultWire(order)] : [wire(order)]))
  const live = (order: EngineOrder) => order.state === 'open' || order.state === 'untriggered'
  const openOrders = (match: (order: EngineOrder) => boolean) =>
    engine
      .orders()
      .filter((order) => live(order) && match(order))
      .map((order) => engine.advance(order))
      .filter(live)
      .map((order) => (fired(order) ? resultWire(order) : wire(order)))
  const find = (query: URLSearchParams) => {
    const id = query.get('order_id')
    const firedId = [...firedAs].find(([, resulting]) => resulting === id)?.[0]
    const order = engine.orders().find((candidate) => candidate.id === (firedId ?? id))
    if (!order) throw Object.assign(new Error('order_not_found'), { code: 10_004 })
    return order
  }
  /** get_order_state by either id: a trigger order's, or the market order's it became. */
  const stateById = (query: URLSearchParams) => {
    const order = engine.advance(find(query))
    return fired(order) && firedAs.get(order.id) === query.get('order_id') ? resultWire(order) : wire(order)
  }

  const privateMethods: Record<string, (query: URLSearchParams, key: StandinKey) => unknown> = {
    buy: (query) => place('buy', query),
    sell: (query) => place('sell', query),
    get_order_state: stateById,
    // Deribit API docs, private/edit: a resting trigger order's trigger_price (and amount) changed in place, under
    // its own id; one no longer open answers 11044 not_open_order.
    edit: (query) => {
      const order = find(query)
      const amount = Number(query.get('amount'))
      if (amount !== order.amount)
        throw Object.assign(new Error('this stand-in edits trigger prices only'), { code: -32_602 })
      const edited = engine.amendTrigger(order.id, Number(query.get('trigger_price')))
      if (!edited) throw Object.assign(new Error('not_open_order'), { code: 11_044 })
      return { order: wire(edited), trades: [] }
    },
    get_trigger_order_history: (query) => ({
      entries: engine
        .orders()
        .filter(
          (order) =>
            fired(order) &&
            settlesIn(order, query.get('currency')) &&
            (!query.get('instrument_name') || order.instrument === query.get('instrument_name')),
        )
        .map((order) => ({
          timestamp: order.updatedAt,
          trigger: triggers.get(order.id) ?? 'last_price',
          trigger_price: order.triggerPrice,
          trigger_order_id: order.id,
          order_id: resultingId(order),
          order_state: 'triggered',
          instrument_name: order.instrument,
          direction: order.side,
          amount: order.amount,
          label: order.clientOrderId,
          order_type: 'market',
          reduce_only: order.reduceOnly,
          last_update_timestamp: order.updatedAt,
        })),
      continuation: null,
    }),
    get_order_state_by_label: byLabel,
    // Deribit API docs, private/get_order_history_by_instrument: finished orders, newest first, `count` of them
    // (20 unless asked, at most 1000); fully unfilled ones only with include_unfilled. Older than two days only with
    // include_old, which the stand-in's orders never are.
    get_order_history_by_instrument: (query) =>
      engine
        .orders()
        .filter(
          (order) =>
            order.instrument === instrumentOf(query.get('instrument_name')).instrument_name &&
            !live(order) &&
            (order.filled > 0 || query.get('include_unfilled') === 'true'),
        )
        .reverse()
        .slice(
          Number(query.get('offset') ?? 0),
          Number(query.get('offset') ?? 0) + Math.min(Number(query.get('count') ?? 20), 1000),
        )
        .flatMap((order) => (fired(order) ? [wire(order), resultWire(order)] : [wire(order)])),
    get_open_orders_by_instrument: (query) => openOrders((order) => order.instrument === query.get('instrument_name')),
    get_open_orders_by_currency: (query) => openOrders((order) => settlesIn(order, query.get('currency'))),
    cancel_all: () => engine.cancel(() => true).length,
    cancel: (query) => {
      const order = engine.advance(find(query))
      // Deribit API docs, "Error codes": 11044 not_open_order, for an order that is no longer open (ccxt: InvalidOrder).
      if (!live(order) || fired(order)) throw Object.assign(new Error('not_open_order'), { code: 11_044 })
      engine.cancel((candidate) => candidate === order)
      return wire(order)
    },
    cancel_all_by_instrument: (query) =>
      engine.cancel((order) => order.instrument === query.get('instrument_name')).length,
    get_positions: (query) => {
      const currency = query.get('currency')
      return engine
        .positions()
        .filter(
          (position) =>
            !currency ||
            currency === 'any' ||
            [
              instrumentOf(position.instrument).settlement_currency,
              instrumentOf(position.instrument).base_currency,
            ].includes(currency),
        )
        .map((position) => {
          const mark = engine.markPrice(position.instrument)
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
            floating_profit_loss: Number(((mark - position.averagePrice) * position.size).toFixed(8)),
            realized_profit_loss: 0,
            total_profit_loss: Number(((mark - position.averagePrice) * position.size).toFixed(8)),
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
      summaries: Object.entries(balances).map(([currency, balance]) => ({
        currency,
        equity: balance.equity,
        balance: balance.equity,
        available_funds: balance.available,
        maintenance_margin: 0,
        initial_margin: 0,
      })),
    }),
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const startedUs = Date.now() * 1000
    const url = new URL(request.url ?? '/', 'http://standin')
    const match = /^\/api\/v2\/(public|private)\/([a-z_]+)$/.exec(url.pathname)
    if (!match || request.method !== 'GET') return rpcError(response, 404, -32_601, 'Method not found')
    const [, scope, method] = match as unknown as [string, 'public' | 'private', string]
    calls.push(`${scope}/${method}`)
    const { limited, fault, lagMs, random } = faults.take(`${scope}/${method}`)
    if (limited) return rpcError(response, 429, 10_028, 'too_many_requests')
    if (fault?.kind === 'drop') return void request.socket.destroy()
    // A gateway's 5xx, before Deribit acts: not a JSON-RPC reply.
    if (fault?.kind === 'unavailable') return replyText(response, 503, 'Service Unavailable')
    const answered = fault?.kind === 'answer' ? DERIBIT_ERRORS[fault.code as number] : undefined
    if (answered && !answered.acted) return replyJson(response, answered.status, answered.body)
    try {
      if (scope === 'public') {
        const handler = publicMethods[method]
        if (!handler) return rpcError(response, 400, -32_601, 'Method not found')
        const result = handler(url.searchParams)
        // A reply lost on the way back happens to public methods too (public/auth among them).
        if (fault?.kind === 'lose') return void request.socket.destroy()
        return rpc(response, startedUs, result)
      }
      const key = signedBy(request, url.pathname + url.search, options.keys)
      if (!key) return rpcError(response, 400, 13_009, 'unauthorized')
      const handler = privateMethods[method]
      if (!handler) return rpcError(response, 400, -32_601, 'Method not found')
      engine.trigger()
      if (fault?.kind === 'refuse') return rpcError(response, 400, 10_003, 'order_overlap')
      // In the harsh mode a read may see the account as it was a moment ago.
      const result = method.startsWith('get_')
        ? engine.readLagging(lagMs, random, () => handler(url.searchParams, key))
        : handler(url.searchParams, key)
      if (fault?.kind === 'lose') return void request.socket.destroy()
      if (fault?.kind === 'hold') return fault.onHeld?.()
      if (answered) return replyJson(response, answered.status, answered.body)
      // Deribit API docs, "Error codes": 10040 "retry", after the request reached the engine (the harsher reading:
      // the docs do not say it was not carried out).
      if (fault?.kind === 'failed_after') return rpcError(response, 400, 10_040, 'retry')
      return rpc(response, startedUs, result)
    } catch (error) {
      return rpcError(response, 400, (error as { code?: number }).code ?? -32_000, (error as Error).message)
    }
  }

  // Deribit's WebSocket API (/ws/api/v2): JSON-RPC requests, and notifications for subscribed channels.
  const reply = (socket: WebSocket, id: unknown, result: unknown) =>
    socket.send(
      JSON.stringify({
        jsonrpc: '2.0',
        id,
        result,
        usIn: Date.now() * 1000,
        usOut: Date.now() * 1000,
        usDiff: 0,
        testnet: true,
      }),
    )
  function onStream(socket: WebSocket, raw: string, timers: NodeJS.Timeout[]): void {
    let request: { id?: unknown; method?: string; params?: { channels?: string[] } }
    try {
      request = JSON.parse(raw) as typeof request
    } catch {
      return socket.send(JSON.stringify({ jsonrpc: '2.0', error: { code: -32_700, message: 'Parse error' } }))
    }
    calls.push(`ws ${request.method}`)
    if (request.method !== 'public/subscribe')
      return reply(socket, request.id, request.method === 'public/test' ? { version: 'standin' } : 'ok')
    const channels = request.params?.channels ?? []
    reply(socket, request.id, channels)
    for (const channel of channels) {
      const [kind, , instrument, resolution] = channel.split('.') as [string, string, string, string]
      const resolutionMs = RESOLUTION_MS[resolution]
      if (kind !== 'chart' || !resolutionMs) continue
      pushEvery(timers, () => {
        const tick = Math.floor(Date.now() / resolutionMs) * resolutionMs
        const bar = standinBar(instrument, tick, resolutionMs)
        socket.send(
          JSON.stringify({
            jsonrpc: '2.0',
            method: 'subscription',
            params: { channel, data: { tick, ...bar, cost: bar.volume } },
          }),
        )
      })
    }
  }

  const server = await listenStandin({ handle, onStream })
  return {
    url: server.url,
    calls,
    rateLimitNext: faults.rateLimitNext,
    loseReplyNext: faults.loseReplyNext,
    holdReplyNext: faults.holdReplyNext,
    dropNext: faults.dropNext,
    harsh: faults.harsh,
    answerNext: faults.answerNext,
    lagNext: faults.lagNext,
    setLabelRecency: (ms: number) => void (labelRecencyMs = ms),
    cancelDirectly: (label: string) => void engine.cancel((order) => order.clientOrderId === label),
    refuseNext: (method, times, skip) => faults.refuseNext(method, times, skip),
    fillInPartsNext: engine.fillInPartsNext,
    setMarkPrice: engine.setMarkPrice,
    setClockOffset: engine.setClockOffset,
    placeDirectly: (input: PlaceInput) => void engine.place(input),
    orders: () => engine.orders().map(plainWire),
    positions: () => engine.positions().map((position) => ({ ...position })),
    setPosition: engine.setPosition,
    markPrice: engine.markPrice,
    dropStreams: server.dropStreams,
    reset() {
      engine.reset()
      faults.reset()
      triggers.clear()
      labelRecencyMs = LABEL_RECENCY_MS
    },
    close: server.close,
  }
}
