import { describe, expect, it } from 'vitest'
import { decimalText, sourceDecimal } from '../../src/main/core/domains/imports/source-values'

describe('values from other systems', () => {
  it('stores the decimal a float meant, without the noise of the source’s arithmetic', () => {
    expect(decimalText(0.9799100000000034)).toBe('0.97991')
    expect(decimalText(107.10000000000001)).toBe('107.1')
    expect(decimalText(0.1 + 0.2)).toBe('0.3')
    expect(decimalText(3000 * 0.001 + 3100 * 0.001)).toBe('6.1')
    // Real digits stay, however many.
    expect(decimalText(65432.12345678)).toBe('65432.12345678')
    expect(decimalText(0.00001234)).toBe('0.00001234')
    expect(decimalText(1e21)).toBe('1000000000000000000000')
    expect(decimalText(-12.5)).toBe('-12.5')
    expect(sourceDecimal(0.5).times(sourceDecimal(107.10000000000001)).times(sourceDecimal(0.001)).toFixed()).toBe(
      '0.05355',
    )
  })
})
