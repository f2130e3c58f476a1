import type { ExchangeCapabilities } from '../../../../../shared/domain'

/** What Bybit offers; its venue names the exchange by this label too. */
export const BYBIT: ExchangeCapabilities = {
  id: 'bybit',
  label: 'Bybit',
  markets:
    'spot, USDT and USDC perpetuals, inverse contracts; Tradedeck trades the linear (USDT and USDC) perpetuals in a unified account, one-way mode',
  orderTypes: ['market', 'limit', 'conditional'],
  nativeStopLoss: true,
  nativeTakeProfit: true,
  trailingStop:
    'a resting stop Tradedeck moves at each close; Bybit’s trailingStop is not used: it is set on the position through position/trading-stop, with no order id or orderLinkId, so it cannot be placed exactly once by a client id or found again after a crash',
  nativeTrailing: false,
  streamsCandles: true,
  testnet: true,
  longOnly: false,
  readsKeyPermissions: true,
  placesOrders: true,
  verified:
    'key test with its permissions, candle history, live candles (WebSocket kline topic and polled), market orders placed exactly once by orderLinkId, fills and their fees, native stop-loss and take-profit (conditional reduce-only market orders), reconciliation and flatten, against the local v5 stand-in (REST and WebSocket)',
}
