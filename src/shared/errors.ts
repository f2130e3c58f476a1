export type ApiErrorCode =
  'invalid_input' | 'unknown_channel' | 'forbidden' | 'not_found' | 'conflict' | 'unavailable' | 'internal'

export interface ApiIssue {
  path: (string | number)[]
  message: string
}

export interface ApiErrorShape {
  code: ApiErrorCode
  message: string
  issues?: ApiIssue[]
}

/** What every transport (IPC, WebSocket) carries back for one call. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape }

/** Thrown on the renderer side when a call fails, and by core services for expected failures. */
export class ApiError extends Error implements ApiErrorShape {
  readonly code: ApiErrorCode
  readonly issues?: ApiIssue[]

  constructor(shape: ApiErrorShape) {
    super(shape.message)
    this.name = 'ApiError'
    this.code = shape.code
    if (shape.issues) this.issues = shape.issues
  }

  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) }
  }
}

/** What went wrong, in the words of whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
