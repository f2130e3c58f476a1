import type { BacktestStats } from '../../../../shared/domain'

const money = (value: string | null) =>
  value === null ? '—' : Number(value).toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })
const percent = (value: number | null, digits = 1) => (value === null ? '—' : `${(value * 100).toFixed(digits)}%`)
const ratio = (value: number | null) => (value === null ? '—' : value.toFixed(2))

function duration(ms: number): string {
  const hours = ms / 3_600_000
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`
}

/** Every figure a run is judged by, labelled the same way in the detail and in the comparison. */
export const STAT_ROWS: [label: string, value: (stats: BacktestStats) => string][] = [
  ['Net P&L', (s) => money(s.netPnl)],
  ['Return', (s) => `${s.returnPct.toFixed(2)}%`],
  ['Trades', (s) => String(s.tradeCount)],
  ['Win rate', (s) => percent(s.winRate)],
  ['Profit factor', (s) => ratio(s.profitFactor)],
  ['Max drawdown', (s) => `${money(s.maxDrawdown)} (${s.maxDrawdownPct.toFixed(2)}%)`],
  ['Sharpe (annualised)', (s) => ratio(s.sharpe)],
  ['Sortino (annualised)', (s) => ratio(s.sortino)],
  ['Exposure', (s) => percent(s.exposure)],
  ['Average win', (s) => money(s.averageWin)],
  ['Average loss', (s) => money(s.averageLoss)],
  [
    'Longest drawdown',
    (s) => `${s.longestDrawdownCandles.toLocaleString('en-US')} candles (${duration(s.longestDrawdownMs)})`,
  ],
]

export const signedTone = (value: string) => (Number(value) > 0 ? 'tone-ok' : Number(value) < 0 ? 'tone-bad' : '')
