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
    'a trail the trader sets on one position rests as Deribit’s own trailing_stop (trigger_offset: a price distance), handed over once a close tightens the stop; with break-even too, and for an instance’s rules, a resting stop Tradedeck moves at each close (a backtest of closed candles cannot reproduce a trail in real time)',
  nativeTrailing: true,
  streamsCandles: true,
  testnet: true,
  longOnly: false,
  readsKeyPermissions: true,
  placesOrders: true,
  verified:
    'key test, candle history, live candles (WebSocket and polled), market orders placed exactly once by label, fills, native stop-loss and take-profit, reconciliation and flatten, against the local JSON-RPC stand-in (HTTP and WebSocket)',
}
