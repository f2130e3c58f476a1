import { describe, expect, it } from 'vitest'
import {
  atPlaces,
  decimalsOfStep,
  formatPrice,
  formatQuantity,
  formatQuote,
  quoteCurrencyOf,
} from '../../src/shared/money'

describe('money at the market’s precision', () => {
  it('reads the places of a tick or step', () => {
    expect([0.5, '0.01', 1, 1e-8, '0.0010', 25].map(decimalsOfStep)).toEqual([1, 2, 0, 8, 3, 0])
  })

  it('knows the quote currency of every way a symbol is written', () => {
    expect(
      ['BTC-USD', 'BTC/USDT', 'BTC/USDT:USDT', 'BTC_USDC-PERPETUAL', 'BTCUSDT', 'ETH-PERP', 'ETHBTC'].map(
        quoteCurrencyOf,
      ),
    ).toEqual(['USD', 'USDT', 'USDT', 'USDC', 'USDT', 'USD', 'BTC'])
  })

  it('shows prices at the tick, sizes at the step and P&L in the quote currency’s places', () => {
    expect(formatPrice('107.10000000000001', { price: 2, quantity: 3 })).toBe('107.10')
    expect(formatPrice('60479.55', { price: 1, quantity: 3 })).toBe('60,479.6')
    expect(formatQuantity('0.0010000001', { price: 1, quantity: 3 })).toBe('0.001')
    expect(formatQuantity('1.23456789123', null)).toBe('1.23456789')
    expect(formatQuote('0.9799100000000034', 'BTC/USDT', { signed: true })).toBe('+0.98')
    expect(formatQuote('1.1776600000000000045', 'BTC-USD')).toBe('1.18')
    expect(formatQuote('-0.004', 'BTC-USD', { signed: true })).toBe('0.00')
    expect(formatQuote('-12.345', 'ETHBTC', { signed: true })).toBe('-12.34500000')
    expect(atPlaces('not a number', 2)).toBe('not a number')
  })
})
