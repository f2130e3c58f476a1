import type { Store } from '../../platform/store/store'
import type { Order } from '../../platform/store/repositories/execution'
import type { Repositories } from '../../platform/store/store'
import { BrokerError, type Broker, type FillEvent } from './broker'
import { PaperBroker, type PaperBrokerOptions } from './paper-broker'
import { TradingService, type TradingServiceOptions } from './trading-service'
import { type Venue } from './venue'

/** What a broker on another venue records through the service, inside its own transactions. */
export interface VenueHooks {
  withinFill(tx: Repositories, fill: FillEvent): Promise<void>
  withinUnfilled(tx: Repositories, order: Order, reason: string): Promise<void>
}

export interface TradingWiringOptions extends PaperBrokerOptions, Pick<TradingServiceOptions, 'now' | 'events'> {
  /** The broker for a venue other than paper (an exchange), or null when there is none for it. */
  otherVenue?: (venue: Venue, hooks: VenueHooks) => Broker | null
}

/**
 * A user's trading service wired to a paper broker, and to exchange brokers where
 * an adapter exists: every fill records its decision row and moves the idea to
 * executed in the fill's own transaction; a paper fill also snapshots the paper account.
 */
export function paperTrading(store: Store, userId: string, options: TradingWiringOptions = {}) {
  const broker = new PaperBroker(store, userId, {
    ...options,
    withinFill: async (tx, fill) => {
      await service.recordFill(tx, fill)
      await service.book.recordSnapshot(tx, fill.userId, fill.filledAt)
    },
    withinClose: async (tx, trade) => {
      await service.book.recordSnapshot(tx, userId, trade.closedAt)
    },
  })
  const hooks: VenueHooks = {
    withinFill: (tx, fill) => service.recordFill(tx, fill),
    withinUnfilled: (tx, order, reason) => service.recordUnfilled(tx, order, reason),
  }
  // The broker's callbacks run only after construction, so they can close over the service below.
  const brokerFor = (_userId: string, venue: Venue) => {
    if (venue.broker === broker.name && venue.environment === broker.environment) return broker
    const other = options.otherVenue?.(venue, hooks)
    if (other) return other
    throw new BrokerError(
      `No adapter for ${venue.broker} (${venue.environment}) is installed; the approval is kept: retry once the adapter exists.`,
    )
  }
  const service: TradingService = new TradingService(store, {
    brokerFor,
    ...(options.now ? { now: options.now } : {}),
    ...(options.events ? { events: options.events } : {}),
  })
  return {
    service,
    book: service.book,
    risk: service.risk,
    broker,
    brokerFor: (venue: Venue) => brokerFor(userId, venue),
  }
}
