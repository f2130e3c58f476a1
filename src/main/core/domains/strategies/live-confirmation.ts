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
