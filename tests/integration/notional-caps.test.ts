import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import type { RiskConfig } from '../../src/shared/domain'
import { callAs } from '../helpers/call-as'
import { makeTempDir } from '../helpers/temp-dir'

describe('notional caps in the risk config, enforced before any order leaves', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  async function desk(): Promise<{ core: Core; user: string }> {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    const core = openCore({ dataDir: dir.path, host: 'cli', appVersion: 'test' })
    cleanups.push(() => core.close())
    await core.start()
    return { core, user: core.context.profileId as string }
  }

  const call = <T>(core: Core, channel: string, input: unknown) =>
    callAs<T>(core, core.context.profileId, channel, input)

  const idea = (size: string) => ({
    symbol: 'BTC-PERP',
    direction: 'long' as const,
    entryPrice: '100',
    stopLoss: '95',
    takeProfit: '110',
    size,
    confidence: 0.95,
    rationale: 'breakout',
  })

  it('refuses an idea worth more than the cap per order, and stops auto-execution once the day’s orders reach the cap per day', async () => {
    const { core, user } = await desk()
    const saved = await call<RiskConfig>(core, 'risk:update', {
      patch: {
        aiTradingEnabled: true,
        minConfidenceThreshold: 0.5,
        maxLotSize: '10',
        watchlist: ['BTC-PERP'],
        maxOrderNotional: '250',
        maxDailyNotional: '400',
      },
    })
    expect(saved).toMatchObject({ maxOrderNotional: '250', maxDailyNotional: '400' })
    await expect(call(core, 'risk:update', { patch: { maxOrderNotional: '-5' } })).rejects.toMatchObject({
      code: 'invalid_input',
    })
    const { service } = core.services.trading.for(user)

    // 3 × 100 = 300 > 250 per order.
    const tooBig = await service.propose(user, idea('3'))
    expect(tooBig.decision).toMatchObject({ route: 'reject', reasons: [{ code: 'order_notional_exceeded' }] })
    // 2 × 100 = 200, twice: the second passes 400 for the day.
    expect((await service.propose(user, idea('2'))).decision.route).toBe('auto_execute')
    const second = await service.propose(user, idea('2.01'))
    expect(second.decision).toMatchObject({
      route: 'reject',
      reasons: [{ code: 'daily_notional_exceeded', message: expect.stringContaining("Today's orders are worth 200") }],
    })
    expect((await service.propose(user, idea('2'))).decision.route).toBe('auto_execute')
    expect((await core.context.store.orders.notionalSince(user, '2000-01-01T00:00:00.000Z')).toString()).toBe('400')

    // A person's approval meets the cap as it stands when they approve.
    await call(core, 'risk:update', { patch: { aiTradingEnabled: false, maxDailyNotional: '1000' } })
    const waiting = await service.propose(user, idea('0.5'))
    expect(waiting.decision.route).toBe('needs_approval')
    await call(core, 'risk:update', { patch: { maxDailyNotional: '400' } })
    await expect(call(core, 'ideas:approve', { id: waiting.idea.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('cap of 400 per day'),
    })
  })
})
