import Decimal from 'decimal.js'

/*
 * A rules instance's own risk caps, beside the profile's: the largest size one of its ideas may have, and how many of
 * its trades may be open at once. Forward running and a backtest apply them alike.
 */

/** An idea's size within the instance's cap; the size itself when it has none. */
export function cappedSize(size: string, config: Record<string, unknown>): string {
  const cap = typeof config.maxSize === 'string' && config.maxSize !== '' ? config.maxSize : null
  return cap !== null && new Decimal(size).gt(cap) ? cap : size
}

/** Why an idea is withheld for the instance's cap on open trades, in words; null when it may go ahead. */
export function openTradesCapReached(openTrades: number, config: Record<string, unknown>): string | null {
  const cap = Number(config.maxOpenTrades ?? 0)
  return cap > 0 && openTrades >= cap
    ? `the strategy may hold ${cap} open trade${cap === 1 ? '' : 's'} at once, and holds ${openTrades}`
    : null
}
