import {
  AreaSeries,
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  LineSeries,
  type SeriesMarker,
  type UTCTimestamp,
} from 'lightweight-charts'
import { useEffect, useRef } from 'react'
import type { BacktestRun, ChartBar, EquityPointTuple } from '../../../../shared/domain'
import { chartOptions, themeColour } from './chart-theme'
import { marksInView } from './trade-markers'

const seconds = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp

/** Merged chart points can share a second; lightweight-charts wants strictly rising times. */
function rising<T extends { time: UTCTimestamp }>(points: T[]): T[] {
  const out: T[] = []
  for (const point of points) {
    if (out.length > 0 && point.time <= out[out.length - 1]!.time) out[out.length - 1] = point
    else out.push(point)
  }
  return out
}

const COMPARE_COLOURS = ['#4c9aff', '#f0883e', '#a371f7', '#3fb950', '#f85149', '#d29922']

/** A run holds up to a few thousand points: let them squeeze so the whole run fits the width. */
function wholeRunOptions() {
  const options = chartOptions()
  return { ...options, timeScale: { ...options.timeScale, minBarSpacing: 0.01 } }
}

/** A run's equity above and its drawdown below, on one time axis. */
export function EquityDrawdownChart({ equity, label }: { equity: EquityPointTuple[]; label: string }) {
  const container = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!container.current || equity.length < 2) return
    const chart = createChart(container.current, wholeRunOptions())
    const accent = themeColour('--accent', '#4c9aff')
    const bad = themeColour('--bad', '#f85149')
    chart
      .addSeries(AreaSeries, {
        lineColor: accent,
        topColor: 'rgba(76, 154, 255, 0.3)',
        bottomColor: 'rgba(76, 154, 255, 0.02)',
        lineWidth: 2,
        title: 'Equity',
      })
      .setData(rising(equity.map(([t, value]) => ({ time: seconds(t), value }))))
    const drawdown = chart.addSeries(
      AreaSeries,
      {
        lineColor: bad,
        topColor: 'rgba(248, 81, 73, 0.02)',
        bottomColor: 'rgba(248, 81, 73, 0.3)',
        lineWidth: 1,
        title: 'Drawdown %',
        priceFormat: { type: 'percent' },
      },
      1,
    )
    drawdown.setData(rising(equity.map(([t, , dd]) => ({ time: seconds(t), value: -dd }))))
    chart.panes()[1]?.setHeight(90)
    chart.timeScale().fitContent()
    return () => chart.remove()
  }, [equity])
  if (equity.length < 2) return <p className="muted chart-empty">Too few candles for a chart.</p>
  return <div className="chart tall" ref={container} role="img" aria-label={label} data-testid="backtest-equity" />
}

/** The run's candles (merged to fit) with every entry and exit marked. */
export function TradesOnCandlesChart({ run }: { run: BacktestRun }) {
  const container = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!container.current || run.bars.length === 0) return
    const chart = createChart(container.current, wholeRunOptions())
    const up = themeColour('--ok', '#3fb950')
    const down = themeColour('--bad', '#f85149')
    const series = chart.addSeries(CandlestickSeries, {
      upColor: up,
      downColor: down,
      borderVisible: false,
      wickUpColor: up,
      wickDownColor: down,
    })
    const bars = rising(
      run.bars.map(([t, open, high, low, close]: ChartBar) => ({ time: seconds(t), open, high, low, close })),
    )
    series.setData(bars)
    // Marks for the trades in view only, re-counted as the trader zooms: a wall of thousands never draws.
    const barTimes = bars.map((bar) => bar.time as number)
    const markers = createSeriesMarkers(series, [])
    const showMarks = () => {
      const range = chart.timeScale().getVisibleRange()
      const from = range ? Number(range.from) : (barTimes[0] ?? 0)
      const to = range ? Number(range.to) : (barTimes.at(-1) ?? 0)
      markers.setMarkers(
        marksInView(run.trades, barTimes, from, to).map((mark): SeriesMarker<UTCTimestamp> =>
          mark.kind === 'group'
            ? {
                time: mark.time as UTCTimestamp,
                position: 'aboveBar',
                shape: 'square',
                color: mark.won ? up : down,
                text: `${mark.count}`,
              }
            : {
                time: mark.time as UTCTimestamp,
                position: (mark.kind === 'entry') === mark.long ? 'belowBar' : 'aboveBar',
                shape: mark.kind === 'entry' ? (mark.long ? 'arrowUp' : 'arrowDown') : 'circle',
                color: mark.kind === 'entry' ? (mark.long ? up : down) : mark.won ? up : down,
                text: '',
              },
        ),
      )
    }
    chart.timeScale().subscribeVisibleTimeRangeChange(showMarks)
    chart.timeScale().fitContent()
    showMarks()
    return () => {
      chart.timeScale().unsubscribeVisibleTimeRangeChange(showMarks)
      chart.remove()
    }
  }, [run])
  return (
    <div
      className="chart"
      ref={container}
      role="img"
      aria-label="Candles with entries and exits"
      data-testid="backtest-candles"
    />
  )
}

/** Several runs' equity on one chart, each from its own start, to compare their paths. */
export function CompareEquityChart({ runs }: { runs: BacktestRun[] }) {
  const container = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!container.current || runs.length === 0) return
    const chart = createChart(container.current, {
      ...wholeRunOptions(),
      timeScale: { visible: false, minBarSpacing: 0.01 },
    })
    runs.forEach((run, index) => {
      // Runs cover different dates, so they share an axis of progress through the run.
      const first = run.equity[0]?.[0] ?? 0
      const span = Math.max(1, (run.equity.at(-1)?.[0] ?? first) - first)
      const points = rising(
        run.equity.map(([t, value]) => ({ time: Math.round(((t - first) / span) * 10_000) as UTCTimestamp, value })),
      )
      chart
        .addSeries(LineSeries, {
          color: COMPARE_COLOURS[index % COMPARE_COLOURS.length],
          lineWidth: 2,
          title: run.name,
        })
        .setData(points)
    })
    chart.timeScale().fitContent()
    return () => chart.remove()
  }, [runs])
  return (
    <div
      className="chart tall"
      ref={container}
      role="img"
      aria-label="Equity of the compared runs"
      data-testid="backtest-compare-chart"
    />
  )
}

export { COMPARE_COLOURS }
