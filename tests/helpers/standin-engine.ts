/*
 * The matching side of an exchange stand-in, free of any wire format: market orders fill at the
 * mark, reduce-only orders never grow a position, stop and take orders trigger when the mark
 * crosses them, post-only limit orders rest until the mark reaches them (and are refused where they would take), and an order can be scripted to fill in parts (one more part on each later look).
 * Positions net the way one-way (non-hedged) accounts net them. Each stand-in maps these orders
 * onto its exchange's JSON; the faults a test scripts (429s, lost or held replies, refusals) are
 * kept here too, keyed by the stand-in's own method names.
 */

import { mulberry32 } from './seeded-random'

export interface EngineTrade {
  id: number
  price: number
  quantity: number
  fee: number
  time: number
}

export interface EngineOrder {
  id: string
  clientOrderId: string
  instrument: string
  side: 'buy' | 'sell'
  kind: OrderKind
  state: 'open' | 'untriggered' | 'filled' | 'cancelled'
  amount: number
  filled: number
  average: number
  fee: number
  reduceOnly: boolean
  triggerPrice: number | null
  /** A trailing stop's distance from the best price since it was placed: its trigger follows the mark that far behind. */
  trailOffset?: number
  /** A resting limit order's price; null on every other kind. */
  limitPrice: number | null
  /** A post-only order the exchange took and cancelled at once because it would have taken. */
  cancelledAsTaker?: true
  createdAt: number
  updatedAt: number
  trades: EngineTrade[]
}

export interface EnginePosition {
  instrument: string
  /** Signed: negative is short. */
  size: number
  averagePrice: number
}

export class StandinRefusal extends Error {
  constructor(
    readonly reason: 'reduce_only' | 'size' | 'instrument' | 'not_found' | 'post_only',
    message: string,
  ) {
    super(message)
  }
}

/** Tradedeck places market orders, stop and take orders held by the exchange, and post-only limits that rest. */
export type OrderKind = 'market' | 'limit' | 'stop' | 'take'

/** A stop or take order: held by the exchange until the price reaches it, then a market order. */
export const isTriggerOrder = (order: { kind: OrderKind }) => order.kind === 'stop' || order.kind === 'take'

export interface PlaceInput {
  instrument: string
  side: 'buy' | 'sell'
  amount: number
  clientOrderId: string
  kind: OrderKind
  reduceOnly: boolean
  triggerPrice?: number
  /** A trailing stop: its trigger starts this far behind the mark and follows the mark's best price (see `trigger`). */
  trailOffset?: number
  /** For a limit order, which is always post-only: it rests at this price, and is refused where it would take. */
  limitPrice?: number
  /** Where a post-only order that would take is taken and at once cancelled (Bybit) rather than refused. */
  cancelIfWouldTake?: boolean
}

const round = (value: number) => Number(value.toFixed(8))

/**
 * The same bar for the same base price and minute on every call, so downloads can be checked.
 * Minute prices zigzag around a slow wave, so short moving averages cross on almost every
 * minute candle and a strategy proposes soon after it starts.
 */
export function barAt(
  base: number,
  ts: number,
  resolutionMs: number,
  tick = 0.5,
): { open: number; high: number; low: number; close: number; volume: number } {
  const onTick = (price: number) => Number((Math.round(price / tick) * tick).toFixed(8))
  const at = (t: number) =>
    onTick(base + base * 0.01 * Math.sin(t / 3_600_000) + base * 0.002 * (Math.floor(t / 60_000) % 2 === 0 ? 1 : -1))
  const open = at(ts)
  const close = at(ts + resolutionMs)
  return {
    open,
    high: onTick(Math.max(open, close) + tick),
    low: onTick(Math.min(open, close) - tick),
    close,
    volume: Number(((ts / 60_000) % 97).toFixed(0)) + 1,
  }
}

