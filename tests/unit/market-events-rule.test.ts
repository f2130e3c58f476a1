import { describe, expect, it } from 'vitest'
import { currenciesOf, withheldBy } from '../../src/main/core/domains/strategies/rules/market-events-rule'

/*
 * Which events keep a strategy out: a high-impact event for one of the symbol's currencies either side of the close,
 * and news naming the symbol only once it has come out.
 */
const event = (eventTime: string, currency: string, impact: 'low' | 'medium' | 'high' = 'high') => ({
  eventTime,
  currency,
  impact,
  title: 'Non-Farm Payrolls',
  previousValue: null,
  forecastValue: null,
  actualValue: null,
  capturedAt: null,
})
const news = (publishedAt: string, symbols: string[]) => ({
  publishedAt,
  source: 'Wire',
  headline: 'Bitcoin ETF flows jump',
  symbols,
  capturedAt: null,
})
const at = (iso: string) => Date.parse(iso)

describe('staying out around events', () => {
  it("reads a symbol's currencies, a stablecoin counting as its dollar", () => {
    expect(currenciesOf('EURUSD')).toEqual(['EUR', 'USD'])
    expect(currenciesOf('BTC-USD')).toEqual(['BTC', 'USD'])
    expect(currenciesOf('BTCUSDT')).toEqual(['BTC', 'USDT', 'USD'])
    expect(currenciesOf('BTC_USDC-PERPETUAL')).toEqual(['BTC', 'USDC', 'USD'])
    expect(currenciesOf('BTC/USDT:USDT')).toEqual(['BTC', 'USDT', 'USD'])
  })

  it('withholds within N minutes either side of a high-impact event for one of its currencies, and no other', () => {
    const avoid = { highImpactMinutes: 30, newsMinutes: 0 }
    const calendar = [event('2026-12-04T13:30:00.000Z', 'USD')]
    expect(withheldBy('EURUSD', at('2026-12-04T13:00:00Z'), avoid, { calendar, news: [] })).toBe(
      'a high-impact USD event, Non-Farm Payrolls, at 13:30 UTC, is within 30 minutes',
    )
    expect(withheldBy('EURUSD', at('2026-12-04T14:00:00Z'), avoid, { calendar, news: [] })).not.toBeNull()
    expect(withheldBy('EURUSD', at('2026-12-04T14:01:00Z'), avoid, { calendar, news: [] })).toBeNull()
    expect(withheldBy('EURJPY', at('2026-12-04T13:30:00Z'), avoid, { calendar, news: [] })).toBeNull()
    expect(
      withheldBy('EURUSD', at('2026-12-04T13:30:00Z'), avoid, {
        calendar: [event('2026-12-04T13:30:00.000Z', 'USD', 'medium')],
        news: [],
      }),
    ).toBeNull()
  })

  it('withholds after news naming the symbol, never before it came out', () => {
    const avoid = { highImpactMinutes: 0, newsMinutes: 20 }
    const items = [news('2026-12-04T10:00:00.000Z', ['btc'])]
    expect(withheldBy('BTCUSDT', at('2026-12-04T09:59:00Z'), avoid, { calendar: [], news: items })).toBeNull()
    expect(withheldBy('BTCUSDT', at('2026-12-04T10:05:00Z'), avoid, { calendar: [], news: items })).toBe(
      'news naming BTCUSDT came out at 10:00 UTC, within 20 minutes: “Bitcoin ETF flows jump” (Wire)',
    )
    expect(withheldBy('BTCUSDT', at('2026-12-04T10:21:00Z'), avoid, { calendar: [], news: items })).toBeNull()
    expect(withheldBy('ETHUSDT', at('2026-12-04T10:05:00Z'), avoid, { calendar: [], news: items })).toBeNull()
  })
})
