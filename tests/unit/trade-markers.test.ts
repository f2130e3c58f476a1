import { describe, expect, it } from 'vitest'
import type { BacktestTrade } from '../../src/shared/domain'
import { marksInView, MAX_MARKERS_IN_VIEW } from '../../src/renderer/src/components/charts/trade-markers'

const START = Date.parse('2026-01-01T00:00:00Z')
/** A trade every ten minutes, each lasting five, alternating long and short, winning and losing. */
const trades: BacktestTrade[] = Array.from({ length: 24_000 }, (_, index) => ({
  direction: index % 2 ? 'short' : 'long',
  quantity: '1',
  entryTs: new Date(START + index * 600_000).toISOString(),
  entryPrice: '100',
  exitTs: new Date(START + index * 600_000 + 300_000).toISOString(),
  exitPrice: '101',
  exitReason: 'take_profit',
  realizedPnl: index % 3 ? '1' : '-2',
  fees: '0',
  netPnl: index % 3 ? '1' : '-2',
}))
/** A bar a minute over the whole run, in seconds: a million-candle chart merged to what it draws. */
const bars = Array.from({ length: 240_000 }, (_, index) => START / 1000 + index * 60)

describe('trade marks on a backtest chart', () => {
  it('counts trades per stretch when the whole run is in view, never drawing more than the cap', () => {
    const marks = marksInView(trades, bars, bars[0]!, bars.at(-1)!)
    expect(marks.length).toBeLessThanOrEqual(MAX_MARKERS_IN_VIEW + 1)
    expect(marks.every((mark) => mark.kind === 'group')).toBe(true)
    expect(marks.reduce((sum, mark) => sum + mark.count, 0)).toBe(trades.length)
  })

  it('marks each entry and exit of the trades in view once zoomed in', () => {
    const from = bars[6_000]!
    const to = from + 3_600 * 3
    const marks = marksInView(trades, bars, from, to)
    const entries = marks.filter((mark) => mark.kind === 'entry')
    expect(entries.length).toBe(19)
    expect(marks.filter((mark) => mark.kind === 'exit').length).toBe(19)
    expect(marks.every((mark) => mark.time >= from && mark.time <= to + 300)).toBe(true)
    // Each mark sits on a bar of the chart.
    expect(marks.every((mark) => bars.includes(mark.time))).toBe(true)
  })
})
