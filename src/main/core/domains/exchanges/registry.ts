import type { Exchange } from 'ccxt'
import { EXCHANGE_IDS, type ExchangeCapabilities, type ExchangeId } from '../../../../shared/domain'
import { BrokerError } from '../trading/broker'
import { binance } from './binance/definition'
import { binanceusdm } from './binanceusdm/definition'
import { bybit } from './bybit/definition'
import { deribit } from './deribit/definition'
import type { ExchangeDefinition } from './exchange-definition'
import { closedMinuteCandles, openCcxtClient, type ExchangeEnvironment, type ExchangeKey } from './exchange-client'
import {
  fundsOf,
  minimumCostOf,
  lowestBuyRatioOf,
  minimumQuantityOf,
  precisionOf,
  receiveWindowOf,
  wholeStepsOf,
  type OrderVenue,
} from './order-venue'

export { EXCHANGE_IDS, type ExchangeId } from '../../../../shared/domain'

/**
 * The exchanges Tradedeck reaches through ccxt, one folder each. Adding one is its folder, its
 * line here and its id in the contract's EXCHANGE_IDS (which the compiler then holds this list to).
 */
export const EXCHANGE_DEFINITIONS: Record<ExchangeId, ExchangeDefinition> = { deribit, binance, binanceusdm, bybit }

export const isExchangeId = (name: string): name is ExchangeId => (EXCHANGE_IDS as readonly string[]).includes(name)

/**
 * What each exchange offers. Shown in Settings → Exchanges and the README. `verified` says how far
 * Tradedeck's own tests exercise the real ccxt code for the exchange: no exchange is reachable from
 * the machines the tests run on, so they speak to a local stand-in of the exchange's wire protocol.
 */
export const EXCHANGES = Object.fromEntries(
  EXCHANGE_IDS.map((id) => [id, EXCHANGE_DEFINITIONS[id].capabilities]),
) as Record<ExchangeId, ExchangeCapabilities>

/** A ccxt client for one exchange and environment, set up as that exchange needs. */
export function openExchange(
  id: ExchangeId,
  environment: ExchangeEnvironment,
  key?: ExchangeKey,
  options: { streaming?: boolean } = {},
): Promise<Exchange> {
  return openCcxtClient(id, environment, key, { ...options, configure: EXCHANGE_DEFINITIONS[id].configureClient })
}

export const venueIsWritten = (id: ExchangeId): boolean => EXCHANGE_DEFINITIONS[id].openVenue !== undefined

/** The order path of one exchange and environment, with the profile's key. */
export async function openVenue(
  id: ExchangeId,
  environment: ExchangeEnvironment,
  key: ExchangeKey,
): Promise<OrderVenue> {
  const { openVenue: venue, capabilities } = EXCHANGE_DEFINITIONS[id]
  if (!venue || !capabilities.placesOrders)
    throw new BrokerError(
      `Tradedeck does not place orders on ${capabilities.label} yet: its order path is not verified.`,
    )
  const exchange = await openExchange(id, environment, key)
  return {
    ...(await venue(exchange)),
    closedMinuteCandles: (instrument, sinceMs) => closedMinuteCandles(exchange, instrument, sinceMs),
    funds: (instrument) => fundsOf(exchange, instrument),
    wholeSteps: (instrument, quantity) => wholeStepsOf(exchange, instrument, quantity),
    precision: (instrument) => precisionOf(exchange, instrument),
    receiveWindowMs: receiveWindowOf(exchange),
    minimumQuantity: (instrument) => minimumQuantityOf(exchange, instrument),
    minimumCost: (instrument) => minimumCostOf(exchange, instrument),
    lowestBuyRatio: (instrument) => lowestBuyRatioOf(exchange, instrument),
  }
}
