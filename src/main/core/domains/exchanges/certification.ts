import type { CertifyResult, CertifyStep } from '../../../../shared/domain'
import { errorMessage } from '../../../../shared/errors'
import { Refusal } from '../../platform/calls/refusal'
import type { CoreContext } from '../../platform/context'
import { certifyVenue } from './certify'
import { ccxtLibrary, type ExchangeEnvironment } from './exchange-client'
import { passingFailure, retrying } from './retrying'
import { exchangeFailure, keyFor } from './exchange-keys'
import { measureClockSkew, receiveWindowOf } from './order-venue'
import { EXCHANGES, openExchange, openVenue, type ExchangeId } from './registry'

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
): Promise<CertifyResult> {
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
  const ccxt = await ccxtLibrary()
  // Anything but a refused key or a bad request may pass: a 429, a dropped connection, an exchange's 5xx.
  const patiently = <T>(call: () => Promise<T>) =>
    retrying(call, {
      transient: passingFailure,
      waitMs: (attempt) => Math.min(1_000, 200 * 2 ** (attempt - 1)),
      tries: 10,
    })
  const failure = async (error: unknown) => exchangeFailure(request.exchange, error)
  // The clock is read with a public request first: past the window, the exchange refuses every signed one.
  const plain = await openExchange(request.exchange, request.environment)
  const steps = await certifyVenue({
    clock: {
      skewMs: () =>
        patiently(() => measureClockSkew(plain)).catch(async (error: unknown) => Promise.reject(await failure(error))),
      receiveWindowMs: receiveWindowOf(plain),
    },
    // Opening reads the exchange's markets (many requests on Bybit), each of which may meet a passing fault.
    open: () =>
      patiently(() => openVenue(request.exchange, request.environment, key)).catch(async (error: unknown) =>
        Promise.reject(await failure(error)),
      ),
    instrument: request.instrument,
    label: `${capabilities.label} ${request.environment}`,
    nativeStops: capabilities.nativeStopLoss,
    trade: request.trade,
    explain: async (error) => (error instanceof ccxt.BaseError ? (await failure(error)).message : errorMessage(error)),
    ...(request.onStep ? { onStep: request.onStep } : {}),
  })
  return {
    exchange: request.exchange,
    environment: request.environment,
    passed: steps.every((step) => step.ok),
    traded: request.trade,
    steps,
  }
}
