import type { BacktestTrade } from '../../../../shared/domain'

const COLUMNS: (keyof BacktestTrade)[] = [
  'entryTs',
  'exitTs',
  'direction',
  'quantity',
  'entryPrice',
  'exitPrice',
  'exitReason',
  'realizedPnl',
  'fees',
  'netPnl',
]

/** One trade per line; every value is a number, a timestamp or a fixed word, so nothing needs quoting. */
export function tradesCsv(trades: readonly BacktestTrade[]): string {
  return (
    [COLUMNS.join(','), ...trades.map((trade) => COLUMNS.map((column) => trade[column]).join(','))].join('\n') + '\n'
  )
}
