import type { ExchangeCapabilities } from '../../../../../shared/domain'

/** What Binance USD-M futures offers; its venue names the exchange by this label too. */
export const BINANCE_USDM: ExchangeCapabilities = {
  id: 'binanceusdm',
  label: 'Binance USD-M futures',
  markets: 'USDT- and USDC-margined perpetuals and futures; Tradedeck trades them in a one-way account',
  orderTypes: ['market', 'limit', 'stop_market', 'take_profit_market'],
  nativeStopLoss: true,
  nativeTakeProfit: true,
  trailingStop:
    'a resting stop Tradedeck moves at each close; TRAILING_STOP_MARKET is not used: it trails by a percentage (callbackRate, in steps of 0.1%), which cannot hold a trail given as a price distance, and no backtest of closed candles can reproduce it',
  nativeTrailing: false,
  streamsCandles: true,
  testnet: true,
  longOnly: false,
  readsKeyPermissions: true,
  placesOrders: true,
  verified:
    'key test (what a live key may do, from its API restrictions; Binance’s testnets do not say), candle history, live candles (WebSocket kline stream and polled), market orders placed exactly once by newClientOrderId, fills and their fees, native stop-loss and take-profit (conditional orders in the algo service, by clientAlgoId), reconciliation and flatten, against the local /fapi stand-in (REST and WebSocket)',
}
