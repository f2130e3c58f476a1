import type { CalendarEvent, NewsItem } from '../../../platform/store/repositories/market-events'

/*
 * Staying out around the economic calendar and the news: no idea while a high-impact event for one of the symbol's
 * currencies is within N minutes of the candle's close, or while news naming the symbol came out in the N minutes
 * before it. Forward running and a backtest ask the same question of the same rows. Nothing is looked up ahead: an
 * event counts from its scheduled time (a calendar is published ahead), and news from when it was published.
 */

export interface EventAvoidance {
  /** Minutes either side of a high-impact event for the symbol's currencies; 0: not watched. */
  highImpactMinutes: number
  /** Minutes after news naming the symbol; 0: not watched. */
  newsMinutes: number
}

const MINUTE_MS = 60_000
/** Stablecoins trade as their dollar: a USD event moves a USDT pair. */
const DOLLAR_LIKE = new Set(['USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD'])
const QUOTES = ['USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'USD', 'EUR', 'GBP', 'JPY', 'CHF', 'AUD', 'CAD', 'BTC', 'ETH']

/** What an instance's settings ask it to avoid; null when nothing. */
export function avoidanceOf(config: Record<string, unknown>): EventAvoidance | null {
  const highImpactMinutes = Number(config.avoidHighImpactMinutes ?? 0)
  const newsMinutes = Number(config.avoidNewsMinutes ?? 0)
  return highImpactMinutes > 0 || newsMinutes > 0 ? { highImpactMinutes, newsMinutes } : null
}

const normalised = (symbol: string) => symbol.toUpperCase().replace(/[^A-Z0-9]/g, '')

/** The currencies a symbol is priced in and of: EURUSD → EUR, USD; BTC_USDC-PERPETUAL → BTC, USDC, USD. */
export function currenciesOf(symbol: string): string[] {
  const bare = symbol
    .toUpperCase()
    .split(':')[0]!
    .replace(/[-_](PERPETUAL|PERP|SWAP)$/, '')
  let parts = bare.split(/[-_/]/).filter((part) => part !== '')
  if (parts.length === 1) {
    const [only] = parts as [string]
    const quote = QUOTES.find((candidate) => only.endsWith(candidate) && only.length > candidate.length)
    parts = quote
      ? [only.slice(0, -quote.length), quote]
      : only.length === 6
        ? [only.slice(0, 3), only.slice(3)]
        : parts
  }
  const currencies = new Set(parts)
  for (const part of parts) if (DOLLAR_LIKE.has(part)) currencies.add('USD')
  return [...currencies]
}

/** The window of rows a question at `closedAtMs` reads: what a caller loads before asking. */
export function eventWindow(closedAtMs: number, avoidance: EventAvoidance) {
  const span = Math.max(avoidance.highImpactMinutes, avoidance.newsMinutes) * MINUTE_MS
  return { from: new Date(closedAtMs - span).toISOString(), to: new Date(closedAtMs + span).toISOString() }
}

const hhmm = (iso: string) => iso.slice(11, 16)

/** Why an idea on `symbol` at a candle closing at `closedAtMs` is withheld, in words; null when it is not. */
export function withheldBy(
  symbol: string,
  closedAtMs: number,
  avoidance: EventAvoidance,
  events: { calendar: readonly CalendarEvent[]; news: readonly NewsItem[] },
): string | null {
  if (avoidance.highImpactMinutes > 0) {
    const currencies = new Set(currenciesOf(symbol))
    const near = events.calendar.find(
      (event) =>
        event.impact === 'high' &&
        currencies.has(event.currency.toUpperCase()) &&
        Math.abs(Date.parse(event.eventTime) - closedAtMs) <= avoidance.highImpactMinutes * MINUTE_MS,
    )
    if (near)
      return `a high-impact ${near.currency} event, ${near.title}, at ${hhmm(near.eventTime)} UTC, is within ${avoidance.highImpactMinutes} minutes`
  }
  if (avoidance.newsMinutes > 0) {
    // The symbol as written, or what it trades (its base): news tagged BTC names BTCUSDT.
    const names = new Set([normalised(symbol), currenciesOf(symbol)[0]!])
    const news = events.news.find((item) => {
      const published = Date.parse(item.publishedAt)
      return (
        published <= closedAtMs &&
        closedAtMs - published <= avoidance.newsMinutes * MINUTE_MS &&
        item.symbols.some((named) => names.has(normalised(named)))
      )
    })
    if (news)
      return `news naming ${symbol} came out at ${hhmm(news.publishedAt)} UTC, within ${avoidance.newsMinutes} minutes: “${news.headline}” (${news.source})`
  }
  return null
}

/** What an idea that was not withheld was clear of, in words, for its rationale. */
export function clearOf(symbol: string, avoidance: EventAvoidance): string {
  const parts = [
    avoidance.highImpactMinutes > 0
      ? `No high-impact ${currenciesOf(symbol).join(' or ')} event is within ${avoidance.highImpactMinutes} minutes.`
      : null,
    avoidance.newsMinutes > 0 ? `No news naming ${symbol} in the last ${avoidance.newsMinutes} minutes.` : null,
  ]
  return parts.filter((part): part is string => part !== null).join(' ')
}
