import type { Exchange } from 'ccxt'
import { BrokerError } from '../trading/broker'
import { EXCHANGES, type ExchangeId } from './capabilities'
import { openExchange, type ExchangeEnvironment, type ExchangeKey } from './exchange-client'
import type { OrderVenue } from './order-venue'
import { deribitVenue } from './deribit-venue'
import { binanceSpotVenue } from './binance-spot-venue'
import { binanceFuturesVenue } from './binance-futures-venue'
import { bybitVenue } from './bybit-venue'

/** The exchanges whose order path is written and verified against a stand-in; the capability table's `placesOrders` says the same. */
const ORDER_VENUES: Partial<Record<ExchangeId, (exchange: Exchange) => Promise<OrderVenue>>> = {
  deribit: deribitVenue,
  binance: binanceSpotVenue,
  binanceusdm: binanceFuturesVenue,
  bybit: bybitVenue,
}

export const venueIsWritten = (id: ExchangeId): boolean => ORDER_VENUES[id] !== undefined

/** The order path of one exchange and environment, with the profile's key. */
export async function openVenue(
  id: ExchangeId,
  environment: ExchangeEnvironment,
  key: ExchangeKey,
): Promise<OrderVenue> {
  const venue = ORDER_VENUES[id]
  if (!venue || !EXCHANGES[id].placesOrders)
    throw new BrokerError(
      `Tradedeck does not place orders on ${EXCHANGES[id].label} yet: its order path is not verified.`,
    )
  return venue(await openExchange(id, environment, key))
}
