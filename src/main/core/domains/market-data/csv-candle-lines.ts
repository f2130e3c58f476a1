import type { Candle } from '../../platform/store/repositories/market-snapshots'

export interface CsvLineError {
  line: number
  message: string
}

const REQUIRED = ['open', 'high', 'low', 'close', 'volume'] as const
const TIME_COLUMNS = ['timestamp', 'time', 'date', 'datetime', 'ts']
const NUMBER = /^\d+(\.\d+)?$/
/** Longer than any real candle line; a longer one is refused rather than held in memory. */
export const MAX_LINE_CHARS = 4096
/** About 50 million one-minute candles: a century of one market. A larger file is more likely a mistake than history. */
export const MAX_CANDLE_FILE_BYTES = 4 * 1024 ** 3

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!
}

function parseTimestamp(text: string): string | null {
  if (/^\d{10}$/.test(text)) return new Date(Number(text) * 1000).toISOString()
  if (/^\d{13}$/.test(text)) return new Date(Number(text)).toISOString()
  // Only ISO-8601 with an explicit zone: a local time would shift every candle by the machine's offset.
  const parts = ISO_TIME.exec(text)
  if (!parts) return null
  const year = Number(parts[1])
  const month = Number(parts[2])
  const day = Number(parts[3])
  const hour = Number(parts[4])
  const minute = Number(parts[5])
  const second = parts[6] === undefined ? 0 : Number(parts[6])
  // Date.parse would roll 30 February over into March; a candle file with that date is wrong.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
    return null
  // Already in the stored form (what exports and most exchanges write): keep it as it is.
  if (text.length === 24 && text[10] === 'T' && parts[7]?.length === 4 && parts[8] === 'Z') return text
  const date = new Date(text.replace(' ', 'T'))
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

const unquote = (cell: string) => {
  const trimmed = cell.trim()
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed.replace(/^"|"$/g, '')
}
const cellsOf = (line: string) => line.split(',').map(unquote)
const NEEDS_CLEANING = /["\s]/
const quoted = (text: string) => `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`

export type LineOutcome = { candle: Candle } | { error: string } | null

/**
 * Reads OHLCV candles one line at a time, so a file of any size streams
 * through it: first a header naming timestamp, open, high, low, close and
 * volume (any order, any case), then one candle per line. Fields are plain
 * numbers, so a split on commas is enough; quotes around a field are tolerated.
 */
export class CandleCsvReader {
  private header: string[] | null = null
  private timeIndex = -1
  /** Where open, high, low, close and volume sit in a line, in that order. */
  private valueIndexes: number[] = []
  private previousTs: string | null = null

  constructor(
    private readonly symbol: string,
    private readonly timeframe: string,
  ) {}

  /** Feeds the next line (without its line ending); returns the candle, the problem, or null for a header or blank line. */
  read(rawLine: string): LineOutcome {
    if (rawLine.length > MAX_LINE_CHARS)
      return { error: `The line is longer than ${MAX_LINE_CHARS} characters; is this a candle CSV?` }
    if (this.header === null) return this.readHeader(rawLine)
    const raw = rawLine.trim()
    if (raw === '') return null
    // Most files have neither quotes nor padding; only those pay for cleaning every cell.
    const cells = NEEDS_CLEANING.test(raw) ? raw.split(',').map(unquote) : raw.split(',')
    if (cells.length !== this.header.length)
      return { error: `Expected ${this.header.length} fields, found ${cells.length}.` }
    const timeText = cells[this.timeIndex]!
    const ts = parseTimestamp(timeText)
    if (!ts)
      return {
        error: `${quoted(timeText)} is not a timestamp; use ISO-8601 with a zone (2024-01-31T14:00:00Z) or Unix seconds or milliseconds.`,
      }
    const indexes = this.valueIndexes
    for (let i = 0; i < indexes.length; i++) {
      const value = cells[indexes[i]!]!
      if (!NUMBER.test(value)) return { error: `${REQUIRED[i]} ${quoted(value)} is not a non-negative number.` }
    }
    const open = cells[indexes[0]!]!
    const high = cells[indexes[1]!]!
    const low = cells[indexes[2]!]!
    const close = cells[indexes[3]!]!
    const volume = cells[indexes[4]!]!
    const [openN, highN, lowN, closeN] = [Number(open), Number(high), Number(low), Number(close)]
    const previousTs = this.previousTs
    this.previousTs = ts
    if (highN < Math.max(openN, closeN)) return { error: `high ${high} is below the open or the close.` }
    if (lowN > Math.min(openN, closeN)) return { error: `low ${low} is above the open or the close.` }
    if (previousTs !== null && ts <= previousTs)
      return {
        error: `${ts} is not after the previous candle (${previousTs}); candles must be in time order without duplicates.`,
      }
    return { candle: { symbol: this.symbol, timeframe: this.timeframe, ts, open, high, low, close, volume } }
  }

  private readHeader(line: string): LineOutcome {
    const header = cellsOf(line.replace(/^\uFEFF/, '')).map((name) => name.toLowerCase())
    const timeIndex = header.findIndex((name) => TIME_COLUMNS.includes(name))
    const missing = [...(timeIndex < 0 ? ['timestamp'] : []), ...REQUIRED.filter((name) => !header.includes(name))]
    if (missing.length > 0)
      return {
        error: `The header must name timestamp, open, high, low, close and volume; missing: ${missing.join(', ')}.`,
      }
    this.header = header
    this.timeIndex = timeIndex
    this.valueIndexes = REQUIRED.map((name) => header.indexOf(name))
    return null
  }

  get sawHeader(): boolean {
    return this.header !== null
  }
}
