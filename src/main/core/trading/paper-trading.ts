import type { Store } from '../store/store'
import { PaperBroker, type PaperBrokerOptions } from './paper-broker'
import { TradingService } from './trading-service'

/**
 * A user's trading service wired to a paper broker: every fill records its
 * decision row, moves the idea to executed and snapshots the account, all in
 * the fill's own transaction.
 */
export function paperTrading(store: Store, userId: string, options: PaperBrokerOptions & { now?: () => Date } = {}) {
  const broker = new PaperBroker(store, userId, {
    ...options,
    withinFill: async (tx, fill) => {
      await service.recordFill(tx, fill)
      await service.recordAccountSnapshot(tx, fill.userId, fill.filledAt)
    },
    withinClose: async (tx, trade) => service.recordAccountSnapshot(tx, userId, trade.closedAt),
  })
  // The broker's callbacks run only after construction, so they can close over the service below.
  const service: TradingService = new TradingService(store, { brokerFor: () => broker, ...(options.now ? { now: options.now } : {}) })
  return { service, broker }
}
