import Decimal from 'decimal.js'

/**
 * Values as other systems store them, made into Tradedeck's: decimal text for
 * money and quantities, ISO-8601 UTC with milliseconds for times.
 */

/**
 * A float from a source database as plain decimal text, never an exponent: the shortest decimal that is
 * the same number to 14 significant digits, so 0.9799100000000034 (float noise from the source's own
 * arithmetic) is stored as 0.97991 and 107.10000000000001 as 107.1, while 65432.12345678 stays whole.
 */
export function decimalText(value: number): string {
  if (!Number.isFinite(value) || value === 0) return new Decimal(value).toFixed()
  for (let digits = 1; digits <= 17; digits++) {
    const candidate = Number(value.toPrecision(digits))
    if (Math.abs(candidate - value) <= Math.abs(value) * 1e-14) return new Decimal(value.toPrecision(digits)).toFixed()
  }
  return new Decimal(value).toFixed()
}

/** The same, as a Decimal to compute with: sums and products of clean inputs stay clean. */
export function sourceDecimal(value: number): Decimal {
  return new Decimal(decimalText(value))
}

const SOURCE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * "2024-03-01 12:00:05.123456" → "2024-03-01T12:00:05.123Z". A time with no zone
 * is taken in `zoneWhenMissing` (an offset like "+05:30", or "Z").
 */
export function isoTime(text: string, zoneWhenMissing = 'Z'): string | null {
  const match = SOURCE_TIME.exec(text.trim())
  if (!match) return null
  const [, date, time, fraction, zone] = match
  const millis = (fraction ?? '.000').slice(1, 4).padEnd(3, '0')
  const parsed = Date.parse(`${date}T${time}.${millis}${zone ?? zoneWhenMissing}`)
  return Number.isFinite(parsed) ? new Date(parsed).toISOString() : null
}
