import { randomBytes } from 'node:crypto'
import Decimal from 'decimal.js'
import { errorMessage } from '../../../../shared/errors'
import type { CertifyStep } from '../../../../shared/domain'
import type { ExchangeOrderState, OrderVenue, PlaceRequest } from './order-venue'
import { retrying } from './retrying'

/** The exchange's clock, read without the key: a signed request may already be refused for it. */
export interface ClockCheck {
  /** The exchange's clock minus this machine's, in ms. */
  skewMs(): Promise<number>
  receiveWindowMs: number
}

export interface CertifyOptions {
  clock: ClockCheck
  /** Opens the exchange with the key, once the clock is found within its window. */
  open(): Promise<OrderVenue>
  instrument: string
  label: string
  /** Where the exchange holds stops itself; elsewhere Tradedeck watches them, and there is no stop to place. */
  nativeStops: boolean
  /** A minimal market round trip with its stop: money moves, so only when asked. */
  trade: boolean
  onStep?: (step: CertifyStep) => void
  now?: () => number
}

/** Far enough from the price that nothing fires while the step runs. */
const FAR = 2

/**
 * The smallest buy the exchange takes and that leaves a whole step to sell back: its minimum size or
 * worth (with a tenth to spare for the price moving), doubled where a fee may come out of the coin bought.
 */
function tradeSize(venue: OrderVenue, instrument: string, minimum: string, price: Decimal): string {
  const cost = venue.minimumCost(instrument)
  const forCost = cost ? new Decimal(cost).times(1.1).div(price) : new Decimal(0)
  const size = Decimal.max(minimum, forCost).times(2)
  return venue.wholeSteps(instrument, size.toString())
}

function requireStatus(state: ExchangeOrderState, status: ExchangeOrderState['status'], what: string): void {
  if (state.status !== status) throw new Error(`${what} reads ${state.status}, not ${status}.`)
}

/** Tries per request, and the wait before each retry: a 429 or a dropped reply is tried again over about six seconds. */
const TRIES = 6
const waitMs = (attempt: number) => 200 * 2 ** (attempt - 1)

/** A read retried while the exchange limits requests or its answer is lost: reading twice changes nothing. */
function steadily<T>(venue: OrderVenue, read: () => Promise<T>): Promise<T> {
  return retrying(read, {
    transient: async (error) => (await venue.classify(error)) !== 'refused',
    waitMs,
    tries: TRIES,
  })
}

/**
 * The orders carrying a client id, once one of them passes `wanted`: an exchange's lookups may lag its matching
 * (an order just taken not yet listed, a fill not yet shown), so it is looked up again, waiting longer each time,
 * before the answer is believed. What was found last when none passes.
 */
async function lookedUp(
  venue: OrderVenue,
  instrument: string,
  clientOrderId: string,
  wanted: (state: ExchangeOrderState) => boolean,
): Promise<ExchangeOrderState[]> {
  let found: ExchangeOrderState[] = []
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    found = await steadily(venue, () => venue.findByClientId(instrument, clientOrderId))
    if (found.some(wanted)) return found
    if (attempt < TRIES) await new Promise((resolve) => setTimeout(resolve, waitMs(attempt)))
  }
  return found
}

/** How many times an order that no lookup finds is sent again, each time under a client id of its own. */
const SENDS = 3

/**
 * Places an order. A 429 proves it was not taken, so it is sent again. Any other failure but a refusal may have been
 * taken: the order is looked up by its client id, never sent again under it, and only when no lookup finds it over
 * several seconds is it sent again under a new client id. The order's state once it passes `wanted`; null when
 * no send was found; a refusal is thrown as the exchange said it.
 */
async function placedOnce(
  venue: OrderVenue,
  request: PlaceRequest,
  wanted: (state: ExchangeOrderState) => boolean,
  newId: () => string,
): Promise<ExchangeOrderState | null> {
  for (let send = 1; send <= SENDS; send++) {
    const clientOrderId = send === 1 ? request.clientOrderId : newId()
    const placed = await sentOnce(venue, { ...request, clientOrderId })
    if (placed && wanted(placed)) return placed
    const found = await lookedUp(venue, request.instrument, clientOrderId, wanted)
    const passing = found.filter(wanted).at(-1)
    if (passing) return passing
    // Taken, but not (yet) as wanted: it is not sent again.
    if (placed || found.length > 0) return null
  }
  return null
}

