/** Candle lengths a strategy instance can run on, in milliseconds. */
export const TIMEFRAME_MS = {
  '1s': 1_000,
  '15s': 15_000,
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
} as const
export type Timeframe = keyof typeof TIMEFRAME_MS

/**
 * The candle length the new-instance form starts a paper instance on: short
 * enough that the synthetic market brings an idea within a few minutes of
 * Start, long enough that each stays approvable for a person (bench:queue
 * measures both). Exchanges have no candles shorter than a minute, so an
 * exchange instance starts on 1m.
 */
export const FORM_TIMEFRAME = { paper: '15s', exchange: '1m' } as const satisfies Record<string, Timeframe>

/** Below this, a person rarely reads and decides an idea before the market withdraws it. */
const HUMAN_SECONDS = 30

/**
 * How long an idea that waits for a person typically stays approvable on these
 * settings: about three candles before the price leaves its entry range (the
 * median bench:queue measures at the default tolerance), capped by its
 * candle count and its minutes. A sentence for the form when that is too short.
 */
export function shortLivedIdeasWarning(config: {
  timeframe?: unknown
  ideaExpiryCandles?: unknown
  ideaExpiryMinutes?: unknown
}): string | null {
  const intervalMs = TIMEFRAME_MS[config.timeframe as Timeframe]
  if (!intervalMs) return null
  const candles = Number(config.ideaExpiryCandles) || 5
  const minutes = Number(config.ideaExpiryMinutes) || 15
  const seconds = Math.min(3 * intervalMs, candles * intervalMs, minutes * 60_000) / 1000
  if (seconds >= HUMAN_SECONDS) return null
  return `Ideas that wait for you will last about ${Math.max(1, Math.round(seconds))} s on these settings, too short to read and decide: turn AI trading on in Settings → Risk limits, or choose a longer candle, such as ${FORM_TIMEFRAME.paper} or 1m.`
}
