/**
 * Where a synthetic market starts and how much it moves, by the coin or currency a symbol is
 * named after: BTC in the tens of thousands and about 60% a year, a major FX pair near its level
 * and under 10%. Levels and volatilities are round figures of recent years, not quotes: they make
 * a backtest or a paper run look like the market it is named after.
 */
const MARKETS: Record<string, { startPrice: number; annualVolatility: number }> = {
  BTC: { startPrice: 60_000, annualVolatility: 0.6 },
  ETH: { startPrice: 3_000, annualVolatility: 0.75 },
  SOL: { startPrice: 150, annualVolatility: 1 },
  BNB: { startPrice: 550, annualVolatility: 0.6 },
  XRP: { startPrice: 0.6, annualVolatility: 0.8 },
  ADA: { startPrice: 0.45, annualVolatility: 0.9 },
  DOGE: { startPrice: 0.15, annualVolatility: 1 },
  AVAX: { startPrice: 35, annualVolatility: 1 },
  LINK: { startPrice: 15, annualVolatility: 0.9 },
  LTC: { startPrice: 80, annualVolatility: 0.7 },
  EUR: { startPrice: 1.08, annualVolatility: 0.08 },
  GBP: { startPrice: 1.27, annualVolatility: 0.09 },
  AUD: { startPrice: 0.66, annualVolatility: 0.1 },
  XAU: { startPrice: 2_300, annualVolatility: 0.15 },
  SPX: { startPrice: 5_000, annualVolatility: 0.18 },
}

/** A symbol named after nothing above: a level where a 2-decimal tick still resolves one-second moves. */
const UNKNOWN = { startPrice: 1_000, annualVolatility: 0.5 }

/** BTC-USD, BTC/USDT:USDT, BTCUSDT, BTC_USDC-PERPETUAL → BTC's market. */
export function syntheticMarketOf(symbol: string): { startPrice: number; annualVolatility: number } {
  const upper = symbol.toUpperCase()
  const base = /^([A-Z0-9]+?)(?:[-/_:]|USDT$|USDC$|USD$|EUR$|BTC$)/.exec(upper)?.[1] ?? upper
  return MARKETS[base] ?? UNKNOWN
}
