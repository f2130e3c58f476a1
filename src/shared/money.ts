import Decimal from 'decimal.js'

/** Decimal places an instrument's prices and sizes are shown at: its tick and its step. */
export interface Precision {
  price: number
  /** null where the venue has no step of its own (paper): a size shows the digits it has. */
  quantity: number | null
  /** The price's tick where it is not a power of ten (Deribit's 0.5): prices are whole multiples of it. */
  priceTick?: string
}

/** A price rounded to the nearest whole tick (the tick, else the places of `precision`). */
export function onTick(price: number, precision: Precision | null): string {
  if (precision?.priceTick) {
    const tick = Number(precision.priceTick)
    return String(Number((Math.round(price / tick) * tick).toFixed(precision.price)))
  }
  return String(Number(price.toFixed(precision?.price ?? 2)))
}

/** Where nothing says otherwise: enough for any coin, and never a float's noise. */
const MAX_SHOWN_DECIMALS = 8

/** 0.5 → 1, 0.01 → 2, 1 → 0, 1e-8 → 8, "0.0010" → 3: the places a tick or step needs. */
export function decimalsOfStep(step: string | number): number {
  const value = new Decimal(step)
  if (!value.isFinite() || value.lte(0)) return 0
  return value.decimalPlaces()
}

/** Currencies a trader counts in cents. */
const CENTS = new Set(['USD', 'USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'DAI', 'EUR', 'GBP', 'CHF', 'JPY', 'AUD', 'CAD'])
const COIN_PLACES: Record<string, number> = { BTC: 8, ETH: 6 }

/** The currency a symbol is quoted in: BTC-USD → USD, BTC/USDT:USDT → USDT, BTC_USDC-PERPETUAL → USDC, BTCUSDT → USDT. */
export function quoteCurrencyOf(symbol: string): string {
  const settle = /:([A-Z0-9]+)$/.exec(symbol)?.[1]
  if (settle) return settle
  const upper = symbol.toUpperCase()
  const pair = /^[A-Z0-9]+[/_-]([A-Z0-9]+)/.exec(upper)
  // BTC-PERPETUAL, ETH-PERP: quoted in dollars.
  if (pair?.[1]) return pair[1] === 'PERPETUAL' || pair[1] === 'PERP' ? 'USD' : pair[1]
  const glued = /.(USDT|USDC|BUSD|FDUSD|USD|EUR|BTC|ETH)$/.exec(upper)
  return glued?.[1] ?? 'USD'
}

/** The places P&L and fees in a currency are shown at: cents for dollars and the like, more for coins. */
export function quoteDecimals(currency: string): number {
  if (CENTS.has(currency.toUpperCase())) return 2
  return COIN_PLACES[currency.toUpperCase()] ?? 4
}

function grouped(fixed: string): string {
  const [whole = '0', fraction] = fixed.split('.')
  const sign = whole.startsWith('-') ? '-' : ''
  const digits = sign ? whole.slice(1) : whole
  const withCommas = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${sign}${withCommas}${fraction === undefined ? '' : `.${fraction}`}`
}

function decimalOf(value: string): Decimal | null {
  try {
    const parsed = new Decimal(value)
    return parsed.isFinite() ? parsed : null
  } catch {
    return null
  }
}

/** A value at exactly `places` decimals (rounded half away from zero), with thousands grouped. */
export function atPlaces(value: string, places: number, options: { signed?: boolean } = {}): string {
  const parsed = decimalOf(value)
  if (!parsed) return value
  const fixed = parsed.toFixed(places, Decimal.ROUND_HALF_UP)
  const text = grouped(fixed === `-${(0).toFixed(places)}` ? fixed.slice(1) : fixed)
  return options.signed && !text.startsWith('-') && new Decimal(fixed).gt(0) ? `+${text}` : text
}

/** A value with the digits it has, at most eight places: where no tick or step is known. */
function asItIs(value: string): string {
  const parsed = decimalOf(value)
  if (!parsed) return value
  return grouped(parsed.toDecimalPlaces(MAX_SHOWN_DECIMALS, Decimal.ROUND_HALF_UP).toFixed())
}

/** A price at its instrument's tick. */
export function formatPrice(value: string, precision: Precision | null): string {
  return precision ? atPlaces(value, precision.price) : asItIs(value)
}

/** A size at its instrument's step. */
export function formatQuantity(value: string, precision: Precision | null): string {
  return precision?.quantity !== null && precision?.quantity !== undefined
    ? atPlaces(value, precision.quantity)
    : asItIs(value)
}

/** P&L or a fee in the symbol's quote currency, at that currency's usual places. */
export function formatQuote(value: string, symbol: string, options: { signed?: boolean } = {}): string {
  return atPlaces(value, quoteDecimals(quoteCurrencyOf(symbol)), options)
}
