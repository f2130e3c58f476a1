import type { ChartBar, EquityPointTuple } from '../../../shared/domain'

/**
 * Keeps a run's candles and equity at most `2 × points` long however long the
 * run is, without knowing its length ahead: each bucket merges a fixed number
 * of candles, and when the buckets fill up, neighbours merge and the size
 * doubles. Bars keep their open, extremes and close; equity keeps the lowest
 * point of each bucket, so no drawdown is hidden by thinning.
 */
export class ChartSeries {
  private readonly bars: ChartBar[] = []
  private readonly equity: EquityPointTuple[] = []
  private bucketSize = 1
  private inBucket = 0

  constructor(private readonly points: number) {}

  add(ts: number, open: number, high: number, low: number, close: number, equity: number, drawdownPct: number): void {
    if (this.inBucket === 0) {
      this.bars.push([ts, open, high, low, close])
      this.equity.push([ts, equity, drawdownPct])
    } else {
      const bar = this.bars[this.bars.length - 1] as ChartBar
      if (high > bar[2]) bar[2] = high
      if (low < bar[3]) bar[3] = low
      bar[4] = close
      const point = this.equity[this.equity.length - 1] as EquityPointTuple
      if (equity < point[1]) this.equity[this.equity.length - 1] = [ts, equity, drawdownPct]
    }
    this.inBucket = (this.inBucket + 1) % this.bucketSize
    if (this.inBucket === 0 && this.bars.length >= 2 * this.points) this.halve()
  }

  private halve(): void {
    const bars: ChartBar[] = []
    const equity: EquityPointTuple[] = []
    for (let i = 0; i < this.bars.length; i += 2) {
      const a = this.bars[i] as ChartBar
      const b = this.bars[i + 1]
      bars.push(b ? [a[0], a[1], Math.max(a[2], b[2]), Math.min(a[3], b[3]), b[4]] : a)
      const p = this.equity[i] as EquityPointTuple
      const q = this.equity[i + 1]
      equity.push(q && q[1] < p[1] ? q : p)
    }
    this.bars.splice(0, this.bars.length, ...bars)
    this.equity.splice(0, this.equity.length, ...equity)
    this.bucketSize *= 2
  }

  result(): { bars: ChartBar[]; equity: EquityPointTuple[] } {
    return { bars: this.bars, equity: this.equity }
  }
}
