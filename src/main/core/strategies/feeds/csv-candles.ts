import type { Candle } from '../../store/repositories/market-snapshots'

export interface CsvLineError {
  line: number
  message: string
}

export interface ParsedCsv {
  candles: Candle[]
  errors: CsvLineError[]
}

const REQUIRED = ['open', 'high', 'low', 'close', 'volume'] as const
const TIME_COLUMNS = ['timestamp', 'time', 'date', 'datetime', 'ts']
const NUMBER = /^\d+(\.\d+)?$/
const MAX_ERRORS = 50

function parseTimestamp(text: string): string | null {
  if (/^\d{10}$/.test(text)) return new Date(Number(text) * 1000).toISOString()
  if (/^\d{13}$/.test(text)) return new Date(Number(text)).toISOString()
  // Only ISO-8601 with an explicit zone: a local time would shift every candle by the machine's offset.
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) return null
  const date = new Date(text.replace(' ', 'T'))
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/**
 * Reads OHLCV candles from CSV text: a header naming timestamp, open, high,
 * low, close and volume (any order, any case), then one candle per line.
 * Fields are plain numbers, so a split on commas is enough; quotes around a
 * field are tolerated. Every problem is reported with its line number, and the
 * caller imports nothing unless there are none.
 */
export function parseCsvCandles(text: string, symbol: string, timeframe: string): ParsedCsv {
  const lines = text.split(/\r?\n/)
  const errors: CsvLineError[] = []
  const candles: Candle[] = []
  const fail = (line: number, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ line, message })
  }
  const header = (lines[0] ?? '').split(',').map((cell) => cell.trim().replace(/^"|"$/g, '').toLowerCase())
  const timeIndex = header.findIndex((name) => TIME_COLUMNS.includes(name))
  const missing = [...(timeIndex < 0 ? ['timestamp'] : []), ...REQUIRED.filter((name) => !header.includes(name))]
  if (missing.length > 0) return { candles, errors: [{ line: 1, message: `The header must name timestamp, open, high, low, close and volume; missing: ${missing.join(', ')}.` }] }
  const index = Object.fromEntries(REQUIRED.map((name) => [name, header.indexOf(name)])) as Record<(typeof REQUIRED)[number], number>
  let previousTs: string | null = null
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim()
    if (raw === '') continue
    const lineNo = i + 1
    const cells = raw.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''))
    if (cells.length !== header.length) {
      fail(lineNo, `Expected ${header.length} fields, found ${cells.length}.`)
      continue
    }
    const ts = parseTimestamp(cells[timeIndex]!)
    if (!ts) {
      fail(lineNo, `"${cells[timeIndex]}" is not a timestamp; use ISO-8601 with a zone (2024-01-31T14:00:00Z) or Unix seconds or milliseconds.`)
      continue
    }
    const values = Object.fromEntries(REQUIRED.map((name) => [name, cells[index[name]]!])) as Record<(typeof REQUIRED)[number], string>
    const bad = REQUIRED.find((name) => !NUMBER.test(values[name]))
    if (bad) {
      fail(lineNo, `${bad} "${values[bad]}" is not a non-negative number.`)
      continue
    }
    const [open, high, low, close] = [values.open, values.high, values.low, values.close].map(Number) as [number, number, number, number]
    if (high < Math.max(open, close)) fail(lineNo, `high ${values.high} is below the open or the close.`)
    else if (low > Math.min(open, close)) fail(lineNo, `low ${values.low} is above the open or the close.`)
    else if (previousTs !== null && ts <= previousTs) fail(lineNo, `${ts} is not after the previous candle (${previousTs}); candles must be in time order without duplicates.`)
    else candles.push({ symbol, timeframe, ts, ...values })
    previousTs = ts
  }
  if (candles.length === 0 && errors.length === 0) errors.push({ line: 2, message: 'The file has a header but no candles.' })
  return { candles, errors }
}
