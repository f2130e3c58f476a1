/**
 * When a candle may be emitted: never before it has closed, and while
 * replaying the past, no faster than the replay speed allows.
 */
export function dueAt(candleTs: string, intervalMs: number, emitted: number, startedAt: number, replaySpeed: number): number {
  const closesAt = Date.parse(candleTs) + intervalMs
  const paced = startedAt + (replaySpeed > 0 ? (emitted * 1000) / replaySpeed : emitted * intervalMs)
  return Math.max(closesAt, paced)
}
