/** The exchanges Tradedeck reaches, their keys, reconciliation and candle downloads. */

/** The exchanges Tradedeck reaches through ccxt. */
export const EXCHANGE_IDS = ['deribit', 'binance', 'binanceusdm', 'bybit'] as const
export type ExchangeId = (typeof EXCHANGE_IDS)[number]

export interface ExchangeCapabilities {
  id: ExchangeId
  label: string
  markets: string
  orderTypes: string[]
  /** Stop-loss and take-profit the exchange holds itself, attached to the order. */
  nativeStopLoss: boolean
  nativeTakeProfit: boolean
  /** How an instance's trailing stop and break-even work here, in words. */
  trailingStop: string
  /** A trailing stop order that trails by a price distance, used for a trail the trader sets on one position. */
  nativeTrailing: boolean
  /** Candles pushed over WebSocket (ccxt's watchOHLCV); otherwise polled. */
  streamsCandles: boolean
  testnet: boolean
  /** A key's permissions Tradedeck can read, to warn about withdrawal rights. */
  readsKeyPermissions: boolean
  /** It holds no shorts (spot): a short idea is refused before it waits for anyone. */
  longOnly: boolean
  /** Whether strategy instances may trade on it from Tradedeck: only where its order path is verified. */
  placesOrders: boolean
  verified: string
}

/** One step of an exchange's certification, said in words: what was tried, and what the exchange did. */
export interface CertifyStep {
  name: string
  ok: boolean
  detail: string
}

export interface CertifyResult {
  exchange: ExchangeId
  environment: 'testnet' | 'live'
  passed: boolean
  /** Whether the round trip was asked for: without it nothing is bought or sold, so no stop rests on the exchange. */
  traded: boolean
  steps: CertifyStep[]
}

/** What a certification that passed leaves untried without the round trip, in words. */
export const UNTRADED_CERTIFICATION =
  'nothing was bought or sold, so no stop rested on the exchange (a stop closes a position, and the exchange refuses one with none)'

/** One venue's reconciliation: what differed from the exchange (each also a `reconciled` decision row) and its clock. */
export interface ReconcileView {
  exchange: ExchangeId
  environment: 'testnet' | 'live'
  differences: string[]
  /** The exchange's clock minus this machine's, in ms; null when it could not be reached. */
  clockSkewMs: number | null
  /** How far off the exchange accepts a signed request; entries are refused beyond it. */
  receiveWindowMs: number | null
  error: string | null
}

export interface FlattenReport {
  halted: true
  venues: {
    exchange: ExchangeId
    environment: 'testnet' | 'live'
    /** This desk's own orders cancelled (entries, and the stops and targets of positions that closed); the trader's own stay. */
    cancelled: number
    closed: number
    /** Each position whose close failed or has not filled, with why; it keeps its stop. */
    failed: { symbol: string; reason: string }[]
    error: string | null
  }[]
  /** Paper positions closed at the last price seen, and each that could not be, with why. */
  paper: { closed: number; failed: { symbol: string; reason: string }[] }
  /** Exchange positions still open afterwards (a venue that failed, or a close still filling). */
  openPositions: number
}

/** An exchange key as the renderer may see it: never the key or its secret. */
export interface ExchangeKeyView {
  id: string
  exchange: ExchangeId
  environment: 'testnet' | 'live'
  /** The key's last four characters, to tell keys apart. */
  label: string
  createdAt: string
}

/** What "Test" found out about a key, from the exchange itself. */
export interface ExchangeKeyTest {
  accountId: string | null
  balances: { currency: string; total: string; free: string | null }[]
  /** Null when the exchange does not say what the key may do. */
  canTrade: boolean | null
  canWithdraw: boolean | null
  warnings: string[]
  checkedAt: string
}

/** A candle history download from an exchange into the desk's market data. */
export interface CandleDownloadResult {
  exchange: ExchangeId
  symbol: string
  timeframe: string
  from: string
  to: string
  received: number
  inserted: number
  requests: number
  retries: number
}
