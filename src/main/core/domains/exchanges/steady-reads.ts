import type { OrderVenue } from './order-venue'
import { retrying } from './retrying'

/** Tries per read: a passing fault costs a wait or two, an outage one and a half polls before it is said. */
const TRIES = 3

/**
 * The venue with its reads tried again through a passing fault (a 429, a reply lost, an exchange's 5xx): reading
 * twice changes nothing, and a poll or reconciliation that failed on one such read would leave the desk behind the
 * exchange until the next. Orders, cancels and amends go as they are: only their callers know what a second send does.
 * The first retry waits `firstWaitMs` (the exchange timing's backoff, half a poll), each further one twice as long.
 */
export function withSteadyReads(venue: OrderVenue, firstWaitMs: number): OrderVenue {
  const steady =
    <A extends unknown[], T>(read: (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> =>
      retrying(() => read(...args), {
        transient: async (error) => (await venue.classify(error)) !== 'refused',
        waitMs: (attempt) => firstWaitMs * 2 ** (attempt - 1),
        tries: TRIES,
      })
  return {
    ...venue,
    findByClientId: steady(venue.findByClientId),
    fetch: steady(venue.fetch),
    holdings: steady(venue.holdings),
    clockSkewMs: steady(venue.clockSkewMs),
    funds: steady(venue.funds),
    closedMinuteCandles: steady(venue.closedMinuteCandles),
  }
}
