import { afterEach, describe, expect, it } from 'vitest'
import type { FlattenReport, TradeIdea } from '../../src/shared/domain'
import { callCore as call, openTestDesk } from '../helpers/exchange-desk'

/* Flatten and halt closes the profile's paper positions too, each at the last price the desk saw for it. */
describe('flatten and halt on paper', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })
  const candle = (symbol: string, ts: string, price: number) => ({
    symbol,
    timeframe: '1m',
    ts,
    open: String(price),
    high: String(price + 1),
    low: String(price - 1),
    close: String(price),
    volume: '5',
  })

  it('closes every paper position at the last price seen and reports one with no price yet', async () => {
    const { core, user } = await openTestDesk(cleanups)
    const { service, broker } = core.services.trading.for(user)
    const opened: TradeIdea[] = []
    for (const symbol of ['ETH-PERP', 'SOL-PERP']) {
      const { idea } = await service.propose(user, {
        symbol,
        direction: 'long',
        entryPrice: '100',
        stopLoss: '90',
        takeProfit: '120',
        size: '1',
        confidence: 0.5,
        rationale: 'paper test',
      })
      opened.push(await call<TradeIdea>(core, 'ideas:approve', { id: idea.id }))
    }
    await broker.onCandle(candle('ETH-PERP', new Date().toISOString(), 100))
    await broker.onCandle(candle('SOL-PERP', new Date().toISOString(), 100))
    await broker.onCandle(candle('ETH-PERP', new Date(Date.now() + 60_000).toISOString(), 104))
    expect(await broker.getPositions()).toHaveLength(2)
    // Restarted since: the paper broker has seen no price for SOL-PERP.
    ;(broker as unknown as { lastPrices: Map<string, string> }).lastPrices.delete('SOL-PERP')

    const report = await call<FlattenReport>(core, 'trading:flattenAndHalt', { reason: 'end of day', confirm: true })
    expect(report.paper).toEqual({
      closed: 1,
      failed: [{ symbol: 'SOL-PERP', reason: expect.stringContaining('no price for SOL-PERP has been seen') }],
    })
    expect((await broker.getPositions()).map((position) => position.symbol)).toEqual(['SOL-PERP'])
    const [trade] = await core.context.store.trades.all(user, { broker: 'paper' })
    expect(trade).toMatchObject({ symbol: 'ETH-PERP', exitReason: 'manual', tradeIdeaId: opened[0]!.id })
    expect(Number(trade!.exitPrice)).toBeCloseTo(104, 0)
  })
})
