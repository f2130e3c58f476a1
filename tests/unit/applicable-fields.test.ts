import { describe, expect, it } from 'vitest'
import { inapplicableFields } from '../../src/renderer/src/pages/strategies/applicable-fields'

describe('the strategy form shows only the settings that apply', () => {
  it('hides the synthetic market and the feed on an exchange', () => {
    const hidden = inapplicableFields({ feed: 'synthetic', sizing: 'fixed' }, 'bybit')
    expect([...hidden].sort()).toEqual(['feed', 'riskPerTrade', 'seed', 'startPrice'])
  })

  it('shows the synthetic market on paper, and hides it for a CSV feed', () => {
    expect([...inapplicableFields({ feed: 'synthetic', sizing: 'fixed' }, 'paper')]).toEqual(['riskPerTrade'])
    expect([...inapplicableFields({ feed: 'csv', sizing: 'fixed' }, 'paper')].sort()).toEqual([
      'riskPerTrade',
      'seed',
      'startPrice',
    ])
  })

  it('shows the fixed size or the risk per trade, whichever sizes the ideas', () => {
    expect(inapplicableFields({ sizing: 'risk' }, 'paper').has('orderSize')).toBe(true)
    expect(inapplicableFields({ sizing: 'risk' }, 'paper').has('riskPerTrade')).toBe(false)
    expect(inapplicableFields({ sizing: 'fixed' }, 'paper').has('orderSize')).toBe(false)
  })
})
