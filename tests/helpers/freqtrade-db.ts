import Database from 'better-sqlite3'

/*
 * Freqtrade trade databases as Freqtrade writes them: the current schema (trades with
 * exit_reason, is_short, fee costs, realized_profit; an orders table) and a 2020-era one
 * (sell_reason, buy_tag, one fee column, no orders table). Times are naive UTC text.
 */

export interface FreqtradeTrade {
  id: number
  pair?: string
  exchange?: string
  isOpen?: boolean
  isShort?: boolean
  openRate?: number | null
  closeRate?: number | null
  amount?: number
  openDate?: string
  closeDate?: string | null
  exitReason?: string
  strategy?: string
  /** Dry-run bots give their orders ids starting with dry_run. */
  dryRun?: boolean
}

const CURRENT_SCHEMA = `
CREATE TABLE trades (
  id INTEGER NOT NULL PRIMARY KEY, exchange VARCHAR(25) NOT NULL, pair VARCHAR(25) NOT NULL, base_currency VARCHAR(25), stake_currency VARCHAR(25),
  is_open BOOLEAN NOT NULL, fee_open FLOAT NOT NULL, fee_open_cost FLOAT, fee_open_currency VARCHAR(25), fee_close FLOAT NOT NULL, fee_close_cost FLOAT,
  fee_close_currency VARCHAR(25), open_rate FLOAT NOT NULL, open_rate_requested FLOAT, open_trade_value FLOAT, close_rate FLOAT, close_rate_requested FLOAT,
  realized_profit FLOAT, close_profit FLOAT, close_profit_abs FLOAT, stake_amount FLOAT NOT NULL, max_stake_amount FLOAT, amount FLOAT, amount_requested FLOAT,
  open_date DATETIME NOT NULL, close_date DATETIME, stop_loss FLOAT, stop_loss_pct FLOAT, initial_stop_loss FLOAT, initial_stop_loss_pct FLOAT,
  is_stop_loss_trailing BOOLEAN NOT NULL DEFAULT 0, max_rate FLOAT, min_rate FLOAT, exit_reason VARCHAR(255), exit_order_status VARCHAR(100),
  strategy VARCHAR(100), enter_tag VARCHAR(255), timeframe INTEGER, trading_mode VARCHAR(7), amount_precision FLOAT, price_precision FLOAT,
  precision_mode INTEGER, contract_size FLOAT, leverage FLOAT, is_short BOOLEAN NOT NULL, liquidation_price FLOAT, interest_rate FLOAT NOT NULL,
  funding_fees FLOAT, funding_fee_running FLOAT, record_version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE orders (
  id INTEGER NOT NULL PRIMARY KEY, ft_trade_id INTEGER NOT NULL REFERENCES trades (id), ft_order_side VARCHAR(25) NOT NULL, ft_pair VARCHAR(25) NOT NULL,
  ft_is_open BOOLEAN NOT NULL, ft_amount FLOAT NOT NULL, ft_price FLOAT NOT NULL, ft_cancel_reason VARCHAR(255), order_id VARCHAR(255) NOT NULL,
  status VARCHAR(255), symbol VARCHAR(25), order_type VARCHAR(50), side VARCHAR(25), price FLOAT, average FLOAT, amount FLOAT, filled FLOAT,
  remaining FLOAT, cost FLOAT, stop_price FLOAT, order_date DATETIME, order_filled_date DATETIME, order_update_date DATETIME, funding_fee FLOAT,
  ft_fee_base FLOAT, ft_order_tag VARCHAR(160), CONSTRAINT _order_pair_order_id UNIQUE (ft_pair, order_id)
);
CREATE TABLE pairlocks (id INTEGER NOT NULL PRIMARY KEY, pair VARCHAR(25) NOT NULL, side VARCHAR(25) NOT NULL, reason VARCHAR(255), lock_time DATETIME NOT NULL, lock_end_time DATETIME NOT NULL, active BOOLEAN NOT NULL);
`

const LEGACY_SCHEMA = `
CREATE TABLE trades (
  id INTEGER NOT NULL PRIMARY KEY, exchange VARCHAR NOT NULL, pair VARCHAR NOT NULL, is_open BOOLEAN NOT NULL, fee FLOAT NOT NULL,
  open_rate FLOAT, close_rate FLOAT, close_profit FLOAT, stake_amount FLOAT NOT NULL, amount FLOAT, open_date DATETIME NOT NULL,
  close_date DATETIME, open_order_id VARCHAR, sell_reason VARCHAR, buy_tag VARCHAR, strategy VARCHAR, ticker_interval INTEGER
);
`

