import { describe, expect, it } from 'vitest'
import type { Order } from '../../src/main/core/platform/store/repositories/execution'
import { planProtection, surplusProtection, wantedLevels } from '../../src/main/core/domains/exchanges/protection'

const position = { symbol: 'BTCUSDT', quantity: '0.003', stopLoss: '59000', takeProfit: '62000' }
const levels = wantedLevels(position, { nativeStopLoss: true, nativeTakeProfit: true })

let sequence = 0
function order(reason: 'stop_loss' | 'take_profit', quantity: string, status: Order['status'], extra = {}): Order {
  sequence++
  return {
    id: `order-${sequence}`,
    quantity,
    status,
    brokerOrderId: status === 'pending' ? null : `x-${sequence}`,
    metadata: { reason, native: true, triggerPrice: reason === 'stop_loss' ? '59000' : '62000', ...extra },
  } as unknown as Order
}

describe('planning a position’s protection', () => {
  it('asks for both levels the first time, with no repair to explain', () => {
    expect(planProtection(position, levels, [])).toEqual([
      { level: { reason: 'stop_loss', price: '59000' }, replaces: [], why: null },
      { level: { reason: 'take_profit', price: '62000' }, replaces: [], why: null },
    ])
    expect(wantedLevels(position, { nativeStopLoss: false, nativeTakeProfit: false })).toEqual([])
  })

  it('leaves a level alone while an order for the whole size rests or is on its way', () => {
    expect(
      planProtection(position, levels, [order('stop_loss', '0.003', 'open'), order('take_profit', '0.003', 'pending')]),
    ).toEqual([])
  })

  it('places again a level whose last order was cancelled or failed, saying so', () => {
    const [step] = planProtection(position, levels.slice(0, 1), [order('stop_loss', '0.003', 'cancelled')])
    expect(step!.why).toContain('was cancelled or expired on the exchange')
    const [failed] = planProtection(position, levels.slice(0, 1), [
      order('stop_loss', '0.003', 'failed', { error: 'it was never taken' }),
    ])
    expect(failed!.why).toContain('could not be placed: it was never taken')
  })

  it('replaces a resting order of another size, and only then are the old ones surplus', () => {
    const old = order('stop_loss', '0.002', 'open')
    const [step] = planProtection(position, levels.slice(0, 1), [old])
    expect(step).toMatchObject({ replaces: [old], why: expect.stringContaining('no longer matches the position') })
    // The replacement is still on its way: the old one keeps protecting.
    expect(surplusProtection(position, levels, [old, order('stop_loss', '0.003', 'pending')])).toEqual([])
    expect(surplusProtection(position, levels, [old, order('stop_loss', '0.003', 'open')])).toEqual([old])
  })
})
