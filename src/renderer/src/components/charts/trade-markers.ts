import type { BacktestTrade } from '../../../../shared/domain'

/** More than this many marks in view read as a wall; beyond it, trades are counted per stretch of the chart. */
export const MAX_MARKERS_IN_VIEW = 120

export interface TradeMark {
  /** Chart time, in seconds: the bar that holds the moment. */
  time: number
  kind: 'entry' | 'exit' | 'group'
  long: boolean
  /** Won (net P&L ≥ 0), for an exit; for a group, whether its trades won on the whole. */
  won: boolean
  /** For a group: the trades it counts. */
  count: number
}

/** The bar (by its time) holding a moment; barTimes rise. */
export function barAt(barTimes: readonly number[], time: number): number {
  let low = 0
  let high = barTimes.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if (barTimes[mid]! <= time) low = mid
    else high = mid - 1
  }
  return barTimes[low] ?? time
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000)

/**
 * The marks of the trades whose entry falls in [from, to] (chart seconds): each entry and exit where
 * they fit, otherwise one mark per stretch of the view with its count of trades, so a run of a million
 * candles reads at any zoom. Trades are in entry order.
 */
export function marksInView(
  trades: readonly BacktestTrade[],
  barTimes: readonly number[],
  from: number,
  to: number,
  max = MAX_MARKERS_IN_VIEW,
): TradeMark[] {
  const firstIndex = lowerBound(trades, from)
  const inView: BacktestTrade[] = []
  for (let index = firstIndex; index < trades.length && seconds(trades[index]!.entryTs) <= to; index++)
    inView.push(trades[index]!)
  if (inView.length * 2 <= max) {
    return inView
      .flatMap((trade): TradeMark[] => {
        const long = trade.direction === 'long'
        const won = Number(trade.netPnl) >= 0
        return [
          { time: barAt(barTimes, seconds(trade.entryTs)), kind: 'entry', long, won, count: 1 },
          { time: barAt(barTimes, seconds(trade.exitTs)), kind: 'exit', long, won, count: 1 },
        ]
      })
      .sort((a, b) => a.time - b.time)
  }
  const stretch = Math.max(1, (to - from) / max)
  const groups = new Map<number, { time: number; count: number; net: number; longs: number }>()
  for (const trade of inView) {
    const bucket = Math.floor((seconds(trade.entryTs) - from) / stretch)
    const group = groups.get(bucket) ?? { time: barAt(barTimes, seconds(trade.entryTs)), count: 0, net: 0, longs: 0 }
    group.count++
    group.net += Number(trade.netPnl)
    if (trade.direction === 'long') group.longs++
    groups.set(bucket, group)
  }
  return [...groups.values()]
    .map((group): TradeMark => ({
      time: group.time,
      kind: 'group',
      long: group.longs * 2 >= group.count,
      won: group.net >= 0,
      count: group.count,
    }))
    .sort((a, b) => a.time - b.time)
}

/** The first trade entering at or after `from` (seconds). */
function lowerBound(trades: readonly BacktestTrade[], from: number): number {
  let low = 0
  let high = trades.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (seconds(trades[mid]!.entryTs) < from) low = mid + 1
    else high = mid
  }
  return low
}
