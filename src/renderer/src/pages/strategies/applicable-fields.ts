/** Settings of the synthetic market: an exchange instance trades the exchange's candles, and a CSV feed its file's. */
const SYNTHETIC_MARKET = ['seed', 'startPrice'] as const
/** Where candles come from matters on paper only: an exchange instance always takes the exchange's. */
const PAPER_ONLY = ['feed'] as const
/** How an ATR trailing stop trails: meaningless unless the trailing stop is by ATR. */
const TRAILING_BY_ATR = ['trailingAtrMultiple', 'trailingAtrPeriod'] as const

/**
 * The settings that mean nothing for what the form has chosen, so the form does not show them:
 * an exchange has no feed or seed of Tradedeck's; a CSV feed has no seed; a
 * fixed size has no risk per trade, and a risk-sized one no fixed size; a trailing stop's distance or ATR shows
 * only for the trailing stop chosen.
 */
export function inapplicableFields(values: Record<string, string>, broker: string): Set<string> {
  const hidden = new Set<string>()
  const onPaper = broker === 'paper'
  if (!onPaper) for (const key of [...PAPER_ONLY, ...SYNTHETIC_MARKET]) hidden.add(key)
  if (onPaper && values.feed === 'csv') for (const key of SYNTHETIC_MARKET) hidden.add(key)
  hidden.add(values.sizing === 'risk' ? 'orderSize' : 'riskPerTrade')
  if (values.trailingStop !== 'distance') hidden.add('trailingDistance')
  if (values.trailingStop !== 'atr') for (const key of TRAILING_BY_ATR) hidden.add(key)
  return hidden
}
