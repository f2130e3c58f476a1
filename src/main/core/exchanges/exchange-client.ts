import type ccxtDefault from 'ccxt'
import type { Exchange } from 'ccxt'
import type { ExchangeId } from './capabilities'

export type ExchangeEnvironment = 'testnet' | 'live'

export interface ExchangeKey {
  apiKey: string
  secret: string
}

/**
 * Where an exchange's REST API is reached instead of its public address:
 * TRADEDECK_EXCHANGE_URL_<EXCHANGE>_<ENVIRONMENT> (e.g. TRADEDECK_EXCHANGE_URL_DERIBIT_TESTNET).
 * Tests point ccxt at a local stand-in this way; a desk behind a relay can too.
 */
export function endpointOverride(id: ExchangeId, environment: ExchangeEnvironment, env: NodeJS.ProcessEnv = process.env): string | null {
  const value = env[`TRADEDECK_EXCHANGE_URL_${id.toUpperCase()}_${environment.toUpperCase()}`]?.trim()
  return value ? value.replace(/\/+$/, '') : null
}

export type Ccxt = typeof ccxtDefault

let library: Promise<Ccxt> | null = null

/** ccxt, loaded the first time an exchange is reached: it is large, and a desk that never trades live never pays for it. */
export function ccxtLibrary(): Promise<Ccxt> {
  library ??= import('ccxt').then((loaded) => ((loaded as { default?: Ccxt }).default ?? (loaded as unknown as Ccxt)))
  return library
}

/** A ccxt client for one exchange and environment: testnet through ccxt's sandbox mode, its rate limiter on. */
export async function openExchange(id: ExchangeId, environment: ExchangeEnvironment, key?: ExchangeKey): Promise<Exchange> {
  const ccxt = await ccxtLibrary()
  const Client = ccxt[id] as unknown as new (config: Record<string, unknown>) => Exchange
  const exchange = new Client({ enableRateLimit: true, timeout: 15_000, ...(key ? { apiKey: key.apiKey, secret: key.secret } : {}) })
  if (environment === 'testnet') exchange.setSandboxMode(true)
  const override = endpointOverride(id, environment)
  if (override) exchange.urls['api'] = { rest: override }
  return exchange
}
