import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import type { SystemStatus } from '../../src/shared/contract'
import type { StrategyView } from '../../src/shared/domain'
import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { makeTempDir } from '../helpers/temp-dir'

describe('transitions that lose a race, and status calls that stay cheap', () => {
  const dir = makeTempDir()
  let core: Core
  const call = (channel: string, input: unknown = {}) => dispatch(core.handlers, channel, input)

  beforeAll(async () => {
    core = openCore({
      dataDir: dir.path,
      host: 'browser',
      appVersion: 'test',
      strategies: { worker: sourceWorkerEntry, heartbeatMs: 200 },
    })
    await core.start()
  })
  afterAll(() => {
    core.close()
    dir.remove()
  })

  async function waitingIdea(symbol: string): Promise<string> {
    const profileId = core.context.profileId as string
    const { service } = core.services.trading.for(profileId)
    const { idea } = await service.propose(profileId, {
      symbol,
      direction: 'long',
      entryPrice: '100',
      stopLoss: '95',
      takeProfit: '110',
      size: '0.1',
      confidence: 0.9,
      rationale: 'race',
    })
    return idea.id
  }

  it('a reject that loses to an approve is a conflict naming the state, and so is an approve that loses to a reject', async () => {
    const first = await waitingIdea('RACE-A')
    const [approved, rejected] = await Promise.all([
      call('ideas:approve', { id: first }),
      call('ideas:reject', { id: first }),
    ])
    expect(approved).toMatchObject({ ok: true, value: { status: 'approved' } })
    expect(rejected).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('it is approved') },
    })

    const second = await waitingIdea('RACE-B')
    const [rejectedFirst, approvedLate] = await Promise.all([
      call('ideas:reject', { id: second }),
      call('ideas:approve', { id: second }),
    ])
    expect(rejectedFirst).toMatchObject({ ok: true, value: { status: 'rejected' } })
    expect(approvedLate).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('it is rejected') },
    })
    // The same decision from a second window is the same decision, not a conflict.
    expect(await call('ideas:reject', { id: second })).toMatchObject({ ok: true, value: { status: 'rejected' } })
  })

  it('a pause that loses to a stop is a conflict, and the stop is not overwritten', async () => {
    const created = await call('strategies:create', {
      strategyName: 'ema_crossover',
      instrument: 'RACE-USD',
      config: { timeframe: '1s', history: 500 },
    })
    if (!created.ok) throw new Error(created.error.message)
    const id = (created.value as StrategyView).id
    expect(await call('strategies:start', { id })).toMatchObject({ ok: true, value: { status: 'active' } })
    const [stopped, paused] = await Promise.all([call('strategies:stop', { id }), call('strategies:pause', { id })])
    expect(stopped).toMatchObject({ ok: true, value: { status: 'stopped' } })
    expect(paused).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('it is stopped now') },
    })
    const after = await call('strategies:list')
    expect((after.ok ? (after.value as StrategyView[]) : []).find((instance) => instance.id === id)).toMatchObject({
      status: 'stopped',
    })
    const [startA, startB] = await Promise.all([call('strategies:start', { id }), call('strategies:start', { id })])
    expect([startA.ok, startB.ok].sort()).toEqual([false, true])
    expect(startA.ok ? startB : startA).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('being started already') },
    })
    await call('strategies:stop', { id })
  })

  it('system:status returns the integrity check from start, and runs it again only when asked', async () => {
    const first = await call('system:status')
    const again = await call('system:status')
    if (!first.ok || !again.ok) throw new Error('status failed')
    const checkedAt = (first.value as SystemStatus).quickCheck.checkedAt
    expect((again.value as SystemStatus).quickCheck).toEqual({ ok: true, messages: ['ok'], checkedAt })
    await new Promise((resolve) => setTimeout(resolve, 5))
    const fresh = await call('system:checkIntegrity')
    expect(fresh).toMatchObject({ ok: true, value: { quickCheck: { ok: true } } })
    const newer = (fresh.ok ? (fresh.value as SystemStatus) : null)?.quickCheck.checkedAt as string
    expect(newer > checkedAt).toBe(true)
    expect(((await call('system:status')) as { value: SystemStatus }).value.quickCheck.checkedAt).toBe(newer)
  })

  it('refuses a NUL or other control character in the decision-history filter instead of matching every row', async () => {
    for (const text of ['\u0000', 'a\u0000', '\u0007bell', 'tab\there']) {
      expect(await call('decisions:query', { filter: { text } })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: expect.stringContaining('control characters') },
      })
    }
    expect(await call('decisions:query', { filter: { actor: 'human\u0000' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(await call('decisions:query', { filter: { text: 'race' } })).toMatchObject({ ok: true })
  })
})
