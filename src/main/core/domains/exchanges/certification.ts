import type { CertifyStep } from '../../../../shared/domain'
import { Refusal } from '../../platform/calls/refusal'
import type { CoreContext } from '../../platform/context'
import { certifyVenue } from './certify'
import type { ExchangeEnvironment } from './exchange-client'
import { exchangeFailure, keyFor } from './exchange-keys'
import { EXCHANGES, openVenue, type ExchangeId } from './registry'

export interface CertifyRequest {
  exchange: ExchangeId
  environment: ExchangeEnvironment
  instrument: string
  trade: boolean
  /** Live certification trades real money: the trader says so in as many words. */
  understandsRealMoney: boolean
  onStep?: (step: CertifyStep) => void
}

/** An exchange certified with the profile's own key: each step's result in words, and whether all passed. */
export async function certifyExchange(
  ctx: Pick<CoreContext, 'store' | 'secrets'>,
  userId: string,
  request: CertifyRequest,
): Promise<{ exchange: ExchangeId; environment: ExchangeEnvironment; passed: boolean; steps: CertifyStep[] }> {
  const capabilities = EXCHANGES[request.exchange]
  if (request.environment === 'live' && !request.understandsRealMoney)
    throw new Refusal(
      'invalid_input',
      `Certifying ${capabilities.label} live places real orders with real money; certify on testnet, or confirm that you understand it trades real money.`,
    )
  if (!capabilities.placesOrders)
    throw new Refusal(
      'invalid_input',
      `Tradedeck does not place orders on ${capabilities.label}, so there is nothing to certify.`,
    )
  const key = await keyFor(ctx, userId, request.exchange, request.environment)
  if (!key)
    throw new Refusal(
      'invalid_input',
      `This profile has no ${capabilities.label} ${request.environment} key. Add one in Settings → Exchanges.`,
    )
  let venue
  try {
    venue = await openVenue(request.exchange, request.environment, key)
  } catch (error) {
    throw await exchangeFailure(request.exchange, error)
  }
  const steps = await certifyVenue(venue, {
    instrument: request.instrument,
    label: `${capabilities.label} ${request.environment}`,
    nativeStops: capabilities.nativeStopLoss,
    trade: request.trade,
    ...(request.onStep ? { onStep: request.onStep } : {}),
  })
  return {
    exchange: request.exchange,
    environment: request.environment,
    passed: steps.every((step) => step.ok),
    steps,
  }
}
