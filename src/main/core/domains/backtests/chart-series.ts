import type { ChartBar, EquityPointTuple } from '../../../../shared/domain'

type Bar = [open: number, high: number, low: number, close: number]
type Point = [equity: number, drawdownPct: number]

/**
 * Keeps a run's candles and equity at most `2 × points` long however long the
 * run is, without knowing its length ahead: each bucket merges a fixed number
 * of candles, and when the buckets fill up, neighbours merge and the size
 * doubles. Bars keep their open, extremes and close; equity keeps the lowest
 * point of each bucket, so no drawdown is hidden by thinning.
 */
export class ChartSeries {
  // Times stay text beside all-number tuples until the end: only the few thousand points kept are parsed,
  // and number-only arrays are updated in place without allocating on each of a million candles.
  private readonly bars: Bar[] = []
  private readonly barTimes: string[] = []
  private readonly equity: Point[] = []
  private readonly equityTimes: string[] = []
  private bucketSize = 1
  private inBucket = 0

  constructor(private readonly points: number) {}

  add(ts: string, open: number, high: number, low: number, close: number, equity: number, drawdownPct: number): void {
    if (this.inBucket === 0) {
      this.bars.push([open, high, low, close])
      this.barTimes.push(ts)
      this.equity.push([equity, drawdownPct])
      this.equityTimes.push(ts)
    } else {
      const last = this.bars.length - 1
      const bar = this.bars[last] as Bar
      if (high > bar[1]) bar[1] = high
      if (low < bar[2]) bar[2] = low
      bar[3] = close
      const point = this.equity[last] as Point
      if (equity < point[0]) {
        point[0] = equity
        point[1] = drawdownPct
        this.equityTimes[last] = ts
      }
    }
    this.inBucket = (this.inBucket + 1) % this.bucketSize
    if (this.inBucket === 0 && this.bars.length >= 2 * this.points) this.halve()
  }

  private halve(): void {
    const bars: Bar[] = []
    const barTimes: string[] = []
    const equity: Point[] = []
    const equityTimes: string[] = []
    for (let i = 0; i < this.bars.length; i += 2) {
      const a = this.bars[i] as Bar
      const b = this.bars[i + 1]
      bars.push(b ? [a[0], Math.max(a[1], b[1]), Math.min(a[2], b[2]), b[3]] : a)
      barTimes.push(this.barTimes[i] as string)
      const p = this.equity[i] as Point
      const q = this.equity[i + 1]
      const lower = q && q[0] < p[0] ? i + 1 : i
      equity.push(this.equity[lower] as Point)
      equityTimes.push(this.equityTimes[lower] as string)
    }
    this.bars.splice(0, this.bars.length, ...bars)
    this.barTimes.splice(0, this.barTimes.length, ...barTimes)
    this.equity.splice(0, this.equity.length, ...equity)
    this.equityTimes.splice(0, this.equityTimes.length, ...equityTimes)
    this.bucketSize *= 2
  }

  result(): { bars: ChartBar[]; equity: EquityPointTuple[] } {
    return {
      bars: this.bars.map(([open, high, low, close], i): ChartBar => [
        Date.parse(this.barTimes[i] as string),
        open,
        high,
        low,
        close,
      ]),
      equity: this.equity.map(([equity, drawdownPct], i): EquityPointTuple => [
        Date.parse(this.equityTimes[i] as string),
        equity,
        drawdownPct,
      ]),
    }
  }
}
