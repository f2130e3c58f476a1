/** Backtest runs and the figures they are judged by. */

/** The figures a backtest is judged by. Money in the quote currency, ratios as plain numbers. */
export interface BacktestStats {
  startingEquity: string
  endingEquity: string
  netPnl: string
  returnPct: number
  tradeCount: number
  winRate: number | null
  /** Gross profit over gross loss; null when nothing was lost. */
  profitFactor: number | null
  maxDrawdown: string
  maxDrawdownPct: number
  /** Annualised for the candle length. */
  sharpe: number | null
  sortino: number | null
  /** Share of candles with a position open. */
  exposure: number
  averageWin: string | null
  averageLoss: string | null
  /** The longest stretch below a previous equity peak. */
  longestDrawdownCandles: number
  longestDrawdownMs: number
}

export interface BacktestTrade {
  direction: 'long' | 'short'
  quantity: string
  entryTs: string
  entryPrice: string
  exitTs: string
  exitPrice: string
  /** `strategy`: the strategy's own exit (a rules instance's time exit). */
  exitReason: 'stop_loss' | 'take_profit' | 'strategy' | 'end_of_data'
  realizedPnl: string
  fees: string
  netPnl: string
}

/** [time (ms), equity, drawdown % from the peak so far]. */
export type EquityPointTuple = [number, number, number]
/** [time (ms), open, high, low, close]: the run's candles, merged to what a chart can show. */
export type ChartBar = [number, number, number, number, number]

export interface BacktestRunSummary {
  id: string
  name: string
  kind: string
  symbol: string
  timeframe: string
  source: 'synthetic' | 'stored' | 'csv'
  seed: number | null
  dataFrom: string
  dataTo: string
  candles: number
  appVersion: string
  durationMs: number
  createdAt: string
  stats: BacktestStats
}

export interface BacktestRun extends BacktestRunSummary {
  config: Record<string, unknown>
  trades: BacktestTrade[]
  equity: EquityPointTuple[]
  bars: ChartBar[]
}
