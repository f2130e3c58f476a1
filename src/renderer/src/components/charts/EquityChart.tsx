import { AreaSeries, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts'
import { useEffect, useRef } from 'react'
import type { EquityPoint } from '../../../../shared/contract'
import { chartOptions, chartTime, themeColour } from './chart-theme'

/** Several snapshots can share a second; the chart needs strictly rising times. */
function seriesData(points: EquityPoint[]) {
  const bySecond = new Map<number, number>()
  for (const point of points) bySecond.set(chartTime(point.at), Number(point.equity))
  return [...bySecond].sort(([a], [b]) => a - b).map(([time, value]) => ({ time: time as UTCTimestamp, value }))
}

/** Equity over time from the account snapshots; new points update the chart in place. */
export function EquityChart({
  points,
  label = 'Equity curve',
  empty,
}: {
  points: EquityPoint[]
  label?: string
  empty?: string
}) {
  const container = useRef<HTMLDivElement>(null)
  const series = useRef<ISeriesApi<'Area'> | null>(null)
  const chart = useRef<IChartApi | null>(null)
  const drawable = points.length >= 2
  useEffect(() => {
    if (!container.current || !drawable) return
    const created = createChart(container.current, chartOptions())
    chart.current = created
    series.current = created.addSeries(AreaSeries, {
      lineColor: themeColour('--accent', '#4c9aff'),
      topColor: 'rgba(76, 154, 255, 0.3)',
      bottomColor: 'rgba(76, 154, 255, 0.02)',
      lineWidth: 2,
    })
    return () => {
      series.current = null
      chart.current = null
      created.remove()
    }
  }, [drawable])
  useEffect(() => {
    series.current?.setData(seriesData(points))
    // The axis spans the data it has, whether minutes or days, rather than squeezing minutes against the right edge.
    chart.current?.timeScale().fitContent()
  }, [points, drawable])
  if (!drawable)
    return (
      <p className="muted chart-empty">
        {empty ??
          'The equity curve starts once the account has been snapshotted twice: every minute while a strategy runs, and on every fill.'}
      </p>
    )
  return <div className="chart" ref={container} role="img" aria-label={label} data-testid="equity-chart" />
}
