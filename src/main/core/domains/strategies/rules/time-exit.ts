/*
 * A rules instance's time exit: a trade is closed at the close of its Nth candle, counting the candle it opened on.
 * Forward running and a backtest close it at the same candle and price.
 */

/** The candles after which an instance's trades close; null when it has no time exit. */
export function timeExitOf(config: Record<string, unknown>): number | null {
  const candles = Number(config.exitAfterCandles ?? 0)
  return candles > 0 ? candles : null
}

/** Whether a trade opened on the candle at `openedTs` has reached its time exit at the close of the candle at `ts`. */
export function timeExitReached(openedTs: string, ts: string, intervalMs: number, candles: number): boolean {
  return Math.round((Date.parse(ts) - Date.parse(openedTs)) / intervalMs) + 1 >= candles
}
