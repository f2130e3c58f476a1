import type { Store } from '../store/store'
import { BrokerError } from './broker'
import { PaperBroker, type PaperBrokerOptions } from './paper-broker'
import { TradingService, type TradingServiceOptions, type Venue } from './trading-service'

/**
 * A user's trading service wired to a paper broker: every fill records its
 * decision row, moves the idea to executed and snapshots the account, all in
 * the fill's own transaction.
 */
export function paperTrading(store: Store, userId: string, options: PaperBrokerOptions & Pick<TradingServiceOptions, 'now' | 'events'> = {}) {
  const broker = new PaperBroker(store, userId, {
    ...options,
    withinFill: async (tx, fill) => {
      await service.recordFill(tx, fill)
      await service.recordAccountSnapshot(tx, fill.userId, fill.filledAt)
    },
    withinClose: async (tx, trade) => service.recordAccountSnapshot(tx, userId, trade.closedAt),
  })
  // The broker's callbacks run only after construction, so they can close over the service below.
  const brokerFor = (_userId: string, venue: Venue) => {
    if (venue.broker === broker.name && venue.environment === broker.environment) return broker
    throw new BrokerError(`No adapter for ${venue.broker} (${venue.environment}) is installed yet; only the paper broker can execute. The approval is kept: retry once the adapter exists.`)
  }
  const service: TradingService = new TradingService(store, {
    brokerFor,
    ...(options.now ? { now: options.now } : {}),
    ...(options.events ? { events: options.events } : {}),
  })
  return { service, broker }
}
