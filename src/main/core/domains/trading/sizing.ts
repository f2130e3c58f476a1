import Decimal from 'decimal.js'

/** How much a trade may lose if its stop is hit: a fixed amount ("50"), or a share of the equity ("0.5%"). */
export function riskBudget(riskPerTrade: string, equity: Decimal.Value): Decimal {
  const text = riskPerTrade.trim()
  return text.endsWith('%') ? new Decimal(equity).times(text.slice(0, -1)).div(100) : new Decimal(text)
}

/**
 * The size that loses `budget` when the stop is hit (linear: the distance from entry to stop times the size),
 * before rounding to the market's step; zero when the budget is not positive or the stop sits on the entry.
 */
export function sizeForRisk(budget: Decimal, entry: Decimal.Value, stop: Decimal.Value): Decimal {
  const distance = new Decimal(entry).minus(stop).abs()
  if (distance.isZero() || budget.lte(0)) return new Decimal(0)
  return budget.div(distance)
}

/** A size on a venue with no stated step (paper): rounded down to eight decimals, never up. */
export const paperSteps = (quantity: Decimal): string => quantity.toDecimalPlaces(8, Decimal.ROUND_DOWN).toString()
