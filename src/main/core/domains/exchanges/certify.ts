import { randomBytes } from 'node:crypto'
import Decimal from 'decimal.js'
import { errorMessage } from '../../../../shared/errors'
import type { CertifyStep } from '../../../../shared/domain'
import type { ExchangeOrderState, OrderVenue } from './order-venue'
import { cancelledOnce, filledOrLookedUp, lookedUp, placedOnce, steadily } from './patient-orders'

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
  /** An exchange's error in words (a trader's words, not its JSON); anything else is said as it is. */
  explain?: (error: unknown) => Promise<string>
  now?: () => number
}

/** Far enough from the price that nothing fires while the step runs. */
const FAR = 2

/**
 * Where the resting buy goes, as a fraction of the last price: half of it, or just inside the exchange's band where
 * it has one (Binance futures take a buy no lower than 95% of the price).
 */
function restingBuyRatio(venue: OrderVenue, instrument: string): Decimal {
  const lowest = venue.lowestBuyRatio(instrument)
  return lowest === null ? new Decimal(0.5) : Decimal.max(0.5, new Decimal(lowest).plus(0.01))
}

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

/**
 * The steps a trader runs on testnet before going live, each said in words: the exchange's clock against this
 * machine's, the balance, the market's steps and minimum, an order lookup by client id, a small post-only buy
 * resting far below the price (found by its client id and cancelled), and, with `trade`, the
 * smallest market round trip with its stop resting far from the price, found by its client id and cancelled
 * after the close. Tradedeck's stops are reduce-only (ccxt makes Bybit's so whatever is asked), and the exchanges
 * refuse a reduce-only order with no position beside it, so the stop is part of the round trip. The
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
      return record({ name, ok: false, detail: options.explain ? await options.explain(error) : errorMessage(error) })
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

  if (
    !(await attempt('Resting order', async () => {
      const last = await mark()
      const ratio = restingBuyRatio(venue, instrument)
      const price = last.times(ratio).toDecimalPlaces(venue.precision(instrument)?.price ?? 2, Decimal.ROUND_DOWN)
      const size = tradeSize(venue, instrument, minimum, price)
      const request = {
        instrument,
        side: 'buy' as const,
        quantity: size,
        clientOrderId: id(),
        reduceOnly: false,
        limit: { price: price.toString() },
      }
      const resting = (state: ExchangeOrderState) => state.status === 'open'
      const said = `A post-only buy of ${size} at ${price.toString()} (${new Decimal(1).minus(ratio).times(100).toFixed(0)}% below the last price)`
      // Whatever the exchange did with it is wanted: an order it cancelled at once must be said, not waited for.
      const placed = await placedOnce(venue, request, () => true, id).catch(async (error: unknown) => {
        const why = options.explain ? await options.explain(error) : errorMessage(error)
        throw new Error(`${said} was refused. ${why}`)
      })
      if (!placed) throw new Error(`${said} was not found on ${label} by its client id ${request.clientOrderId}.`)
      if (placed.status !== 'open')
        throw new Error(`${said} reads ${placed.status} instead of resting: the exchange would not rest it.`)
      const found = await lookedUp(venue, instrument, placed.clientOrderId, resting)
      if (found.length !== 1) throw new Error(`Looked up by its client id, ${said} was found ${found.length} times.`)
      requireStatus(found[0]!, 'open', `${said}, looked up by its client id,`)
      if (!(await cancelledOnce(venue, instrument, placed.id)))
        throw new Error(`${said} still rests after its cancel: cancel it on ${label}.`)
      // How it ended, read as patiently as it was found: a lagging read may not list it yet, or still show it open.
      const over = (state: ExchangeOrderState) => state.status !== 'open'
      const ended = (await lookedUp(venue, instrument, placed.clientOrderId, over)).filter(over).at(-1)
      if (!ended) throw new Error(`${said} was cancelled, but how it ended could not be read: check it on ${label}.`)
      if (new Decimal(ended.filled).gt(0)) {
        // The price came down to it before the cancel: what it bought is sold back, so the step holds nothing.
        const held = venue.wholeSteps(
          instrument,
          new Decimal(ended.filled).minus(ended.feeFromFilled ?? '0').toString(),
        )
        const sold = await filledOrLookedUp(
          venue,
          { instrument, side: 'sell', quantity: held, clientOrderId: id(), reduceOnly: true },
          id,
        ).catch(() => null)
        throw new Error(
          `${said} filled ${ended.filled} before its cancel${sold ? ', and was sold back' : `: sell ${held} back on ${label} yourself`}.`,
        )
      }
      return `${said} rested, was found by its client id ${placed.clientOrderId}, and was cancelled.`
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
