export class StrategyError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid_input',
    message: string,
    readonly issues: { path: (string | number)[]; message: string }[] = [],
  ) {
    super(message)
    this.name = 'StrategyError'
  }
}
