import { randomUUID } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { stageCopy } from '../../src/main/core/domains/imports/staged-imports'
import { paperTrading } from '../../src/main/core/domains/trading/paper-trading'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { contract } from '../../src/shared/contract'
import type {
  BacktestRunSummary,
  DecisionPage,
  ExchangeKeyView,
  ProfileView,
  StrategyView,
} from '../../src/shared/domain'
import { callAs } from '../helpers/call-as'
import { standinKey } from '../helpers/standin-key'
import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { makeTempDir } from '../helpers/temp-dir'

/** The input fields that name an object the desk holds. */
const ID_FIELD = /^(id|ids|[a-z]+Id)$/

function topLevelFields(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape)
  if (schema instanceof z.ZodPipe) return topLevelFields(schema.def.in as z.ZodType)
  return []
}

/** Reads whose id only narrows what the calling profile sees. */
const FILTERS = new Set(['ideas:marks', 'errors:list'])

/** Channels whose id names no profile's object, and why the walk leaves them out. */
const NOT_A_PROFILES_OBJECT: Record<string, string> = {
  'profiles:rename': 'profiles are the desk’s list, managed from any window',
  'profiles:deletePreview': 'profiles are the desk’s list, managed from any window',
  'profiles:delete': 'profiles are the desk’s list, managed from any window (by typed name)',
  'sync:restoreFromCentral': 'names the central database’s user to rebuild the desk from',
  'marketData:importCsvFile': 'the import id is chosen by the window to tell its progress events apart',
}