/** One send under one client id, a 429 sent again: its state, or null when its outcome is unknown. */
async function sentOnce(venue: OrderVenue, request: PlaceRequest): Promise<ExchangeOrderState | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await venue.place(request)
    } catch (error) {
      const kind = await venue.classify(error)
      if (kind === 'refused' || (kind === 'rate_limited' && attempt >= TRIES)) throw error
      if (kind === 'unknown_outcome') return null
      await new Promise((resolve) => setTimeout(resolve, waitMs(attempt)))
    }
  }
}

/** A market order's fill, whatever became of its reply: never sent twice under one client id, and what it bought never forgotten. */
const filledOrLookedUp = (venue: OrderVenue, request: PlaceRequest, newId: () => string) =>
  placedOnce(venue, request, (state) => state.status === 'filled', newId)

/**
 * Cancels an order, through lost replies and lagging reads: an order already gone counts as cancelled, and a read
 * still showing it open is read again. True once it rests no more.
 */
async function cancelledOnce(venue: OrderVenue, instrument: string, id: string): Promise<boolean> {
  const cancelled = await steadily(venue, () => venue.cancel(instrument, id)).catch(() => null)
  if (cancelled && cancelled.status !== 'open') return true
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, waitMs(attempt)))
    // A cancel whose reply was lost may be refused when tried again; what the order reads is what counts.
    const state = await venue.fetch(instrument, id).catch(() => null)
    if (state && state.status !== 'open') return true
    if (state) await venue.cancel(instrument, id).catch(() => null)
  }
  return false
}

/**
 * The steps a trader runs on testnet before going live, each said in words: the exchange's clock against this
 * machine's, the balance, the market's steps and minimum, an order lookup by client id, and, with `trade`, the
 * smallest market round trip with its stop resting far from the price, found by its client id and cancelled
 * after the close (the exchanges take a stop only beside a position). The
 * sequence stops at the first step that fails: a later one would only repeat its cause, or trade on it.
 */
