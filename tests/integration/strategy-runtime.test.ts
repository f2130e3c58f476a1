import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core, type StrategyRuntimeSettings } from '../../src/main/core/wiring/app'
import type { StrategyInstance } from '../../src/shared/domain'
import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { makeTempDir } from '../helpers/temp-dir'
import { kinds as testKinds, TEST_KINDS_MODULE } from '../helpers/test-kinds'

// One-second candles: history warms up at once, then a live candle (and with \`every: 1\` an idea) every second.
const FAST_FEED = { history: 2_000, timeframe: '1s' }

describe('strategy runtime', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function openTestCore(dataDir: string, settings: Partial<StrategyRuntimeSettings> = {}): Promise<Core> {
    const core = openCore({
      dataDir,
      host: 'cli',
      appVersion: 'test',
      strategies: {
        worker: sourceWorkerEntry,
        extraKinds: testKinds,
        kindModules: [TEST_KINDS_MODULE],
        heartbeatMs: 200,
        backoffBaseMs: 20,
        ...settings,
      },
    })
    cleanups.push(() => core.close())
    await core.start()
    return core
  }

  function tempDataDir(): string {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    return dir.path
  }

  async function until<T>(
    what: string,
    probe: () => Promise<T | null | undefined | false>,
    timeoutMs = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = await probe()
      if (value) return value
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  async function create(
    core: Core,
    userId: string,
    strategyName: string,
    config: Record<string, unknown>,
    instrument = 'BTC-USD',
  ): Promise<StrategyInstance> {
    return core.context.store.strategies.create(userId, { strategyName, instrument, environment: 'paper', config })
  }

  const human = (userId: string) => ({ kind: 'human' as const, userId })

  it('runs the same kind on the same instrument for two users in isolation', async () => {
    const core = await openTestCore(tempDataDir())
    const { store } = core.context
    const { strategies } = core.services
    const alice = core.context.profileId as string
    const bob = (await store.users.create({ displayName: 'Bob' })).id
    const a = await create(core, alice, 'test_steady', { ...FAST_FEED, every: 1 })
    const b = await create(core, bob, 'test_steady', { ...FAST_FEED, every: 1, seed: 7 })
    await strategies.start(alice, a.id, human(alice))
    await strategies.start(bob, b.id, human(bob))
    await until(
      'ideas for both users',
      async () => (await store.tradeIdeas.list(alice)).length >= 3 && (await store.tradeIdeas.list(bob)).length >= 3,
    )
    await strategies.stop(alice, a.id, human(alice))
    await strategies.stop(bob, b.id, human(bob))
    const aliceIdeas = await store.tradeIdeas.list(alice, { limit: 1000 })
    const bobIdeas = await store.tradeIdeas.list(bob, { limit: 1000 })
    expect(aliceIdeas.every((idea) => idea.strategyId === a.id && idea.userId === alice)).toBe(true)
    expect(bobIdeas.every((idea) => idea.strategyId === b.id && idea.userId === bob)).toBe(true)
    // Each instance's synthetic market is its own: the candles an idea points at belong to its series.
    const snapshot = await store.marketSnapshots.get(aliceIdeas[0]!.snapshotId as string)
    expect(snapshot?.timeframe).toBe(`1s@sim-${a.id}`)
    expect(await store.strategies.get(alice, b.id)).toBeNull()
    // Filtered by action: how many ideas came in between depends on the machine's speed, and must not push the start off the page.
    const history = (
      await store.decisions.query(
        alice,
        { strategyId: a.id, actions: ['strategy_started', 'strategy_stopped'] },
        { limit: 500 },
      )
    ).rows.map((row) => row.action)
    expect(history).toContain('strategy_started')
    expect(history).toContain('strategy_stopped')
    expect((await store.decisions.query(alice, { strategyId: b.id })).rows).toHaveLength(0)
  })

  it('writes heartbeats while active and shows a stuck instance as stale while the others keep working', async () => {
    const core = await openTestCore(tempDataDir())
    const { store } = core.context
    const { strategies } = core.services
    const user = core.context.profileId as string
    const steady = await create(core, user, 'test_steady', { ...FAST_FEED, every: 1 }, 'ETH-USD')
    const busy = await create(core, user, 'test_busy', { ...FAST_FEED, busyMs: 10_000 }, 'SOL-USD')
    const throwing = await create(core, user, 'test_throws', FAST_FEED, 'XRP-USD')
    await strategies.start(user, busy.id, human(user))
    await strategies.start(user, throwing.id, human(user))
    await strategies.start(user, steady.id, human(user))
    const firstBeat = await until(
      'a heartbeat',
      async () => (await store.strategies.get(user, steady.id))?.lastHeartbeat,
    )
    await until(
      'a later heartbeat',
      async () => ((await store.strategies.get(user, steady.id))?.lastHeartbeat ?? '') > firstBeat,
    )
    const ideasBefore = (await store.tradeIdeas.list(user, { limit: 10_000 })).length
    // Three missed intervals (600 ms) mark the busy one stale; the steady one keeps proposing meanwhile.
    await until('the busy instance to be stale', async () =>
      strategies.isStale((await store.strategies.get(user, busy.id))!),
    )
    await until(
      'more ideas from the steady instance',
      async () => (await store.tradeIdeas.list(user, { limit: 10_000 })).length > ideasBefore + 3,
    )
    expect(strategies.isStale((await store.strategies.get(user, steady.id))!)).toBe(false)
    const throwingRow = await store.strategies.get(user, throwing.id)
    expect(throwingRow?.errorCount).toBeGreaterThan(0)
    await strategies.stop(user, busy.id, human(user))
    await strategies.stop(user, throwing.id, human(user))
    await strategies.stop(user, steady.id, human(user))
  }, 60_000)

  it('retries a failing instance with backoff, logs every fault with its stack, and gives up after N in a row', async () => {
    const core = await openTestCore(tempDataDir(), { maxConsecutiveFailures: 3 })
    const { store } = core.context
    const { strategies } = core.services
    const user = core.context.profileId as string
    const events: string[] = []
    core.events.subscribe((event) => events.push(event))
    const failing = await create(core, user, 'test_throws', FAST_FEED)
    await strategies.start(user, failing.id, human(user))
    const stopped = await until('the error status', async () => {
      const row = await store.strategies.get(user, failing.id)
      return row?.status === 'error' ? row : null
    })
    expect(stopped).toMatchObject({
      errorCount: 3,
      errorMessage: 'the strategy blew up on purpose',
      lastAction: 'failed',
    })
    const errors = await store.errorLogs.forStrategy(user, failing.id)
    expect(errors).toHaveLength(3)
    expect(errors[0]!.stack).toContain('test-kinds')
    const history = (await store.decisions.query(user, { strategyId: failing.id })).rows
    expect(history[0]).toMatchObject({ action: 'strategy_error', actor: 'system' })
    expect(await store.notifications.unread(user)).toEqual([
      expect.objectContaining({ level: 'error', title: expect.stringContaining('stopped after repeated errors') }),
    ])
    const logs = await store.serviceLogs.forStrategy(user, failing.id)
    expect(logs.filter((log) => log.level === 'error').map((log) => log.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Retrying in'),
        expect.stringContaining('Failed 3 of 3 times in a row'),
      ]),
    )
    expect(events).toContain('strategies:changed')
  })

  it('recovers when the fault clears: the failure streak resets and the instance stays active', async () => {
    const dataDir = tempDataDir()
    const marker = join(dataDir, 'fail-marker')
    writeFileSync(marker, '')
    const core = await openTestCore(dataDir, { maxConsecutiveFailures: 50 })
    const { store } = core.context
    const { strategies } = core.services
    const user = core.context.profileId as string
    const flaky = await create(core, user, 'test_flaky', { ...FAST_FEED, markerFile: marker })
    await strategies.start(user, flaky.id, human(user))
    await until('two failures', async () => ((await store.strategies.get(user, flaky.id))?.errorCount ?? 0) >= 2)
    rmSync(marker)
    await until(
      'candles flowing again',
      async () => (await store.marketSnapshots.count('BTC-USD', `1s@sim-${flaky.id}`)) > 100,
    )
    expect(await store.strategies.get(user, flaky.id)).toMatchObject({ status: 'active' })
    expect(strategies.retryAt(flaky.id)).toBeNull()
    await strategies.stop(user, flaky.id, human(user))
  })

  it('resumes exactly the active auto-reconnect instances after a restart, for every user, also after a hard kill', async () => {
    const dataDir = tempDataDir()
    const first = await openTestCore(dataDir)
    const alice = first.context.profileId as string
    const bob = (await first.context.store.users.create({ displayName: 'Bob' })).id
    const { strategies } = first.services
    const running = await create(first, alice, 'test_steady', FAST_FEED, 'BTC-USD')
    const stopped = await create(first, alice, 'test_steady', FAST_FEED, 'ETH-USD')
    const paused = await create(first, alice, 'test_steady', FAST_FEED, 'SOL-USD')
    const neverStarted = await create(first, alice, 'test_steady', FAST_FEED, 'ADA-USD')
    const bobs = await create(first, bob, 'test_steady', FAST_FEED, 'BTC-USD')
    for (const [user, instance] of [
      [alice, running],
      [alice, stopped],
      [alice, paused],
      [bob, bobs],
    ] as const)
      await strategies.start(user, instance.id, human(user))
    await strategies.stop(alice, stopped.id, human(alice))
    await strategies.pause(alice, paused.id, human(alice))
    await first.shutdown()
    expect(await first.context.store.strategies.get(alice, running.id)).toMatchObject({
      status: 'active',
      autoReconnect: true,
      lastAction: 'app_shutdown',
    })
    expect(await first.context.store.strategies.get(alice, stopped.id)).toMatchObject({
      status: 'stopped',
      autoReconnect: false,
    })
    first.close()

    const second = await openTestCore(dataDir)
    const store = second.context.store
    expect(second.services.strategies.isRunning(running.id)).toBe(true)
    expect(second.services.strategies.isRunning(bobs.id)).toBe(true)
    for (const id of [stopped.id, paused.id, neverStarted.id])
      expect(second.services.strategies.isRunning(id)).toBe(false)
    expect(await store.strategies.get(alice, running.id)).toMatchObject({
      status: 'active',
      lastAction: 'resumed_after_restart',
    })
    expect(await store.strategies.get(alice, paused.id)).toMatchObject({ status: 'paused' })
    const resumedRow = (await store.decisions.query(alice, { strategyId: running.id })).rows[0]
    expect(resumedRow).toMatchObject({
      action: 'strategy_started',
      actor: 'system',
      rationale: expect.stringContaining('after the app restarted'),
    })
    // A hard kill writes nothing on the way out; the rows still say active, so the next launch resumes them too.
    second.close()
    const third = await openTestCore(dataDir)
    expect(third.services.strategies.isRunning(running.id)).toBe(true)
    expect(third.services.strategies.isRunning(bobs.id)).toBe(true)
    expect(third.services.strategies.isRunning(stopped.id)).toBe(false)
    await third.shutdown()
  })
})
