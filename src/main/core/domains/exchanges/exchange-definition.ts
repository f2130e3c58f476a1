import type { Exchange } from 'ccxt'
import type { ExchangeCapabilities } from '../../../../shared/domain'
import type { ExchangeEnvironment, ExchangeKey } from './exchange-client'
import type { ExchangeOrders } from './order-venue'

/** What a key may do, as the exchange says; `unreadable` says why it does not in this environment. */
export type KeyPermissions =
  { canTrade: boolean; canWithdraw: boolean; accountId: string | null } | { unreadable: string }

/**
 * Everything Tradedeck knows of one exchange, in its own folder: what it offers, how its ccxt
 * client is set up, how a key's permissions are read, its order path, and the client ids it takes.
 * `registry.ts` lists them; that list is the only place an exchange is named.
 */
export interface ExchangeDefinition {
  capabilities: ExchangeCapabilities
  /** ccxt options the exchange needs before its first request. */
  configureClient?(exchange: Exchange): void
  readKeyPermissions(exchange: Exchange, key: ExchangeKey, environment: ExchangeEnvironment): Promise<KeyPermissions>
  /** The trading right a key lacks when it cannot trade, in the exchange's own words. */
  tradeRight: string
  /** The exchange's name for the right to withdraw, as its key settings show it. */
  withdrawRight: string
  /** The order path, where it is written and verified against a stand-in (`capabilities.placesOrders`). */
  openVenue?(exchange: Exchange): Promise<ExchangeOrders>
  /** The longest client order id the exchange accepts (Deribit's label, Binance's newClientOrderId, Bybit's orderLinkId). */
  clientIdMaxLength: number
  /**
   * The fewest characters a real key and secret of this exchange have. A shorter one is a
   * paste gone wrong, and is refused before it is stored: its label would show too much of it.
   */
  keyLengths: { apiKey: number; secret: number }
}
