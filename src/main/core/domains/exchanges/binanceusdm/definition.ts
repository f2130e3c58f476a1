import type { ExchangeDefinition } from '../exchange-definition'
import { BINANCE_USDM } from './capabilities'
import { binanceKeyPermissions, withoutMarginPairs } from '../binance/key-restrictions'
import { binanceFuturesVenue } from './venue'

export const binanceusdm: ExchangeDefinition = {
  capabilities: BINANCE_USDM,

  configureClient: withoutMarginPairs,
  readKeyPermissions: (exchange, _key, environment) => binanceKeyPermissions(exchange, environment, 'enableFutures'),
  tradeRight: 'it lacks Enable Futures',
  withdrawRight: 'Enable Withdrawals',
  openVenue: binanceFuturesVenue,
  // Binance's newClientOrderId: at most 36 characters.
  clientIdMaxLength: 36,
  // The same Binance account keys as spot: 64 characters each.
  keyLengths: { apiKey: 64, secret: 64 },
}
