import type { ExchangeCapabilities } from '../../../../../shared/domain'

/** Binance spot's capabilities; its venue names the exchange by this label too. */
export const BINANCE_SPOT: ExchangeCapabilities = {
  id: 'binance',
  label: 'Binance (spot)',
  markets:
    'spot pairs; Tradedeck buys and sells them long-only, and its stop-loss and take-profit are watched by Tradedeck (a resting spot stop locks the whole holding, so a stop and a target cannot both rest)',
  orderTypes: ['market', 'limit', 'stop_loss', 'take_profit'],
  nativeStopLoss: false,
  nativeTakeProfit: false,
  trailingStop:
    'watched by Tradedeck, which moves the level at each close (spot’s trailingDelta is not used: it trails by a percentage in basis points, not a price distance, and spot stops are watched as the stops are)',
  nativeTrailing: false,
  streamsCandles: true,
  testnet: true,
  longOnly: true,
  readsKeyPermissions: true,
  placesOrders: true,
  verified:
    'key test (what a live key may do, from its API restrictions; Binance’s testnets do not say), candle history, live candles (WebSocket kline stream and polled), long-only market orders placed exactly once by newClientOrderId, fills with the buy fee taken in the coin bought, positions reconciled against the wallet (never adopting the trader’s own coins) and flatten, against the local /api/v3 stand-in (REST and WebSocket)',
}