function defaults(trade: FreqtradeTrade) {
  const openRate = trade.openRate === undefined ? 100 + trade.id : trade.openRate
  return {
    id: trade.id,
    exchange: trade.exchange ?? 'binance',
    pair: trade.pair ?? 'BTC/USDT',
    isOpen: trade.isOpen ?? false,
    isShort: trade.isShort ?? false,
    openRate,
    closeRate: trade.closeRate === undefined ? (trade.isOpen ? null : (openRate ?? 100) * 1.02) : trade.closeRate,
    amount: trade.amount ?? 0.5,
    openDate: trade.openDate ?? `2024-03-01 ${String(10 + (trade.id % 10)).padStart(2, '0')}:00:00.123456`,
    closeDate:
      trade.closeDate === undefined
        ? trade.isOpen
          ? null
          : `2024-03-02 ${String(10 + (trade.id % 10)).padStart(2, '0')}:30:00`
        : trade.closeDate,
    exitReason: trade.exitReason ?? 'roi',
    strategy: trade.strategy ?? 'SampleStrategy',
    dryRun: trade.dryRun ?? false,
  }
}

const FEE = 0.001

/** A current Freqtrade database: each closed trade has its entry and exit orders. */
export function writeFreqtradeDatabase(path: string, trades: FreqtradeTrade[]): void {
  const db = new Database(path)
  try {
    db.exec(CURRENT_SCHEMA)
    const insertTrade =
      db.prepare(`INSERT INTO trades (id, exchange, pair, stake_currency, is_open, fee_open, fee_open_cost, fee_close, fee_close_cost, open_rate, close_rate,
      realized_profit, close_profit_abs, stake_amount, amount, open_date, close_date, exit_reason, strategy, enter_tag, timeframe, trading_mode, leverage, is_short, interest_rate)
      VALUES (@id, @exchange, @pair, 'USDT', @isOpen, ${FEE}, @feeOpenCost, ${FEE}, @feeCloseCost, @openRate, @closeRate, @profit, @profit, @stake, @amount, @openDate, @closeDate, @exitReason, @strategy, 'breakout', 5, 'spot', 1, @isShort, 0)`)
    const insertOrder =
      db.prepare(`INSERT INTO orders (ft_trade_id, ft_order_side, ft_pair, ft_is_open, ft_amount, ft_price, order_id, status, symbol, order_type, side, price, average, amount, filled, remaining, cost, order_date, order_filled_date)
      VALUES (@tradeId, @ftSide, @pair, 0, @amount, @price, @orderId, 'closed', @pair, 'limit', @side, @price, @price, @amount, @amount, 0, @cost, @date, @date)`)
    db.transaction(() => {
      for (const raw of trades) {
        const trade = defaults(raw)
        const feeOpenCost = trade.openRate === null ? null : trade.amount * trade.openRate * FEE
        const feeCloseCost = trade.closeRate === null ? null : trade.amount * trade.closeRate * FEE
        const move =
          trade.closeRate === null || trade.openRate === null
            ? null
            : (trade.closeRate - trade.openRate) * trade.amount * (trade.isShort ? -1 : 1)
        const profit = move === null ? null : move - (feeOpenCost ?? 0) - (feeCloseCost ?? 0)
        insertTrade.run({
          ...trade,
          isOpen: trade.isOpen ? 1 : 0,
          isShort: trade.isShort ? 1 : 0,
          feeOpenCost,
          feeCloseCost,
          profit,
          stake: trade.amount * (trade.openRate ?? 0),
        })
        const entrySide = trade.isShort ? 'sell' : 'buy'
        const exitSide = trade.isShort ? 'buy' : 'sell'
        const idOf = (leg: string) =>
          trade.dryRun ? `dry_run_${leg}_${trade.id}` : `${trade.exchange}-${trade.id}-${leg}`
        insertOrder.run({
          tradeId: trade.id,
          ftSide: entrySide,
          pair: trade.pair,
          amount: trade.amount,
          price: trade.openRate ?? 0,
          orderId: idOf('entry'),
          side: entrySide,
          cost: trade.amount * (trade.openRate ?? 0),
          date: trade.openDate,
        })
        if (!trade.isOpen)
          insertOrder.run({
            tradeId: trade.id,
            ftSide: exitSide,
            pair: trade.pair,
            amount: trade.amount,
            price: trade.closeRate ?? 0,
            orderId: idOf('exit'),
            side: exitSide,
            cost: trade.amount * (trade.closeRate ?? 0),
            date: trade.closeDate,
          })
      }
    })()
  } finally {
    db.close()
  }
}

/** A Freqtrade database from before orders were kept. */
export function writeLegacyFreqtradeDatabase(path: string, trades: FreqtradeTrade[]): void {
  const db = new Database(path)
  try {
    db.exec(LEGACY_SCHEMA)
    const insert =
      db.prepare(`INSERT INTO trades (id, exchange, pair, is_open, fee, open_rate, close_rate, stake_amount, amount, open_date, close_date, sell_reason, buy_tag, strategy, ticker_interval)
      VALUES (@id, @exchange, @pair, @isOpen, ${FEE}, @openRate, @closeRate, @stake, @amount, @openDate, @closeDate, @exitReason, 'dip', @strategy, 5)`)
    db.transaction(() => {
      for (const raw of trades) {
        const trade = defaults(raw)
        insert.run({ ...trade, isOpen: trade.isOpen ? 1 : 0, stake: trade.amount * (trade.openRate ?? 0) })
      }
    })()
  } finally {
    db.close()
  }
}