describe('every channel that names an object checks it belongs to the calling profile', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  async function desk(): Promise<{ core: Core; dataDir: string }> {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    const core = openCore({
      dataDir: dir.path,
      host: 'browser',
      appVersion: 'test',
      strategies: { worker: sourceWorkerEntry },
    })
    cleanups.push(() => core.close())
    await core.start()
    return { core, dataDir: dir.path }
  }

  it('refuses another profile’s strategy, idea, decision, key, backtest and staged import on every such channel, changing nothing', async () => {
    const { core, dataDir } = await desk()
    const owner = core.context.profileId as string
    const other = (await callAs<ProfileView>(core, owner, 'profiles:create', { displayName: 'Other trader' })).id

    const strategy = await callAs<StrategyView>(core, owner, 'strategies:create', {
      strategyName: 'ema_crossover',
      instrument: 'BTC-USD',
      config: {},
    })
    const { idea } = await paperTrading(core.context.store, owner).service.propose(owner, {
      symbol: 'BTC-USD',
      direction: 'long',
      entryPrice: '100',
      stopLoss: '95',
      takeProfit: '110',
      size: '1',
      confidence: 0.4,
      rationale: 'waits for the owner',
    })
    const decision = (await callAs<DecisionPage>(core, owner, 'decisions:query', {})).rows[0]!
    const fault = await core.context.store.errorLogs.append({
      userId: owner,
      strategyId: strategy.id,
      message: 'the owner’s fault',
    })
    const key = await callAs<ExchangeKeyView>(core, owner, 'exchanges:saveKey', {
      exchange: 'deribit',
      ...standinKey('owner-key-0001', 'owner-secret'),
    })
    const backtest = await callAs<BacktestRunSummary>(core, owner, 'backtests:run', {
      runId: randomUUID(),
      kind: 'ema_crossover',
      symbol: 'BTC-USD',
      timeframe: '1m',
      source: 'synthetic',
      seed: 3,
      candles: 500,
    })
    // A run in flight, known by the id its window chose: cancel and run name it.
    const runningId = randomUUID()
    const running = callAs(core, owner, 'backtests:run', {
      runId: runningId,
      kind: 'ema_crossover',
      symbol: 'BTC-USD',
      timeframe: '1m',
      source: 'synthetic',
      candles: 5_000_000,
    }).catch((error: Error) => error)
    await new Promise<void>((resolve) => {
      const stop = core.events.subscribe((event, payload) => {
        const progress = payload as { runId?: string; candles?: number }
        if (event === 'backtests:progress' && progress.runId === runningId && (progress.candles ?? 0) > 0) {
          stop()
          resolve()
        }
      })
    })
    // A position the owner opened on an exchange outside Tradedeck, which only they may ask to protect.
    const outside = await core.context.store.positions.open(owner, {
      strategyId: null,
      broker: 'deribit',
      environment: 'testnet',
      symbol: 'BTC_USDC-PERPETUAL',
      direction: 'long',
      quantity: '0.004',
      averagePrice: '60000',
      stopLoss: null,
      takeProfit: null,
      openedAt: new Date().toISOString(),
      metadata: { outside: true, reconciled: true, entryFee: '0' },
    })
    const file = join(dataDir, 'orders.json')
    writeFileSync(file, '[]')
    const staged = stageCopy(dataDir, file, 'orders.json', owner)

    const theirs: Record<string, Record<string, unknown>> = {
      'ideas:get': { id: idea.id },
      'ideas:marks': { ids: [idea.id] },
      'ideas:candles': { id: idea.id },
      'marketData:eventsNearIdea': { id: idea.id },
      'ideas:approve': { id: idea.id },
      'ideas:reject': { id: idea.id },
      'ideas:retry': { id: idea.id },
      'decisions:context': { id: decision.id },
      'errors:list': { strategyId: strategy.id },
      'errors:resolve': { id: fault.id, note: 'not mine to resolve' },
      'strategies:updateConfig': { id: strategy.id, config: {} },
      'strategies:start': { id: strategy.id },
      'strategies:stop': { id: strategy.id },
      'strategies:pause': { id: strategy.id },
      'strategies:resume': { id: strategy.id },
      'strategies:delete': { id: strategy.id },
      'strategies:logs': { id: strategy.id },
      'exchanges:deleteKey': { id: key.id },
      'exchanges:testKey': { id: key.id },
      'backtests:get': { id: backtest.id },
      'backtests:cancel': { runId: runningId },
      'backtests:delete': { id: backtest.id },
      'backtests:export': { id: backtest.id, format: 'stats_json' },
      'backtests:run': {
        runId: runningId,
        kind: 'ema_crossover',
        symbol: 'BTC-USD',
        timeframe: '1m',
        source: 'synthetic',
        candles: 100,
      },
      'imports:commit': { importId: staged.importId },
      'imports:discard': { importId: staged.importId },
      'positions:protect': { id: outside.id, stopLoss: '59000' },
      'positions:detail': { id: outside.id },
      'positions:close': { id: outside.id },
      'positions:modify': { id: outside.id, stopLoss: '59000' },
      'positions:trail': { id: outside.id, trailing: { kind: 'distance', distance: '100' }, breakEvenAtR: null },
    }

    // A channel added later that names an object fails here until it is walked too.
    const naming = Object.entries(contract)
      .filter(([, spec]) => topLevelFields(spec.input as z.ZodType).some((field) => ID_FIELD.test(field)))
      .map(([channel]) => channel)
      .filter((channel) => !(channel in NOT_A_PROFILES_OBJECT))
    expect(naming.sort()).toEqual(Object.keys(theirs).sort())

    const answers: Record<string, string> = {}
    for (const [channel, input] of Object.entries(theirs)) {
      const outcome = await callAs<unknown>(core, other, channel, input).then(
        (value) => ({ value }),
        (error: { code?: string; message: string }) => error,
      )
      if (!('value' in outcome)) answers[channel] = outcome.code ?? 'no code'
      else {
        // Only a read that filters may answer, and with nothing of the owner's in it.
        const text = JSON.stringify(outcome.value)
        const leaks = [idea.id, strategy.id, fault.id].some((owned) => text.includes(owned))
        answers[channel] = FILTERS.has(channel) && !leaks ? 'nothing of theirs' : `answered ${text.slice(0, 80)}`
      }
    }
    expect(answers).toEqual(
      Object.fromEntries(
        Object.keys(theirs).map((channel) => [
          channel,
          FILTERS.has(channel) ? 'nothing of theirs' : expect.stringMatching(/^(not_found|conflict)$/),
        ]),
      ),
    )

    expect((await callAs<StrategyView[]>(core, owner, 'strategies:list')).map((row) => row.id)).toEqual([strategy.id])
    expect((await core.context.store.tradeIdeas.get(owner, idea.id))?.status).toBe(idea.status)
    expect((await core.context.store.errorLogs.list(owner))[0]).toMatchObject({ id: fault.id, resolvedAt: null })
    expect((await callAs<{ keys: ExchangeKeyView[] }>(core, owner, 'exchanges:list')).keys).toHaveLength(1)
    expect(await callAs(core, owner, 'backtests:get', { id: backtest.id })).toMatchObject({ id: backtest.id })
    expect(existsSync(staged.path)).toBe(true)
    expect(await core.context.store.positions.get(owner, outside.id)).toMatchObject({ stopLoss: null, status: 'open' })
    expect(await callAs(core, owner, 'backtests:cancel', { runId: runningId })).toEqual({ cancelled: true })
    expect(await running).toMatchObject({
      code: 'conflict',
      message: 'The backtest was cancelled; nothing was stored.',
    })
  })
})
