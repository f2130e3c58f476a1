import { afterAll, afterEach, beforeAll } from 'vitest'
import { startDeribitStandin, type DeribitStandin, type StandinKey } from './deribit-standin'
import { STANDIN_POLL_MS, STANDIN_RATE_LIMIT_MS, STANDIN_REQUEST_TIMEOUT_MS } from './venue-standins'

const ENDPOINTS = ['TRADEDECK_EXCHANGE_URL_DERIBIT_TESTNET', 'TRADEDECK_EXCHANGE_URL_DERIBIT_LIVE']

/**
 * A Deribit stand-in for the enclosing describe block, with Tradedeck's testnet and live
 * endpoints pointed at it; every test starts from a fresh account (no orders, positions or faults).
 */
export function useDeribitStandin(keys: StandinKey[]): () => DeribitStandin {
  let standin: DeribitStandin | undefined
  beforeAll(async () => {
    standin = await startDeribitStandin({ keys })
    for (const name of ENDPOINTS) process.env[name] = standin.url
    process.env.TRADEDECK_EXCHANGE_TIMEOUT_MS = STANDIN_REQUEST_TIMEOUT_MS
    process.env.TRADEDECK_EXCHANGE_POLL_MS = STANDIN_POLL_MS
    process.env.TRADEDECK_EXCHANGE_RATE_LIMIT_MS = STANDIN_RATE_LIMIT_MS
  })
  afterAll(async () => {
    for (const name of ENDPOINTS) delete process.env[name]
    delete process.env.TRADEDECK_EXCHANGE_TIMEOUT_MS
    delete process.env.TRADEDECK_EXCHANGE_POLL_MS
    delete process.env.TRADEDECK_EXCHANGE_RATE_LIMIT_MS
    await standin?.close()
  })
  afterEach(() => standin?.reset())
  return () => standin as DeribitStandin
}
