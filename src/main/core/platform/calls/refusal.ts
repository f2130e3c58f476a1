import { ApiError, type ApiErrorShape, type ApiIssue } from '../../../../shared/errors'

export type RefusalKind = 'invalid_input' | 'not_found' | 'conflict' | 'unavailable'

/**
 * What a service throws when it will not do what was asked, for a reason the
 * trader can act on, said in words. Domain errors extend it; `dispatch` turns
 * it into the contract's structured error, so no service builds a transport
 * error itself.
 */
export class Refusal extends Error {
  constructor(
    readonly code: RefusalKind,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message)
    this.name = 'Refusal'
  }
}

/** A refusal as every host returns it; null for anything else (a fault, reported as internal). */
export function structuredRefusal(error: unknown): ApiErrorShape | null {
  if (error instanceof Refusal)
    return { code: error.code, message: error.message, ...(error.issues.length > 0 ? { issues: error.issues } : {}) }
  if (error instanceof ApiError) return error.toJSON()
  return null
}
