import type { CoreEvents } from '../platform/events'
import type { Store } from '../platform/store/store'
import type { SecretBox } from '../platform/central/secret-box'
import { announceLater } from '../domains/notifications/notifier'
import { EXCHANGES, isExchangeId, type ExchangeId } from '../domains/exchanges/registry'
import { ExchangeBroker } from '../domains/exchanges/exchange-broker'
import { exchangeFailure, keyFor } from '../domains/exchanges/exchange-keys'
import type { OrderVenue } from '../domains/exchanges/order-venue'
import { passingFailure, retrying } from '../domains/exchanges/retrying'
import { withSteadyReads } from '../domains/exchanges/steady-reads'
import { exchangeTiming } from '../domains/exchanges/exchange-client'
import { openVenue } from '../domains/exchanges/registry'
import { BrokerError, type Broker, type FillEvent } from '../domains/trading/broker'
import { paperTrading, type VenueHooks } from '../domains/trading/paper-trading'
import type { Venue } from '../domains/trading/venue'
import type { ProfileTrading, TradingDesks } from '../domains/trading/trading-desks'

const isExchangeVenue = (venue: Venue): venue is { broker: ExchangeId; environment: 'testnet' | 'live' } =>
  isExchangeId(venue.broker) && venue.environment !== 'paper'

/**
 * One trading service per user, created on first use, with its paper broker and
 * an exchange broker per exchange and environment it trades on. Fills are
 * announced as events so every window refreshes its queue and account.
 */
export class TradingRegistry implements TradingDesks {
  private readonly wirings = new Map<string, ProfileTrading>()
  private readonly exchangeBrokers = new Map<string, ExchangeBroker>()

  constructor(
    private readonly store: () => Store,
    private readonly events: CoreEvents,
    /** Where exchange keys are unsealed; a registry without one (a bench, a test of paper only) trades on paper alone. */
    private readonly secrets: () => SecretBox | null = () => null,
  ) {}

  for(userId: string): ProfileTrading {
    let wiring = this.wirings.get(userId)
    if (!wiring) {
      wiring = paperTrading(this.store(), userId, {
        events: this.events,
        otherVenue: (venue, hooks) => (isExchangeVenue(venue) ? this.exchangeBroker(userId, venue, hooks) : null),
      })
      this.announceFills(wiring.broker)
      this.wirings.set(userId, wiring)
    }
    return wiring
  }

  /** The broker an instance on this venue trades through: the paper broker, or the profile's exchange broker. */
  brokerFor(userId: string, venue: Venue): Broker {
    return this.for(userId).brokerFor(venue)
  }

  /** The exchange brokers created so far for a profile (those it has traded or reconciled on). */
  exchangeBrokersOf(userId: string): ExchangeBroker[] {
    return [...this.exchangeBrokers.entries()]
      .filter(([key]) => key.startsWith(`${userId}\u0000`))
      .map(([, broker]) => broker)
  }

  /** The profile's exchange broker for a venue; its key is unsealed when the exchange is first reached. */
  exchangeBrokerFor(userId: string, exchange: ExchangeId, environment: 'testnet' | 'live'): ExchangeBroker {
    return this.for(userId).brokerFor({ broker: exchange, environment }) as ExchangeBroker
  }

  private exchangeBroker(
    userId: string,
    venue: { broker: ExchangeId; environment: 'testnet' | 'live' },
    hooks: VenueHooks,
  ): ExchangeBroker {
    const key = `${userId}\u0000${venue.broker}\u0000${venue.environment}`
    let broker = this.exchangeBrokers.get(key)
    if (!broker) {
      let opened: Promise<OrderVenue> | null = null
      const open = async (): Promise<OrderVenue> => {
        const secrets = this.secrets()
        const secret = secrets
          ? await keyFor({ store: this.store(), secrets }, userId, venue.broker, venue.environment)
          : null
        if (!secret)
          throw new BrokerError(
            `This profile has no ${EXCHANGES[venue.broker].label} ${venue.environment} key. Add one in Settings → Exchanges.`,
          )
        // Opening reads the exchange's markets, which a passing fault may meet. Nothing was sent when it cannot be
        // opened: said in words (a clock past its window among them).
        const { backoffMs } = exchangeTiming()
        const opened = await retrying(() => openVenue(venue.broker, venue.environment, secret), {
          transient: passingFailure,
          waitMs: (attempt) => backoffMs * 2 ** (attempt - 1),
          tries: 4,
        }).catch(async (error: unknown) => {
          throw new BrokerError((await exchangeFailure(venue.broker, error)).message)
        })
        return withSteadyReads(opened, backoffMs)
      }
      broker = new ExchangeBroker({
        store: this.store,
        userId,
        exchange: venue.broker,
        environment: venue.environment,
        // Opened once; a failure (no key yet, the exchange unreachable) is tried again on the next call.
        venue: () =>
          (opened ??= open().catch((error: unknown) => {
            opened = null
            throw error
          })),
        withinFill: hooks.withinFill,
        withinUnfilled: hooks.withinUnfilled,
        afterSync: () => this.for(userId).service.checkVenueLimits(userId, venue),
        onProtection: (notice) => {
          this.events.emit('account:changed', {})
          announceLater(this.store(), this.events, userId, { event: 'protection', ...notice })
        },
      })
      this.announceFills(broker)
      this.exchangeBrokers.set(key, broker)
    }
    return broker
  }

  private announceFills(broker: Broker): void {
    broker.onFill((fill) => {
      this.events.emit('ideas:changed', { ideaId: fill.tradeIdeaId })
      this.events.emit('account:changed', {})
      void this.announceFill(fill)
    })
  }

  private async announceFill(fill: FillEvent): Promise<void> {
    const order = await this.store()
      .orders.get(fill.userId, fill.orderId)
      .catch(() => null)
    const what = order ? `${order.side} ${fill.quantity} ${order.symbol}` : `${fill.quantity}`
    announceLater(this.store(), this.events, fill.userId, {
      event: 'fill',
      title: `Filled: ${what} at ${fill.price}`,
      body: `Fee ${fill.fee}.`,
      ideaId: fill.tradeIdeaId,
    })
  }

  /** After a restore the store is new; services built on the old one must go. */
  reset(): void {
    for (const broker of this.exchangeBrokers.values()) broker.stopPolling()
    this.exchangeBrokers.clear()
    this.wirings.clear()
  }
}
