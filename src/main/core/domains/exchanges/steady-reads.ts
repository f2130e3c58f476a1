import type { OrderVenue } from './order-venue'
import { retrying } from './retrying'

/** Tries per read, and the wait before each retry: a passing fault costs a fraction of a poll, an outage about a second. */
const TRIES = 3
const waitMs = (attempt: number) => 200 * 2 ** (attempt - 1)

/**
 * The venue with its reads tried again through a passing fault (a 429, a reply lost, an exchange's 5xx): reading
 * twice changes nothing, and a poll or reconciliation that failed on one such read would leave the desk behind the
 * exchange until the next. Orders, cancels and amends go as they are: only their callers know what a second send does.
 */
export function withSteadyReads(venue: OrderVenue): OrderVenue {
  const steady =
    <A extends unknown[], T>(read: (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> =>
      retrying(() => read(...args), {
        transient: async (error) => (await venue.classify(error)) !== 'refused',
        waitMs,
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
