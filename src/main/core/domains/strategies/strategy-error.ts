import type { ApiIssue } from '../../../../shared/errors'
import { Refusal } from '../../platform/calls/refusal'

export class StrategyError extends Refusal {
  constructor(code: 'not_found' | 'conflict' | 'invalid_input', message: string, issues: ApiIssue[] = []) {
    super(code, message, issues)
    this.name = 'StrategyError'
  }
}
