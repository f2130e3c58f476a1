import type { ExchangeId } from '../../../../shared/domain'
import type { ExchangeBroker } from '../exchanges/exchange-broker'
import type { Broker } from './broker'
import type { paperTrading } from './paper-trading'
import type { Venue } from './venue'

/** One profile's trading: its service (ideas, risk, account) and its paper broker. */
export type ProfileTrading = ReturnType<typeof paperTrading>

/**
 * Each profile's trading and its brokers, as the strategies, the exchanges' operations and the
 * handlers see it. The wiring builds it (one service per profile, one broker per exchange it trades on).
 */
export interface TradingDesks {
  for(userId: string): ProfileTrading
  /** The broker an instance on this venue trades through: the paper broker, or the profile's exchange broker. */
  brokerFor(userId: string, venue: Venue): Broker
  /** The profile's exchange broker for a venue; its key is unsealed when the exchange is first reached. */
  exchangeBrokerFor(userId: string, exchange: ExchangeId, environment: 'testnet' | 'live'): ExchangeBroker
  /** The exchange brokers created so far for a profile (those it has traded or reconciled on). */
  exchangeBrokersOf(userId: string): ExchangeBroker[]
}
