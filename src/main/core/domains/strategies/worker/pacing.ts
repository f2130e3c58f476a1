/**
 * When a candle may be emitted: once it has closed. History has closed long
 * ago and goes through as fast as the thread allows; at the live edge each
 * candle waits for its close.
 */
export function dueAt(candleTs: string, intervalMs: number): number {
  return Date.parse(candleTs) + intervalMs
}