export function createEngine(options: {
  basePrice(instrument: string): number
  feeRate: number
  step(instrument: string): number
  newOrderId: (instrument: string) => string
}) {
  const orders: EngineOrder[] = []
  const positions = new Map<string, EnginePosition>()
  const partsLeft = new Map<string, { left: number; part: number }>()
  const marks = new Map<string, number>()
  let nextParts = 0
  let tradeSequence = 0
  /**
   * What each order and the positions looked like after each change, so a read can be answered as of a moment
   * ago: a harsh exchange's lookups lag its matching (an order just placed not yet found, a fill not yet shown).
   */
  const orderHistory = new Map<string, { at: number; copy: EngineOrder }[]>()
  let positionHistory: { at: number; positions: EnginePosition[] }[] = [{ at: 0, positions: [] }]
  let view: { lagMs: number; random: () => number } | null = null
  const HISTORY_KEPT_MS = 10_000

  function remember(order: EngineOrder): void {
    const now = Date.now()
    const entries = orderHistory.get(order.id) ?? []
    entries.push({ at: now, copy: { ...order, trades: [...order.trades] } })
    // Only what a lagged read can still ask for is kept: the last entry older than the longest lag, and the newer ones.
    while (entries.length > 1 && entries[1]!.at < now - HISTORY_KEPT_MS) entries.shift()
    orderHistory.set(order.id, entries)
  }
  function rememberPositions(): void {
    const now = Date.now()
    positionHistory.push({ at: now, positions: [...positions.values()].map((position) => ({ ...position })) })
    while (positionHistory.length > 1 && positionHistory[1]!.at < now - HISTORY_KEPT_MS) positionHistory.shift()
  }
  /** An order as a read made now sees it: under a lagged view, as it was `lagMs` ago (undefined before it existed), its fills in any order. */
  function seen(order: EngineOrder): EngineOrder | undefined {
    if (!view) return order
    const at = Date.now() - view.lagMs
    const copy = orderHistory
      .get(order.id)
      ?.filter((entry) => entry.at <= at)
      .at(-1)?.copy
    if (!copy) return undefined
    const random = view.random
    const trades = [...copy.trades].sort(() => random() - 0.5)
    return { ...copy, trades }
  }

  const markPrice = (instrument: string) =>
    marks.get(instrument) ??
    barAt(options.basePrice(instrument), Math.floor(Date.now() / 60_000) * 60_000 - 60_000, 60_000).close
  const reducible = (instrument: string, side: 'buy' | 'sell') => {
    const held = positions.get(instrument)?.size ?? 0
    return side === 'buy' ? Math.max(0, -held) : Math.max(0, held)
  }

  function fill(order: EngineOrder, amount: number, price = markPrice(order.instrument)): void {
    const signed = order.side === 'buy' ? amount : -amount
    const position = positions.get(order.instrument) ?? { instrument: order.instrument, size: 0, averagePrice: 0 }
    const size = round(position.size + signed)
    const adds = Math.sign(position.size) === Math.sign(signed) || position.size === 0
    position.averagePrice =
      size === 0
        ? 0
        : adds
          ? round((position.averagePrice * Math.abs(position.size) + price * amount) / Math.abs(size))
          : Math.sign(size) === Math.sign(position.size)
            ? position.averagePrice
            : price
    position.size = size
    if (size === 0) positions.delete(order.instrument)
    else positions.set(order.instrument, position)
    const fee = round(amount * price * options.feeRate)
    order.average = round((order.average * order.filled + price * amount) / (order.filled + amount))
    order.filled = round(order.filled + amount)
    order.fee = round(order.fee + fee)
    order.state = order.filled >= order.amount ? 'filled' : 'open'
    order.updatedAt = Date.now()
    order.trades.push({ id: ++tradeSequence, price, quantity: amount, fee, time: order.updatedAt })
    remember(order)
    rememberPositions()
  }

  let clockOffsetMs = 0

  return {
    markPrice,
    /** The exchange's clock, which a test may set off this machine's. */
    serverNow: () => Date.now() + clockOffsetMs,
    setClockOffset(ms: number) {
      clockOffsetMs = ms
    },
    setMarkPrice(instrument: string, price: number | null) {
      if (price === null) marks.delete(instrument)
      else marks.set(instrument, price)
    },
    fillInPartsNext(parts: number) {
      nextParts = parts
    },
    place(input: PlaceInput): EngineOrder {
      const step = options.step(input.instrument)
      let amount = input.amount
      if (!(amount > 0) || Math.abs(amount / step - Math.round(amount / step)) > 1e-9)
        throw new StandinRefusal('size', `the amount must be a multiple of ${step}`)
      if (input.reduceOnly) {
        const most = reducible(input.instrument, input.side)
        if (most === 0) throw new StandinRefusal('reduce_only', 'a reduce-only order would increase the position')
        amount = Math.min(amount, most)
      }
      let wouldTake = false
      if (input.kind === 'limit') {
        const limit = input.limitPrice as number
        const mark = markPrice(input.instrument)
        wouldTake = input.side === 'buy' ? limit >= mark : limit <= mark
        if (wouldTake && !input.cancelIfWouldTake)
          throw new StandinRefusal('post_only', `a post-only ${input.side} at ${limit} would take at ${mark}`)
      }
      const now = Date.now()
      const order: EngineOrder = {
        id: options.newOrderId(input.instrument),
        clientOrderId: input.clientOrderId,
        instrument: input.instrument,
        side: input.side,
        kind: input.kind,
        state: wouldTake ? 'cancelled' : isTriggerOrder(input) ? 'untriggered' : 'open',
        ...(wouldTake ? { cancelledAsTaker: true as const } : {}),
        amount,
        filled: 0,
        average: 0,
        fee: 0,
        reduceOnly: input.reduceOnly,
        triggerPrice:
          input.trailOffset !== undefined
            ? round(
                input.side === 'sell'
                  ? markPrice(input.instrument) - input.trailOffset
                  : markPrice(input.instrument) + input.trailOffset,
              )
            : (input.triggerPrice ?? null),
        ...(input.trailOffset !== undefined ? { trailOffset: input.trailOffset } : {}),
        limitPrice: input.kind === 'limit' ? (input.limitPrice as number) : null,
        createdAt: now,
        updatedAt: now,
        trades: [],
      }
      orders.push(order)
      remember(order)
      if (input.kind !== 'market') return order
      if (nextParts > 1 && amount > step) {
        // An exchange fills in whole lots: each part is a whole number of steps.
        const part = round(Math.max(step, Math.floor(amount / nextParts / step + 1e-9) * step))
        fill(order, part)
        partsLeft.set(order.id, { left: nextParts - 1, part })
      } else fill(order, amount)
      nextParts = 0
      return order
    },
    /** A partly filled order fills one more part each time anyone looks at it (the look itself may lag: see `readLagging`). */
    advance(looked: EngineOrder): EngineOrder {
      const order = orders.find((candidate) => candidate.id === looked.id) ?? looked
      const parts = partsLeft.get(order.id)
      if (parts && order.state === 'open') {
        fill(order, parts.left === 1 ? round(order.amount - order.filled) : parts.part)
        if (--parts.left === 0) partsLeft.delete(order.id)
      }
      return view ? (seen(order) ?? looked) : order
    },
    /**
     * Stop and take orders trigger when the mark crosses their price, then fill as market orders (reduce-only ones
     * only as far as the position goes); a resting limit order fills at its price once the mark reaches it.
     */
    trigger(): void {
      for (const order of orders.filter((candidate) => candidate.kind === 'limit' && candidate.state === 'open')) {
        const limit = order.limitPrice as number
        const mark = markPrice(order.instrument)
        if (order.side === 'buy' ? mark <= limit : mark >= limit) fill(order, round(order.amount - order.filled), limit)
      }
      for (const order of orders.filter((candidate) => candidate.state === 'untriggered')) {
        const mark = markPrice(order.instrument)
        // A trailing stop's trigger follows the mark's best price, never back (a sell stop only rises).
        if (order.trailOffset !== undefined) {
          const followed = round(order.side === 'sell' ? mark - order.trailOffset : mark + order.trailOffset)
          const tighter =
            order.side === 'sell'
              ? followed > (order.triggerPrice as number)
              : followed < (order.triggerPrice as number)
          if (tighter) {
            order.triggerPrice = followed
            order.updatedAt = Date.now()
            remember(order)
          }
        }
        const at = order.triggerPrice as number
        const stop = order.kind === 'stop'
        const reached = order.side === 'sell' ? (stop ? mark <= at : mark >= at) : stop ? mark >= at : mark <= at
        if (!reached) continue
        const amount = order.reduceOnly ? Math.min(order.amount, reducible(order.instrument, order.side)) : order.amount
        if (amount <= 0) {
          order.state = 'cancelled'
          order.updatedAt = Date.now()
          remember(order)
          continue
        }
        order.state = 'open'
        order.amount = amount
        fill(order, amount)
      }
    },
    /** Moves a resting stop or take order's trigger; null when the order is no longer resting (it fired, filled or was cancelled). */
    amendTrigger(id: string, triggerPrice: number): EngineOrder | null {
      const order = orders.find((candidate) => candidate.id === id)
      if (!order || order.state !== 'untriggered') return null
      order.triggerPrice = triggerPrice
      order.updatedAt = Date.now()
      remember(order)
      return order
    },
    cancel(match: (order: EngineOrder) => boolean): EngineOrder[] {
      const cancelled = orders.filter(
        (order) => (order.state === 'open' || order.state === 'untriggered') && match(order),
      )
      for (const order of cancelled) {
        order.state = 'cancelled'
        order.updatedAt = Date.now()
        partsLeft.delete(order.id)
        remember(order)
      }
      return cancelled
    },
    /** Every order; inside `readLagging`, as that read sees them. */
    orders: (): EngineOrder[] => (view ? orders.flatMap((order) => seen(order) ?? []) : orders),
    /** The positions; inside `readLagging`, as they were `lagMs` ago. */
    positions: (): EnginePosition[] => {
      if (!view) return [...positions.values()]
      const at = Date.now() - view.lagMs
      return (positionHistory.filter((entry) => entry.at <= at).at(-1)?.positions ?? []).map((position) => ({
        ...position,
      }))
    },
    /**
     * Answers a read as an exchange whose reads lag its matching does: orders and positions as they were `lagMs`
     * ago, and an order's fills in any order. Writes made inside act on the present.
     */
    readLagging<T>(lagMs: number, random: () => number, read: () => T): T {
      if (lagMs <= 0) return read()
      view = { lagMs, random }
      try {
        return read()
      } finally {
        view = null
      }
    },
    setPosition(instrument: string, size: number, averagePrice: number) {
      if (size === 0) positions.delete(instrument)
      else positions.set(instrument, { instrument, size, averagePrice })
      rememberPositions()
    },
    reset() {
      orders.length = 0
      positions.clear()
      partsLeft.clear()
      marks.clear()
      nextParts = 0
      clockOffsetMs = 0
      orderHistory.clear()
      positionHistory = [{ at: 0, positions: [] }]
    },
  }
}

