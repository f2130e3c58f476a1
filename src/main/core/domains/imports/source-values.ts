import Decimal from 'decimal.js'

/**
 * Values as other systems store them, made into Tradedeck's: decimal text for
 * money and quantities, ISO-8601 UTC with milliseconds for times.
 */

/** A float from a source database as plain decimal text (shortest round-trip digits, never an exponent). */
export function decimalText(value: number): string {
  return new Decimal(value).toFixed()
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
