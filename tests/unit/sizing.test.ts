import Decimal from 'decimal.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { paperSteps, riskBudget, sizeForRisk } from '../../src/main/core/domains/trading/sizing'
import { commonConfigSchema } from '../../src/main/core/domains/strategies/kinds/kind'

describe('sizing by risk', () => {
  it('reads the risk per trade as an amount or a share of the equity', () => {
    expect(riskBudget('50', '10000').toString()).toBe('50')
    expect(riskBudget('0.5%', '10000').toString()).toBe('50')
    expect(riskBudget(' 2% ', '1234.5').toString()).toBe('24.69')
  })

  it('sizes so that the stop loses the budget, rounded down, never up', () => {
    // 50 at risk, 600 from entry to stop: 0.0833… units, 0.08333333 on paper.
    expect(paperSteps(sizeForRisk(new Decimal(50), 60_000, 59_400))).toBe('0.08333333')
    expect(sizeForRisk(new Decimal(50), 100, 100).toString()).toBe('0')
    expect(sizeForRisk(new Decimal(0), 100, 90).toString()).toBe('0')
  })

  it('never risks more than the budget, for any entry, stop and budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 500_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (entryCents, distanceCents, budgetCents) => {
          const entry = new Decimal(entryCents).div(100).plus(distanceCents / 100)
          const stop = entry.minus(new Decimal(distanceCents).div(100))
          const budget = new Decimal(budgetCents).div(100)
          const size = new Decimal(paperSteps(sizeForRisk(budget, entry, stop)))
          expect(size.times(entry.minus(stop)).lte(budget)).toBe(true)
          // And one more step would risk more: the size is the most the budget allows.
          expect(size.plus('0.00000001').times(entry.minus(stop)).gt(budget)).toBe(true)
        },
      ),
    )
  })

  it('the strategy form refuses a risk it cannot read, in words, and defaults to the fixed size', () => {
    expect(commonConfigSchema.parse({})).toMatchObject({ sizing: 'fixed', riskPerTrade: '0.5%', orderSize: '1' })
    const refused = commonConfigSchema.safeParse({ sizing: 'risk', riskPerTrade: 'half' })
    expect(refused.success).toBe(false)
    expect(refused.error?.issues[0]?.message).toBe('Enter an amount, e.g. 50, or a share of the equity, e.g. 0.5%')
    expect(commonConfigSchema.safeParse({ riskPerTrade: '25%' }).error?.issues[0]?.message).toBe(
      'At most 10% of the equity per trade',
    )
  })
})
