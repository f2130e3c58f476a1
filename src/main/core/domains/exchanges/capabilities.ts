import type { ExchangeCapabilities, ExchangeId } from '../../../../shared/domain'

import { EXCHANGE_IDS } from '../../../../shared/domain'

export { EXCHANGE_IDS, type ExchangeId } from '../../../../shared/domain'

export const isExchangeId = (name: string): name is ExchangeId => (EXCHANGE_IDS as readonly string[]).includes(name)

/**
 * The exchanges Tradedeck reaches through ccxt, and what each offers. Shown in
 * Settings → Exchanges and the README. `verified` says how far Tradedeck's own
 * tests exercise the real ccxt code for the exchange: no exchange is reachable
 * from the machines the tests run on, so they speak to a local stand-in of the
 * exchange's wire protocol.
 */
export const EXCHANGES: Record<ExchangeId, ExchangeCapabilities> = {
  deribit: {
    id: 'deribit',
    label: 'Deribit',
    markets: 'BTC and ETH perpetuals, futures and options; Tradedeck trades the USDC-margined (linear) perpetuals',
    orderTypes: ['market', 'limit', 'stop_market', 'stop_limit'],
    nativeStopLoss: true,
    nativeTakeProfit: true,
    streamsCandles: true,
    testnet: true,
    longOnly: false,
    readsKeyPermissions: true,
    placesOrders: true,
    verified:
      'key test, candle history, live candles (WebSocket and polled), market orders placed exactly once by label, fills, native stop-loss and take-profit, reconciliation and flatten, against the local JSON-RPC stand-in (HTTP and WebSocket)',
  },
  binance: {
    id: 'binance',
    label: 'Binance (spot)',
    markets:
      'spot pairs; Tradedeck buys and sells them long-only, and its stop-loss and take-profit are watched by Tradedeck (a resting spot stop locks the whole holding, so a stop and a target cannot both rest)',
    orderTypes: ['market', 'limit', 'stop_loss', 'take_profit'],
    nativeStopLoss: false,
    nativeTakeProfit: false,
    streamsCandles: true,
    testnet: true,
    longOnly: true,
    readsKeyPermissions: true,
    placesOrders: true,
    verified:
      'key test (what a live key may do, from its API restrictions; Binance’s testnets do not say), candle history, live candles (WebSocket kline stream and polled), long-only market orders placed exactly once by newClientOrderId, fills with the buy fee taken in the coin bought, positions reconciled against the wallet (never adopting the trader’s own coins) and flatten, against the local /api/v3 stand-in (REST and WebSocket)',
  },
  binanceusdm: {
    id: 'binanceusdm',
    label: 'Binance USD-M futures',
    markets: 'USDT- and USDC-margined perpetuals and futures; Tradedeck trades them in a one-way account',
    orderTypes: ['market', 'limit', 'stop_market', 'take_profit_market'],
    nativeStopLoss: true,
    nativeTakeProfit: true,
    streamsCandles: true,
    testnet: true,
    longOnly: false,
    readsKeyPermissions: true,
    placesOrders: true,
    verified:
      'key test (what a live key may do, from its API restrictions; Binance’s testnets do not say), candle history, live candles (WebSocket kline stream and polled), market orders placed exactly once by newClientOrderId, fills and their fees, native stop-loss and take-profit (conditional orders in the algo service, by clientAlgoId), reconciliation and flatten, against the local /fapi stand-in (REST and WebSocket)',
  },
  bybit: {
    id: 'bybit',
    label: 'Bybit',
    markets:
      'spot, USDT and USDC perpetuals, inverse contracts; Tradedeck trades the linear (USDT and USDC) perpetuals in a unified account, one-way mode',
    orderTypes: ['market', 'limit', 'conditional'],
    nativeStopLoss: true,
    nativeTakeProfit: true,
    streamsCandles: true,
    testnet: true,
    longOnly: false,
    readsKeyPermissions: true,
    placesOrders: true,
    verified:
      'key test with its permissions, candle history, live candles (WebSocket kline topic and polled), market orders placed exactly once by orderLinkId, fills and their fees, native stop-loss and take-profit (conditional reduce-only market orders), reconciliation and flatten, against the local v5 stand-in (REST and WebSocket)',
  },
}
