import { describe, expect, it } from 'vitest'
import { CandleCsvReader, type CsvLineError } from '../../src/main/core/domains/market-data/csv-candle-lines'
import type { Candle } from '../../src/main/core/platform/store/repositories/market-snapshots'

/** A small CSV text through the line reader the importer streams files through. */
function parseCsvCandles(
  text: string,
  symbol: string,
  timeframe: string,
): { candles: Candle[]; errors: CsvLineError[] } {
  const reader = new CandleCsvReader(symbol, timeframe)
  const candles: Candle[] = []
  const errors: CsvLineError[] = []
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const outcome = reader.read(line)
    if (outcome && 'error' in outcome) errors.push({ line: index + 1, message: outcome.error })
    else if (outcome) candles.push(outcome.candle)
    if (!reader.sawHeader) break
  }
  if (candles.length === 0 && errors.length === 0)
    errors.push({ line: 2, message: 'The file has a header but no candles.' })
  return { candles, errors }
}

describe('CSV candle import', () => {
  it('reads columns in any order and case, with ISO or Unix timestamps', () => {
    const csv =
      'Close,Open,High,Low,Volume,Timestamp\n101,100,102,99,5,2026-01-01T00:00:00Z\n102,101,103,100,6,1767225660\n103,102,104,101,7,1767225720000\n'
    const { candles, errors } = parseCsvCandles(csv, 'BTC-USD', '1m')
    expect(errors).toEqual([])
    expect(candles.map((candle) => candle.ts)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:01:00.000Z',
      '2026-01-01T00:02:00.000Z',
    ])
    expect(candles[0]).toMatchObject({
      symbol: 'BTC-USD',
      timeframe: '1m',
      open: '100',
      high: '102',
      low: '99',
      close: '101',
      volume: '5',
    })
  })

  it('reports every bad line with its number and what is wrong', () => {
    const csv = [
      'timestamp,open,high,low,close,volume',
      '2026-01-01T00:00:00Z,100,102,99,101,5',
      '2026-01-01 00:01,100,102,99,101,5',
      '2026-01-01T00:02:00Z,100,99,98,101,5',
      '2026-01-01T00:03:00Z,abc,102,99,101,5',
      '2026-01-01T00:00:00Z,100,102,99,101,5',
      '2026-01-01T00:05:00Z,100,102,99',
    ].join('\n')
    const { errors } = parseCsvCandles(csv, 'BTC-USD', '1m')
    expect(errors).toEqual([
      { line: 3, message: expect.stringContaining('is not a timestamp') },
      { line: 4, message: 'high 99 is below the open or the close.' },
      { line: 5, message: 'open "abc" is not a non-negative number.' },
      { line: 6, message: expect.stringContaining('is not after the previous candle') },
      { line: 7, message: 'Expected 6 fields, found 4.' },
    ])
  })

  it('refuses a file without the needed columns or without candles', () => {
    expect(parseCsvCandles('date,price\n2026-01-01T00:00:00Z,1', 'X', '1m').errors[0]?.message).toContain(
      'missing: open, high, low, close, volume',
    )
    expect(parseCsvCandles('timestamp,open,high,low,close,volume\n', 'X', '1m').errors[0]?.message).toBe(
      'The file has a header but no candles.',
    )
  })
})