export type StandinEngine = ReturnType<typeof createEngine>

interface Fault {
  methods: string[]
  /**
   * lose: carried out, the reply cut off; hold: carried out, the reply held for good; refuse: refused as the exchange
   * refuses an order; drop: the connection cut before the exchange acts; unavailable: a 5xx before it acts;
   * failed_after: a 5xx after it acted (Binance and Bybit document a 5xx as "execution status unknown").
   */
  kind: 'lose' | 'hold' | 'refuse' | 'drop' | 'unavailable' | 'failed_after' | 'answer'
  /** For `answer`: the exchange's documented error code the request is answered with (see each stand-in's table). */
  code?: number
  times: number
  skip: number
  onHeld?: () => void
}

/**
 * How often each fault meets a request in the harsh mode: about one request in ten goes wrong in some way, and
 * about a third of reads see the account as it was up to 400 ms before. Real exchanges fail far less often; the
 * mode is there to meet every combination of faults within one test run, not to model a rate.
 */
export const HARSH = {
  rateLimited: 0.04,
  unavailable: 0.03,
  lostReply: 0.02,
  failedAfter: 0.02,
  laggingRead: 0.35,
  mostLagMs: 400,
} as const

/** The faults a test scripts against a stand-in, each taken by the request it applies to; and the seeded harsh mode. */
export function createFaults() {
  const limited: { count: number; methods?: string[] }[] = []
  const faults: Fault[] = []
  const lags: { methods: string[]; lagMs: number; times: number }[] = []
  let harsh: { seed: number; calls: Map<string, number> } | null = null
  /** The draws for the nth request to a method: the same seed, method and n always meet the same fault, however the polls interleave. */
  const drawsFor = (seed: number, method: string, nth: number) => {
    let hash = seed ^ 0x9e3779b9
    for (const char of `${method}#${nth}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193)
    return mulberry32(hash)
  }
  const list = (method: string | string[]) => (Array.isArray(method) ? method : [method])
  return {
    /** The next `count` requests (optionally only to these methods) answer 429 Too Many Requests. */
    rateLimitNext(count: number, method?: string | string[]) {
      limited.push({ count, ...(method ? { methods: list(method) } : {}) })
    },
    /** The next `times` calls (after `skip` that go through) are carried out, but their replies never arrive: the connection is cut. */
    loseReplyNext(method: string | string[], times = 1, skip = 0) {
      faults.push({ methods: list(method), kind: 'lose', times, skip })
    },
    /** The next call (after `skip` that go through) is carried out and its reply held back for good; `onHeld` runs once it has been carried out. */
    holdReplyNext(method: string | string[], onHeld: () => void, skip = 0) {
      faults.push({ methods: list(method), kind: 'hold', times: 1, skip, onHeld })
    },
    /** The next `times` calls (after `skip` that go through) never reach the exchange: the connection is cut before it acts. */
    dropNext(method: string | string[], times = 1, skip = 0) {
      faults.push({ methods: list(method), kind: 'drop', times, skip })
    },
    /**
     * The next `times` calls (after `skip` that go through) are answered with one of the exchange's documented error
     * codes, carried out first where the stand-in's table says the exchange may have acted before answering it.
     */
    answerNext(method: string | string[], code: number, times = 1, skip = 0) {
      faults.push({ methods: list(method), kind: 'answer', code, times, skip })
    },
    /** The next `times` calls (after `skip` that go through) are refused with an error, as the exchange refuses an order it will not take. */
    refuseNext(method: string | string[], times = 1, skip = 0) {
      faults.push({ methods: list(method), kind: 'refuse', times, skip })
    },
    /** The next `times` reads by these methods see the account as it was `lagMs` ago: an exchange's reads lagging its matching. */
    lagNext(method: string | string[], lagMs: number, times = 1) {
      lags.push({ methods: list(method), lagMs, times })
    },
    /**
     * From now on every request may meet a fault drawn from a random source seeded with `seed`: a 429, a 5xx before
     * or after the exchange acted, a reply lost after it acted, or (for a read) the account as it was a moment ago.
     * The same seed and the same requests meet the same faults, so a failure replays.
     */
    harsh(seed: number) {
      harsh = { seed, calls: new Map() }
    },
    get harshSeed(): number | null {
      return harsh?.seed ?? null
    },
    /**
     * Whether this request is rate limited, the fault it meets (a scripted one, used up, else in the harsh mode a
     * drawn one), and how far behind the present a read by it is answered (0 but in the harsh mode).
     */
    take(method: string): { limited: boolean; fault: Fault | undefined; lagMs: number; random: () => number } {
      const nth = (harsh?.calls.get(method) ?? 0) + 1
      harsh?.calls.set(method, nth)
      const random = harsh ? drawsFor(harsh.seed, method, nth) : Math.random
      const limit = limited.find((entry) => !entry.methods || entry.methods.includes(method))
      if (limit) {
        if (--limit.count <= 0) limited.splice(limited.indexOf(limit), 1)
        return { limited: true, fault: undefined, lagMs: 0, random }
      }
      const lag = lags.find((entry) => entry.methods.includes(method))
      if (lag) {
        if (--lag.times <= 0) lags.splice(lags.indexOf(lag), 1)
        return { limited: false, fault: undefined, lagMs: lag.lagMs, random }
      }
      const scripted = faults.find((entry) => entry.methods.includes(method))
      const fault = scripted && scripted.skip-- <= 0 ? scripted : undefined
      if (fault && --fault.times <= 0) faults.splice(faults.indexOf(fault), 1)
      if (fault || !harsh) return { limited: false, fault, lagMs: 0, random }
      const draw = random()
      const lagMs = random() < HARSH.laggingRead ? Math.round(random() * HARSH.mostLagMs) : 0
      const drawn = (kind: Fault['kind']): Fault => ({ methods: [method], kind, times: 1, skip: 0 })
      let bound = HARSH.rateLimited
      if (draw < bound) return { limited: true, fault: undefined, lagMs: 0, random }
      if (draw < (bound += HARSH.unavailable)) return { limited: false, fault: drawn('unavailable'), lagMs, random }
      if (draw < (bound += HARSH.lostReply)) return { limited: false, fault: drawn('lose'), lagMs, random }
      if (draw < (bound += HARSH.failedAfter)) return { limited: false, fault: drawn('failed_after'), lagMs, random }
      return { limited: false, fault: undefined, lagMs, random }
    },
    reset() {
      limited.length = 0
      faults.length = 0
      lags.length = 0
      harsh = null
    },
  }
}

export type StandinFaults = ReturnType<typeof createFaults>

/**
 * One documented error of an exchange, as its stand-in answers it: the HTTP status and body, and whether the
 * request was carried out before the answer (the harsher reading wherever the documentation leaves it open).
 */
export interface DocumentedError {
  status: number
  body: unknown
  acted: boolean
}
