import { CandlestickSeries, type AutoscaleInfo, type IChartApi, type ISeriesApi } from 'lightweight-charts'
import type { ChartCandle } from '../../../../shared/contract'
import { chartTime, themeColour } from './chart-theme'

/** A candlestick series of `candles`, its price scale kept wide enough to show `levels` (a stop or target never neared). */
export function addCandles(
  chart: IChartApi,
  candles: readonly ChartCandle[],
  levels: () => number[],
): ISeriesApi<'Candlestick'> {
  const up = themeColour('--ok', '#3fb950')
  const down = themeColour('--bad', '#f85149')
  const series = chart.addSeries(CandlestickSeries, {
    upColor: up,
    downColor: down,
    borderVisible: false,
    wickUpColor: up,
    wickDownColor: down,
    autoscaleInfoProvider: (original: () => AutoscaleInfo | null) => {
      const range = original()
      if (!range?.priceRange) return range
      const shown = levels()
      return {
        ...range,
        priceRange: {
          minValue: Math.min(range.priceRange.minValue, ...shown),
          maxValue: Math.max(range.priceRange.maxValue, ...shown),
        },
      }
    },
  })
  series.setData(
    candles.map((candle) => ({
      time: chartTime(candle.ts),
      open: candle.open,
      high: candle.high,
      low: candle.low,
      close: candle.close,
    })),
  )
  return series
}
