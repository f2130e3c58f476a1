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

/**
 * Names whose values are secrets wherever a message carries them: in a query string or form body
 * (`client_id=…`, as ccxt's errors quote the request URL), in JSON (`"apiKey":"…"`) or in a header dump.
 */
const SECRET_NAMES = [
  'client_id',
  'client_secret',
  'apiKey',
  'api_key',
  'api-key',
  'apikey',
  'signature',
  'sign',
  'sig',
  'secret',
  'password',
  'token',
  'refresh_token',
  'access_token',
  // Exchanges' signed-request headers (Binance, Bybit), as a request dump shows them.
  'X-MBX-APIKEY',
  'X-BAPI-API-KEY',
  'X-BAPI-SIGN',
]
const SECRET_VALUE = new RegExp(
  `((?:^|[^A-Za-z0-9_-])["']?(?:${SECRET_NAMES.join('|')})["']?\\s*[=:]\\s*["']?)([^&\\s"',;}\\]]+)`,
  'gi',
)

/** A message with every secret value it quotes replaced by [redacted], so it may go to a log, a window or the terminal. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_VALUE, '$1[redacted]')
}

/** Every text inside a structure (an audit row's details, a log's context) with its quoted secrets redacted; keys and other values as they were. */
export function redactSecretsWithin<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T
  if (Array.isArray(value)) return value.map((item) => redactSecretsWithin(item)) as T
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, redactSecretsWithin(item)]),
    ) as T
  return value
}

/** What went wrong, in the words of whatever was thrown, with any secret it quotes (a key in a request URL) redacted. */
export function errorMessage(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error))
}
