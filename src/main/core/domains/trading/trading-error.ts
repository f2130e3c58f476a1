import { Refusal } from '../../platform/calls/refusal'
import type { RiskDecision } from './risk-engine'

/** The idea lifecycle's refusals, `reason` saying which; the risk engine's reasons travel with them, each named by its code. */
export class TradingError extends Refusal {
  constructor(
    readonly reason: 'not_found' | 'illegal_transition' | 'refused_by_risk' | 'expired' | 'not_halted',
    message: string,
    readonly reasons: RiskDecision['reasons'] = [],
  ) {
    super(
      reason === 'not_found' ? 'not_found' : 'conflict',
      message,
      reasons.map((reason) => ({ path: [reason.code], message: reason.message })),
    )
    this.name = 'TradingError'
  }
}