export async function certifyVenue(options: CertifyOptions): Promise<CertifyStep[]> {
  const steps: CertifyStep[] = []
  const record = (step: CertifyStep) => {
    steps.push(step)
    options.onStep?.(step)
    return step.ok
  }
  const attempt = async (name: string, run: () => Promise<string>): Promise<boolean> => {
    try {
      return record({ name, ok: true, detail: await run() })
    } catch (error) {
      return record({ name, ok: false, detail: errorMessage(error) })
    }
  }
  const { instrument, label } = options
  const id = () => `tdx-${randomBytes(6).toString('hex')}`

  const { clock } = options
  const clockOk = await attempt('Clock', async () => {
    const skew = await clock.skewMs()
    const said = `${label}'s clock is ${Math.abs(skew)} ms ${skew >= 0 ? 'ahead of' : 'behind'} this machine's; it accepts ${clock.receiveWindowMs / 1000} s`
    if (Math.abs(skew) >= clock.receiveWindowMs)
      throw new Error(`${said}. Set this machine's clock (automatic time) before trading: nothing more was tried.`)
    return `${said}.`
  })
  if (!clockOk) return steps
  const venue = await options.open()

  if (
    !(await attempt('Balance', async () => {
      const funds = await steadily(venue, () => venue.funds(instrument))
      return `${funds.free} ${funds.currency} free of ${funds.total}${funds.maxLeverage > 1 ? `, up to ${funds.maxLeverage}× leverage on ${instrument}` : ''}.`
    }))
  )
    return steps

  let minimum = '0'
  if (
    !(await attempt('Market', async () => {
      const precision = venue.precision(instrument)
      if (!precision) throw new Error(`${label} lists no ${instrument}.`)
      minimum =
        venue.minimumQuantity(instrument) ?? new Decimal(1).div(new Decimal(10).pow(precision.quantity ?? 0)).toString()
      const places = (count: number | null) =>
        count === null ? 'any number of decimals' : `${count} decimal${count === 1 ? '' : 's'}`
      return `${instrument}: prices to ${places(precision.price)}, sizes to ${places(precision.quantity)}, at least ${minimum}.`
    }))
  )
    return steps

  const mark = async () => {
    const candles = await steadily(venue, () =>
      venue.closedMinuteCandles(instrument, (options.now ?? Date.now)() - 5 * 60_000),
    )
    const last = candles.at(-1)
    if (!last) throw new Error(`${label} has no closed one-minute candle of ${instrument} in the last five minutes.`)
    return new Decimal(last.close)
  }

  if (
    !(await attempt('Order lookup', async () => {
      const unknown = id()
      const found = await steadily(venue, () => venue.findByClientId(instrument, unknown))
      if (found.length > 0) throw new Error(`A client id never used, ${unknown}, was found ${found.length} times.`)
      return `Orders are looked up by their client id: ${unknown}, never used, is found nowhere.`
    }))
  )
    return steps

  if (!options.trade) return steps
  await attempt('Round trip', async () => {
    const price = await mark()
    const size = tradeSize(venue, instrument, minimum, price)
    const bought = await filledOrLookedUp(
      venue,
      {
        instrument,
        side: 'buy',
        quantity: size,
        clientOrderId: id(),
        reduceOnly: false,
      },
      id,
    )
    if (!bought) throw new Error(`The buy of ${size} did not fill, and no order of it is on ${label}: nothing is held.`)
    // On spot the fee may be taken from the coin bought: what is sold back is what the wallet received, in whole steps.
    const held = venue.wholeSteps(instrument, new Decimal(bought.filled).minus(bought.feeFromFilled ?? '0').toString())
    // From here on a position is open: whatever the stop step does, it is closed before the step ends.
    let stopProblem: string | null = null
    let stop: { state: ExchangeOrderState; clientOrderId: string; price: Decimal } | null = null
    if (options.nativeStops) {
      const clientOrderId = id()
      const stopPrice = new Decimal(bought.average ?? price).div(FAR)
      try {
        const resting = (state: ExchangeOrderState) => state.status === 'open'
        const state = await placedOnce(
          venue,
          {
            instrument,
            side: 'sell',
            quantity: held,
            clientOrderId,
            reduceOnly: true,
            trigger: {
              kind: 'stop_loss',
              price: stopPrice.toDecimalPlaces(venue.precision(instrument)?.price ?? 2).toString(),
            },
          },
          resting,
          id,
        )
        if (!state) throw new Error(`The stop was not found on ${label} by its client id ${clientOrderId}.`)
        stop = { state, clientOrderId: state.clientOrderId, price: stopPrice }
        const found = await lookedUp(venue, instrument, state.clientOrderId, resting)
        if (found.length !== 1) throw new Error(`Looked up by its client id, the stop was found ${found.length} times.`)
        requireStatus(found[0]!, 'open', 'The stop, looked up by its client id,')
      } catch (error) {
        stopProblem = errorMessage(error)
      }
    }
    let closeProblem = ''
    const close = await filledOrLookedUp(
      venue,
      {
        instrument,
        side: 'sell',
        quantity: held,
        clientOrderId: id(),
        reduceOnly: true,
      },
      id,
    ).catch((error: unknown) => {
      closeProblem = ` (${errorMessage(error)})`
      return null
    })
    if (!close)
      throw new Error(
        `The close of ${held} did not go through${closeProblem}${stop ? ', and its stop still rests on the exchange' : ', and no stop rests for it'}: close the position on ${label} yourself.${stopProblem ? ` Before that: ${stopProblem}` : ''}`,
      )
    // Closed: the stop, if one rests, has nothing left to protect (it may already be gone with the position).
    if (stop && !(await cancelledOnce(venue, instrument, stop.state.id)))
      throw new Error(`The stop still rests after the close: cancel it on ${label}.`)
    if (stopProblem) throw new Error(`${stopProblem} The position was closed again.`)
    const stopped = stop
      ? ` Its stop at ${stop.price.toFixed(0)} rested on the exchange, was found by its client id ${stop.clientOrderId}, and was cancelled after the close.`
      : ''
    return `Bought ${bought.filled} at ${bought.average ?? 'the market'} and sold ${held} back.${stopped}`
  })
  return steps
}
