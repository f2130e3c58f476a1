import { createChart, createSeriesMarkers, LineStyle, type IPriceLine } from 'lightweight-charts'
import { useEffect, useRef } from 'react'
import type { PositionDetail } from '../../../../shared/contract'
import { addCandles } from './candle-series'
import { chartOptions, chartTime, themeColour } from './chart-theme'

/** How near the stop line, in pixels, a press must land to pick it up. */
const GRAB_PX = 6

/**
 * A position's candles from its idea on, with its entry, stop and target as lines and its fills as markers. The stop
 * line can be dragged: where it is let go is handed to `onStopDropped`, which asks before anything moves.
 */
export function PositionChart({
  detail,
  onStopDropped,
}: {
  detail: PositionDetail
  onStopDropped: (price: number) => void
}) {
  const container = useRef<HTMLDivElement>(null)
  const dropped = useRef(onStopDropped)
  useEffect(() => {
    dropped.current = onStopDropped
  }, [onStopDropped])
  const { position, candles, fills } = detail
  useEffect(() => {
    const element = container.current
    if (!element || candles.candles.length === 0) return
    const options = chartOptions()
    const chart = createChart(element, {
      ...options,
      timeScale: { ...options.timeScale, secondsVisible: candles.timeframe === '1s' },
    })
    const levels = [position.averagePrice, position.stopLoss, position.takeProfit]
      .filter((level): level is string => level !== null)
      .map(Number)
    const series = addCandles(chart, candles.candles, () => levels)
    const up = themeColour('--ok', '#3fb950')
    const down = themeColour('--bad', '#f85149')
    const accent = themeColour('--accent', '#4c9aff')
    series.createPriceLine({
      price: Number(position.averagePrice),
      color: accent,
      lineStyle: LineStyle.Solid,
      lineWidth: 1,
      axisLabelVisible: true,
      title: 'Entry',
    })
    if (position.takeProfit !== null)
      series.createPriceLine({
        price: Number(position.takeProfit),
        color: up,
        lineStyle: LineStyle.Dashed,
        lineWidth: 1,
        axisLabelVisible: true,
        title: 'Target',
      })
    let stopLine: IPriceLine | null = null
    if (position.stopLoss !== null)
      stopLine = series.createPriceLine({
        price: Number(position.stopLoss),
        color: down,
        lineStyle: LineStyle.Dashed,
        lineWidth: 2,
        axisLabelVisible: true,
        title: 'Stop (drag)',
      })
    const first = Date.parse(candles.candles[0]!.ts)
    createSeriesMarkers(
      series,
      fills
        .filter((fill) => Date.parse(fill.ts) >= first)
        .map((fill) => ({
          time: chartTime(fill.ts),
          position: fill.side === 'buy' ? ('belowBar' as const) : ('aboveBar' as const),
          shape: fill.side === 'buy' ? ('arrowUp' as const) : ('arrowDown' as const),
          color: fill.closes ? down : accent,
          text: `${fill.closes ? 'close' : 'fill'} ${fill.quantity} @ ${fill.price}`,
        })),
    )
    chart.timeScale().fitContent()
    // Where the stop line is drawn, and at what price, for whoever drives the page without eyes (a test, an
    // accessibility tool); cleared with the chart, so a value read is never a chart's that is gone.
    const frame = requestAnimationFrame(() => {
      const at = stopLine ? series.priceToCoordinate(stopLine.options().price) : null
      if (at === null) return
      element.dataset.stopY = String(Math.round(at))
      element.dataset.stop = String(stopLine?.options().price)
    })

    let dragging = false
    const yOf = (event: PointerEvent) => event.clientY - element.getBoundingClientRect().top
    const down_ = (event: PointerEvent) => {
      if (!stopLine) return
      const at = series.priceToCoordinate(stopLine.options().price)
      if (at === null || Math.abs(at - yOf(event)) > GRAB_PX) return
      dragging = true
      element.setPointerCapture(event.pointerId)
      chart.applyOptions({ handleScroll: false, handleScale: false })
      event.preventDefault()
    }
    const move = (event: PointerEvent) => {
      if (!dragging || !stopLine) return
      const price = series.coordinateToPrice(yOf(event))
      if (price !== null) stopLine.applyOptions({ price })
    }
    const up_ = (event: PointerEvent) => {
      if (!dragging || !stopLine) return
      dragging = false
      element.releasePointerCapture(event.pointerId)
      chart.applyOptions({ handleScroll: true, handleScale: true })
      dropped.current(stopLine.options().price)
    }
    element.addEventListener('pointerdown', down_)
    element.addEventListener('pointermove', move)
    element.addEventListener('pointerup', up_)
    return () => {
      cancelAnimationFrame(frame)
      delete element.dataset.stopY
      delete element.dataset.stop
      element.removeEventListener('pointerdown', down_)
      element.removeEventListener('pointermove', move)
      element.removeEventListener('pointerup', up_)
      chart.remove()
    }
  }, [candles, fills, position.averagePrice, position.stopLoss, position.takeProfit])
  if (candles.candles.length === 0)
    return (
      <p className="muted chart-empty">No candles are stored for this position (it was not opened from an idea).</p>
    )
  return (
    <div
      className="chart"
      ref={container}
      role="img"
      aria-label={`${position.symbol} since the idea, with the entry, stop, target and fills; drag the stop to move it`}
      data-testid="position-chart"
    />
  )
}
