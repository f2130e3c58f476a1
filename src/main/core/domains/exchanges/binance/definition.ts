import type { ExchangeDefinition } from '../exchange-definition'
import { binanceKeyPermissions, withoutMarginPairs } from './key-restrictions'
import { binanceSpotVenue } from './venue'
import { BINANCE_SPOT } from './capabilities'

export const binance: ExchangeDefinition = {
  capabilities: BINANCE_SPOT,
  configureClient(exchange) {
    // Tradedeck reaches Binance's futures through binanceusdm, so `binance` is spot alone.
    Object.assign(exchange.options, { fetchMarkets: { types: ['spot'] }, defaultType: 'spot' })
    withoutMarginPairs(exchange)
  },
  readKeyPermissions: (exchange, _key, environment) =>
    binanceKeyPermissions(exchange, environment, 'enableSpotAndMarginTrading'),
  tradeRight: 'it lacks Enable Spot & Margin Trading',
  withdrawRight: 'Enable Withdrawals',
  openVenue: binanceSpotVenue,
  // Binance's newClientOrderId: at most 36 characters.
  clientIdMaxLength: 36,
  // Binance's API keys and HMAC secrets are both 64 characters (Binance Spot API docs, "API Key Setup").
  keyLengths: { apiKey: 64, secret: 64 },
}
