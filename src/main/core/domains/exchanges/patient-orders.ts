import type { ExchangeOrderState, OrderVenue, PlaceRequest } from './order-venue'
import { retrying } from './retrying'

/*
 * Orders placed, looked up and cancelled through the faults an exchange has on a bad day (429s, lost replies, reads
 * that lag its matching), for a sequence that must finish without leaving anything behind: the certification.
 */

/** Tries per request, and the wait before each retry: a 429 or a dropped reply is tried again over about six seconds. */
const TRIES = 6
const waitMs = (attempt: number) => 200 * 2 ** (attempt - 1)

/** A read retried while the exchange limits requests or its answer is lost: reading twice changes nothing. */
export function steadily<T>(venue: OrderVenue, read: () => Promise<T>): Promise<T> {
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
export async function lookedUp(
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
export async function placedOnce(
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
export const filledOrLookedUp = (venue: OrderVenue, request: PlaceRequest, newId: () => string) =>
  placedOnce(venue, request, (state) => state.status === 'filled', newId)

/**
 * Cancels an order, through lost replies and lagging reads: an order already gone counts as cancelled, and a read
 * still showing it open is read again. True once it rests no more.
 */
export async function cancelledOnce(venue: OrderVenue, instrument: string, id: string): Promise<boolean> {
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
