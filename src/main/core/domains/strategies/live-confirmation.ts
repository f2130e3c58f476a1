import type { RiskConfig } from '../../../../shared/domain'
import { StrategyError } from './strategy-error'

/** The words a trader types to create or start a live instance: the exchange and the instrument. */
export const liveConfirmationOf = (instance: { broker: string; instrument: string }) =>
  `${instance.broker} ${instance.instrument}`

/** Real money moves on live: the trader must type the exchange and the instrument, not just click. */
export function requireLiveConfirmation(
  instance: { broker: string; instrument: string },
  typed: string | undefined,
): void {
  const expected = liveConfirmationOf(instance)
  if (typed?.trim().replace(/\s+/g, ' ').toLowerCase() !== expected.toLowerCase()) {
    throw new StrategyError(
      'invalid_input',
      `This instance trades live with real money. Type "${expected}" to confirm.`,
      [{ path: ['confirmation'], message: `type ${expected}` }],
    )
  }
}

/** The limits live trading needs, each in the words of Settings → Risk. */
const LIVE_LIMITS: { missing: (config: RiskConfig) => boolean; words: string }[] = [
  { missing: (config) => config.maxOrderNotional === null, words: 'the most one order may be worth' },
  { missing: (config) => config.maxDailyNotional === null, words: "the most the day's orders may be worth together" },
  { missing: (config) => config.maxDailyLoss === null, words: 'the largest loss in a day' },
  {
    missing: (config) => config.maxDrawdownAmount === null || !config.haltOnDrawdown,
    words: "the largest drawdown from the day's peak, with halting on it switched on",
  },
]

/** Live money moves only under limits: an instance does not start live until the profile has every one. */
export function requireLiveLimits(config: RiskConfig): void {
  const missing = LIVE_LIMITS.filter((limit) => limit.missing(config)).map((limit) => limit.words)
  if (missing.length > 0)
    throw new StrategyError(
      'conflict',
      `Live trading needs limits first. Set ${missing.join('; ')} in Settings → Risk. Nothing was started.`,
    )
}
