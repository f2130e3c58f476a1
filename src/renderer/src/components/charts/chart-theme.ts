import { ColorType, type ChartOptions, type DeepPartial, type UTCTimestamp } from 'lightweight-charts'

/** Reads the app's CSS colours, so charts follow the theme. */
export function themeColour(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim()
  return value || fallback
}

export function chartOptions(): DeepPartial<ChartOptions> {
  const text = themeColour('--muted', '#8b98a8')
  const grid = themeColour('--border', '#263241')
  return {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: text, attributionLogo: false },
    grid: { vertLines: { color: grid }, horzLines: { color: grid } },
    rightPriceScale: { borderColor: grid },
    timeScale: { borderColor: grid, timeVisible: true, secondsVisible: false },
  }
}

/** lightweight-charts wants UTC seconds. */
export const chartTime = (iso: string) => Math.floor(Date.parse(iso) / 1000) as UTCTimestamp
