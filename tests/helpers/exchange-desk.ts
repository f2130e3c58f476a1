import { afterEach, expect } from 'vitest'
import { certifyExchange } from '../../src/main/core/domains/exchanges/certification'
import { openCore, type Core, type CoreOptions } from '../../src/main/core/wiring/app'
import type { ExchangeId, TradeIdea } from '../../src/shared/domain'
import { callAs } from './call-as'
import { makeTempDir } from './temp-dir'
import { sourceWorkerEntry } from './strategy-worker'
import type { StandinKeyPair } from './venue-standins'

export interface ExchangeDesk {
  core: Core
  user: string
  dataDir: string
  strategyId: string
  close(): void
}

export const callCore = <T>(core: Core, channel: string, input: unknown = {}) =>
  callAs<T>(core, core.context.profileId, channel, input)

/**
 * A desk in a fresh folder (or reopening `dataDir`), started as the app starts it; closed, and a
 * fresh folder removed, by the cleanups.
 */
export async function openTestDesk(
  cleanups: (() => void)[],
  dataDir?: string,
  strategies?: CoreOptions['strategies'],
): Promise<{ core: Core; user: string; dataDir: string; close(): void }> {
  let path = dataDir
  if (!path) {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    path = dir.path
  }
  const core = openCore({ dataDir: path, host: 'cli', appVersion: 'test', ...(strategies ? { strategies } : {}) })
  let open = true
  const close = () => {
    if (open) core.close()
    open = false
  }
  cleanups.push(close)
  await core.start()
  return { core, user: core.context.profileId as string, dataDir: path, close }
}

/**
 * Desks for the enclosing describe block, each with a testnet key for the exchange and an instance
 * on the instrument; `desk(dataDir)` reopens an existing one. Like the app, a desk reconciles at start.
 * Every desk opened in a test is closed, and its folder removed, after it.
 */
export function useExchangeDesks(
  exchange: ExchangeId,
  instrument: string,
  key: StandinKeyPair,
): (dataDir?: string) => Promise<ExchangeDesk> {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })
  return async (dataDir) => {
    const { core, dataDir: path, close } = await openTestDesk(cleanups, dataDir, { worker: sourceWorkerEntry })
    const user = core.context.profileId as string
    let strategyId = (await core.context.store.strategies.list(user))[0]?.id
    if (!strategyId) {
      await callCore(core, 'exchanges:saveKey', {
        exchange,
        environment: 'testnet',
        apiKey: key.apiKey,
        secret: key.secret,
      })
      await callCore(core, 'risk:update', {
        patch: { aiTradingEnabled: false, watchlist: [instrument], maxLotSize: '1' },
      })
      strategyId = (
        await callCore<{ id: string }>(core, 'strategies:create', {
          strategyName: 'ema_crossover',
          instrument,
          broker: exchange,
          environment: 'testnet',
        })
      ).id
    }
    return { core, user, dataDir: path, strategyId, close }
  }
}

/** A long idea on the instrument, proposed at `entry` (the stand-in's mark), that waits for the trader. */
export async function waitingIdea(
  core: Core,
  strategyId: string,
  instrument: string,
  entry: number,
  size: string,
): Promise<TradeIdea> {
  const user = core.context.profileId as string
  const { idea, decision } = await core.services.trading.for(user).service.propose(user, {
    strategyId,
    symbol: instrument,
    direction: 'long',
    entryPrice: String(entry),
    stopLoss: String(entry - 600),
    takeProfit: String(entry + 1200),
    size,
    confidence: 0.8,
    rationale: 'test idea',
  })
  expect(decision.route).toBe('needs_approval')
  return idea
}

/** Certifies the desk's exchange on testnet with the profile's key, trading only when asked. */
export function certifyOnTestnet(core: Core, exchange: ExchangeId, instrument: string, trade: boolean) {
  return certifyExchange(core.context, core.context.profileId as string, {
    exchange,
    environment: 'testnet',
    instrument,
    trade,
    understandsRealMoney: false,
  })
}
