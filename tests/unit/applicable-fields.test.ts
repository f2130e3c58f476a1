import { describe, expect, it } from 'vitest'
import { inapplicableFields } from '../../src/renderer/src/pages/strategies/applicable-fields'

describe('the strategy form shows only the settings that apply', () => {
  it('hides the synthetic market and the feed on an exchange', () => {
    const hidden = inapplicableFields({ feed: 'synthetic', sizing: 'fixed' }, 'bybit')
    expect([...hidden].sort()).toEqual([
      'feed',
      'riskPerTrade',
      'seed',
      'startPrice',
      'trailingAtrMultiple',
      'trailingAtrPeriod',
      'trailingDistance',
    ])
  })

  it('shows the synthetic market on paper, and hides it for a CSV feed', () => {
    const trailing = ['trailingAtrMultiple', 'trailingAtrPeriod', 'trailingDistance']
    expect([...inapplicableFields({ feed: 'synthetic', sizing: 'fixed' }, 'paper')].sort()).toEqual([
      'riskPerTrade',
      ...trailing,
    ])
    expect([...inapplicableFields({ feed: 'csv', sizing: 'fixed' }, 'paper')].sort()).toEqual([
      'riskPerTrade',
      'seed',
      'startPrice',
      ...trailing,
    ])
  })

  it('shows the fixed size or the risk per trade, whichever sizes the ideas', () => {
    expect(inapplicableFields({ sizing: 'risk' }, 'paper').has('orderSize')).toBe(true)
    expect(inapplicableFields({ sizing: 'risk' }, 'paper').has('riskPerTrade')).toBe(false)
    expect(inapplicableFields({ sizing: 'fixed' }, 'paper').has('orderSize')).toBe(false)
  })

  it('shows the trailing distance or the ATR settings, whichever trailing stop is chosen', () => {
    const distance = inapplicableFields({ trailingStop: 'distance' }, 'paper')
    expect([distance.has('trailingDistance'), distance.has('trailingAtrMultiple')]).toEqual([false, true])
    const atr = inapplicableFields({ trailingStop: 'atr' }, 'paper')
    expect([atr.has('trailingDistance'), atr.has('trailingAtrMultiple'), atr.has('trailingAtrPeriod')]).toEqual([
      true,
      false,
      false,
    ])
  })
})
