import { afterAll, afterEach, beforeAll } from 'vitest'
import { startDeribitStandin, type DeribitStandin, type StandinKey } from './deribit-standin'
import { useStandinTiming } from './standin-timing'

const ENDPOINTS = ['TRADEDECK_EXCHANGE_URL_DERIBIT_TESTNET', 'TRADEDECK_EXCHANGE_URL_DERIBIT_LIVE']

/**
 * A Deribit stand-in for the enclosing describe block, with Tradedeck's testnet and live
 * endpoints pointed at it; every test starts from a fresh account (no orders, positions or faults).
 */
export function useDeribitStandin(keys: StandinKey[]): () => DeribitStandin {
  let standin: DeribitStandin | undefined
  let restoreTiming: (() => void) | undefined
  beforeAll(async () => {
    standin = await startDeribitStandin({ keys })
    for (const name of ENDPOINTS) process.env[name] = standin.url
    restoreTiming = useStandinTiming()
  })
  afterAll(async () => {
    for (const name of ENDPOINTS) delete process.env[name]
    restoreTiming?.()
    await standin?.close()
  })
  afterEach(() => standin?.reset())
  return () => standin as DeribitStandin
}
