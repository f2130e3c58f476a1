/*
 * The matching side of an exchange stand-in, free of any wire format: market orders fill at the
 * mark, reduce-only orders never grow a position, stop and take orders trigger when the mark
 * crosses them, and an order can be scripted to fill in parts (one more part on each later look).
 * Positions net the way one-way (non-hedged) accounts net them. Each stand-in maps these orders
 * onto its exchange's JSON; the faults a test scripts (429s, lost or held replies, refusals) are
 * kept here too, keyed by the stand-in's own method names.
 */

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
  kind: 'market' | 'stop' | 'take'
  state: 'open' | 'untriggered' | 'filled' | 'cancelled'
  amount: number
  filled: number
  average: number
  fee: number
  reduceOnly: boolean
  triggerPrice: number | null
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
    readonly reason: 'reduce_only' | 'size' | 'instrument' | 'not_found',
    message: string,
  ) {
    super(message)
  }
}

export interface PlaceInput {
  instrument: string
  side: 'buy' | 'sell'
  amount: number
  clientOrderId: string
  kind: 'market' | 'stop' | 'take'
  reduceOnly: boolean
  triggerPrice?: number
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

  const markPrice = (instrument: string) =>
    marks.get(instrument) ??
    barAt(options.basePrice(instrument), Math.floor(Date.now() / 60_000) * 60_000 - 60_000, 60_000).close
  const reducible = (instrument: string, side: 'buy' | 'sell') => {
    const held = positions.get(instrument)?.size ?? 0
    return side === 'buy' ? Math.max(0, -held) : Math.max(0, held)
  }

  function fill(order: EngineOrder, amount: number): void {
    const price = markPrice(order.instrument)
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
      const now = Date.now()
      const order: EngineOrder = {
        id: options.newOrderId(input.instrument),
        clientOrderId: input.clientOrderId,
        instrument: input.instrument,
        side: input.side,
        kind: input.kind,
        state: input.kind === 'market' ? 'open' : 'untriggered',
        amount,
        filled: 0,
        average: 0,
        fee: 0,
        reduceOnly: input.reduceOnly,
        triggerPrice: input.triggerPrice ?? null,
        createdAt: now,
        updatedAt: now,
        trades: [],
      }
      orders.push(order)
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
    /** A partly filled order fills one more part each time anyone looks at it. */
    advance(order: EngineOrder): EngineOrder {
      const parts = partsLeft.get(order.id)
      if (parts && order.state === 'open') {
        fill(order, parts.left === 1 ? round(order.amount - order.filled) : parts.part)
        if (--parts.left === 0) partsLeft.delete(order.id)
      }
      return order
    },
    /** Stop and take orders trigger when the mark crosses their price, then fill as market orders (reduce-only ones only as far as the position goes). */
    trigger(): void {
      for (const order of orders.filter((candidate) => candidate.state === 'untriggered')) {
        const mark = markPrice(order.instrument)
        const at = order.triggerPrice as number
        const stop = order.kind === 'stop'
        const reached = order.side === 'sell' ? (stop ? mark <= at : mark >= at) : stop ? mark >= at : mark <= at
        if (!reached) continue
        const amount = order.reduceOnly ? Math.min(order.amount, reducible(order.instrument, order.side)) : order.amount
        if (amount <= 0) {
          order.state = 'cancelled'
          order.updatedAt = Date.now()
          continue
        }
        order.state = 'open'
        order.amount = amount
        fill(order, amount)
      }
    },
    cancel(match: (order: EngineOrder) => boolean): EngineOrder[] {
      const cancelled = orders.filter(
        (order) => (order.state === 'open' || order.state === 'untriggered') && match(order),
      )
      for (const order of cancelled) {
        order.state = 'cancelled'
        order.updatedAt = Date.now()
        partsLeft.delete(order.id)
      }
      return cancelled
    },
    orders: () => orders,
    positions: () => [...positions.values()],
    setPosition(instrument: string, size: number, averagePrice: number) {
      if (size === 0) positions.delete(instrument)
      else positions.set(instrument, { instrument, size, averagePrice })
    },
    reset() {
      orders.length = 0
      positions.clear()
      partsLeft.clear()
      marks.clear()
      nextParts = 0
      clockOffsetMs = 0
    },
  }
}

export type StandinEngine = ReturnType<typeof createEngine>

interface Fault {
  methods: string[]
  kind: 'lose' | 'hold' | 'refuse' | 'drop'
  times: number
  skip: number
  onHeld?: () => void
}

/** The faults a test scripts against a stand-in, each taken by the request it applies to. */
export function createFaults() {
  const limited: { count: number; methods?: string[] }[] = []
  const faults: Fault[] = []
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
    /** The next `times` calls (after `skip` that go through) are refused with an error, as the exchange refuses an order it will not take. */
    refuseNext(method: string | string[], times = 1, skip = 0) {
      faults.push({ methods: list(method), kind: 'refuse', times, skip })
    },
    /** Whether this request is rate limited, and the scripted fault it meets, if any; both are used up. */
    take(method: string): { limited: boolean; fault: Fault | undefined } {
      const limit = limited.find((entry) => !entry.methods || entry.methods.includes(method))
      if (limit) {
        if (--limit.count <= 0) limited.splice(limited.indexOf(limit), 1)
        return { limited: true, fault: undefined }
      }
      const scripted = faults.find((entry) => entry.methods.includes(method))
      const fault = scripted && scripted.skip-- <= 0 ? scripted : undefined
      if (fault && --fault.times <= 0) faults.splice(faults.indexOf(fault), 1)
      return { limited: false, fault }
    },
    reset() {
      limited.length = 0
      faults.length = 0
    },
  }
}

export type StandinFaults = ReturnType<typeof createFaults>
