import type { BacktestRunSummary } from '../../../../shared/domain'

const money = (value: string | null) =>
  value === null ? '—' : Number(value).toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })
const percent = (value: number | null, digits = 1) => (value === null ? '—' : `${(value * 100).toFixed(digits)}%`)
const ratio = (value: number | null) => (value === null ? '—' : value.toFixed(2))

function duration(ms: number): string {
  const hours = ms / 3_600_000
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`
}

/** Below this, an annualised ratio extrapolates a few days of noise to a year, and means nothing. */
export const MEANINGFUL_RATIO_DAYS = 30

const spanDays = (run: BacktestRunSummary) => (Date.parse(run.dataTo) - Date.parse(run.dataFrom)) / 86_400_000

export const meaningfulRatio = (run: BacktestRunSummary) => spanDays(run) >= MEANINGFUL_RATIO_DAYS

/** The annualised Sharpe or Sortino, or why it is not shown: a run too short for a yearly figure. */
export function annualisedRatio(run: BacktestRunSummary, value: number | null): string {
  const days = spanDays(run)
  if (!meaningfulRatio(run))
    return `not meaningful (${days < 2 ? `${(days * 24).toFixed(1)} h` : `${days.toFixed(1)} days`}; needs ${MEANINGFUL_RATIO_DAYS} days)`
  return ratio(value)
}

/** Every figure a run is judged by, labelled the same way in the detail and in the comparison. */
export const STAT_ROWS: [label: string, value: (run: BacktestRunSummary) => string][] = [
  ['Starting capital', ({ stats: s }) => money(s.startingEquity)],
  ['Net P&L', ({ stats: s }) => money(s.netPnl)],
  ['Return', ({ stats: s }) => `${s.returnPct.toFixed(2)}%`],
  ['Trades', ({ stats: s }) => String(s.tradeCount)],
  ['Win rate', ({ stats: s }) => percent(s.winRate)],
  ['Profit factor', ({ stats: s }) => ratio(s.profitFactor)],
  ['Max drawdown', ({ stats: s }) => `${money(s.maxDrawdown)} (${s.maxDrawdownPct.toFixed(2)}%)`],
  ['Sharpe (annualised)', (run) => annualisedRatio(run, run.stats.sharpe)],
  ['Sortino (annualised)', (run) => annualisedRatio(run, run.stats.sortino)],
  ['Exposure', ({ stats: s }) => percent(s.exposure)],
  ['Average win', ({ stats: s }) => money(s.averageWin)],
  ['Average loss', ({ stats: s }) => money(s.averageLoss)],
  [
    'Longest drawdown',
    ({ stats: s }) => `${s.longestDrawdownCandles.toLocaleString('en-US')} candles (${duration(s.longestDrawdownMs)})`,
  ],
]

export const signedTone = (value: string) => (Number(value) > 0 ? 'tone-ok' : Number(value) < 0 ? 'tone-bad' : '')
