/**
 * How the desk times its exchange requests against a local stand-in, for this process and the desks it starts:
 * - a 2 s request timeout: a reply held back for good (a lost reply) becomes "unknown" after it rather than after
 *   the 15 s a real exchange is given; well above what a stand-in takes on a loaded machine;
 * - a 100 ms poll: a stand-in answers in milliseconds, so waiting a second per look only slows the tests;
 * - a 1 ms ccxt pacing unit: ccxt spaces requests by each exchange's published limits (Bybit's order lookups 100 ms
 *   apart, Deribit's order sends 200 ms); a stand-in has no such limits, and the answers to a real limit (429s) are
 *   exercised by the stand-ins' own faults instead.
 */
export const STANDIN_TIMING = {
  TRADEDECK_EXCHANGE_TIMEOUT_MS: '2000',
  TRADEDECK_EXCHANGE_POLL_MS: '100',
  TRADEDECK_EXCHANGE_RATE_LIMIT_MS: '1',
} as const

/** Sets the stand-in timing in process.env; the returned function takes it out again. */
export function useStandinTiming(): () => void {
  Object.assign(process.env, STANDIN_TIMING)
  return () => {
    for (const name of Object.keys(STANDIN_TIMING)) delete process.env[name]
  }
}
