import type { ExchangeCapabilities } from '../../../../../shared/domain'

/** What Deribit offers; its venue names the exchange by this label too. */
export const DERIBIT: ExchangeCapabilities = {
  id: 'deribit',
  label: 'Deribit',
  markets: 'BTC and ETH perpetuals, futures and options; Tradedeck trades the USDC-margined (linear) perpetuals',
  orderTypes: ['market', 'limit', 'stop_market', 'stop_limit'],
  nativeStopLoss: true,
  nativeTakeProfit: true,
  trailingStop:
    'a resting stop Tradedeck moves at each close; Deribit’s own trailing_stop order is not used: it trails the traded price in real time, which no backtest of closed candles can reproduce',
  streamsCandles: true,
  testnet: true,
  longOnly: false,
  readsKeyPermissions: true,
  placesOrders: true,
  verified:
    'key test, candle history, live candles (WebSocket and polled), market orders placed exactly once by label, fills, native stop-loss and take-profit, reconciliation and flatten, against the local JSON-RPC stand-in (HTTP and WebSocket)',
}
