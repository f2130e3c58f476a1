import { createChart, createSeriesMarkers, LineStyle } from 'lightweight-charts'
import { useEffect, useRef } from 'react'
import type { IdeaCandles } from '../../../../shared/contract'
import { addCandles } from './candle-series'
import { chartOptions, chartTime, themeColour } from './chart-theme'

interface Levels {
  entry: string
  stopLoss: string
  takeProfit: string
}

/** The candles the strategy saw, with entry, stop-loss and take-profit drawn as labelled lines. */
export function IdeaChart({ data, levels, label }: { data: IdeaCandles; levels: Levels; label: string }) {
  const container = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!container.current || data.candles.length === 0) return
    const options = chartOptions()
    const chart = createChart(container.current, {
      ...options,
      timeScale: { ...options.timeScale, secondsVisible: data.timeframe === '1s' },
    })
    const levelPrices = [levels.entry, levels.stopLoss, levels.takeProfit].map(Number)
    const up = themeColour('--ok', '#3fb950')
    const down = themeColour('--bad', '#f85149')
    const accent = themeColour('--accent', '#4c9aff')
    const series = addCandles(chart, data.candles, () => levelPrices)
    const lines: [string, string, string, LineStyle][] = [
      ['Entry', levels.entry, accent, LineStyle.Solid],
      ['Stop', levels.stopLoss, down, LineStyle.Dashed],
      ['Target', levels.takeProfit, up, LineStyle.Dashed],
    ]
    for (const [title, price, color, lineStyle] of lines)
      series.createPriceLine({ price: Number(price), color, lineStyle, lineWidth: 1, axisLabelVisible: true, title })
    if (data.snapshotTs)
      createSeriesMarkers(series, [
        { time: chartTime(data.snapshotTs), position: 'aboveBar', shape: 'arrowDown', color: accent, text: 'idea' },
      ])
    chart.timeScale().fitContent()
    return () => chart.remove()
  }, [data, levels.entry, levels.stopLoss, levels.takeProfit])
  if (data.candles.length === 0) return <p className="muted chart-empty">No candles are stored for this idea.</p>
  return <div className="chart" ref={container} role="img" aria-label={label} data-testid="idea-chart" />
}
