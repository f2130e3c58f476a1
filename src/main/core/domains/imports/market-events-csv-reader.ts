import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import type { ImportIssue } from '../../../../shared/domain'
import type { CalendarEvent, NewsItem } from '../../platform/store/repositories/market-events'
import { whyNotAFile } from '../../platform/files/readable-file'
import { ImportFileError } from './history-batch'
import { symbolsOf } from './rules-csv-reader'

/*
 * The economic calendar and the news as CSV in the columns of the platform Tradedeck replaces (snapshot_calendar:
 * event_time, currency, impact_level, title, previous_value, forecast_value, actual_value, captured_at;
 * snapshot_news: headline, source, symbols, published_at, captured_at). Every row is checked; a time must say its
 * zone (Z or an offset such as +00), since an event read in the wrong zone would keep a strategy out at the wrong
 * hour.
 */

/** Years of a busy calendar, or of a news feed, and still far below what the reader worker may hold. */
export const MAX_EVENTS_CSV_BYTES = 64 * 1024 * 1024
const MAX_ROWS = 500_000
const MAX_RECORD_CHARS = 16 * 1024

export interface MarketEventRows {
  kind: 'calendar' | 'news'
  calendar: CalendarEvent[]
  news: NewsItem[]
  invalid: number
  issues: ImportIssue[]
}

const CALENDAR_COLUMNS = ['event_time', 'currency', 'impact_level', 'title'] as const
const NEWS_COLUMNS = ['headline', 'source', 'published_at'] as const

/** An instant with its zone, as ISO text in UTC. */
const instant = z
  .string()
  .trim()
  .regex(
    /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i,
    'must be a time with its zone, like 2026-12-04T13:30:00Z or 2026-12-04 13:30:00+00',
  )
  .transform((text, ctx) => {
    const normalised = text
      .replace(' ', 'T')
      .replace(/([+-]\d{2})$/, '$1:00')
      .replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
    const ms = Date.parse(normalised)
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'is not a real time' })
      return z.NEVER
    }
    return new Date(ms).toISOString()
  })
const optionalInstant = z
  .string()
  .transform((text) => text.trim())
  .pipe(z.union([z.literal('').transform(() => null), instant]))
const figure = z
  .string()
  .transform((text) => text.trim())
  .pipe(z.string().max(50, 'must be at most 50 characters'))
  .transform((text) => (text === '' ? null : text))
const IMPACTS: Record<string, CalendarEvent['impact']> = {
  low: 'low',
  l: 'low',
  '1': 'low',
  medium: 'medium',
  med: 'medium',
  m: 'medium',
  '2': 'medium',
  high: 'high',
  h: 'high',
  '3': 'high',
}

const calendarRow = z.object({
  event_time: instant,
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2,10}$/, 'must be a currency code like USD')
    .transform((code) => code.toUpperCase()),
  impact_level: z
    .string()
    .trim()
    .transform((text) => IMPACTS[text.toLowerCase()])
    .refine((impact) => impact !== undefined, 'must be low, medium or high')
    .transform((impact) => impact as CalendarEvent['impact']),
  title: z.string().trim().min(1, 'is empty').max(300, 'must be at most 300 characters'),
  previous_value: figure.optional(),
  forecast_value: figure.optional(),
  actual_value: figure.optional(),
  captured_at: optionalInstant.optional(),
})

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,49}$/
const newsRow = z.object({
  headline: z.string().trim().min(1, 'is empty').max(1000, 'must be at most 1000 characters'),
  source: z.string().trim().min(1, 'is empty').max(200, 'must be at most 200 characters'),
  symbols: z
    .string()
    .default('')
    .transform((cell, ctx) => {
      const symbols = symbolsOf(cell)
      if (symbols === null || symbols.some((symbol) => !SYMBOL.test(symbol))) {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON list of symbols or symbols separated by commas' })
        return z.NEVER
      }
      return symbols.map((symbol) => symbol.toUpperCase())
    }),
  published_at: instant,
  captured_at: optionalInstant.optional(),
})

function rowsOf(path: string, fileName: string): { columns: string[]; rows: Record<string, string>[] } {
  const unreadable = whyNotAFile(path, fileName, MAX_EVENTS_CSV_BYTES)
  if (unreadable) throw new ImportFileError(unreadable)
  let columns: string[] = []
  try {
    const rows = parse(readFileSync(path, 'utf8'), {
      columns: (header: string[]) => (columns = header.map((name) => name.trim().toLowerCase())),
      skip_empty_lines: true,
      bom: true,
      relax_column_count: false,
      max_record_size: MAX_RECORD_CHARS,
      to: MAX_ROWS + 1,
    }) as Record<string, string>[]
    if (rows.length > MAX_ROWS)
      throw new ImportFileError(
        `${fileName} holds more than ${MAX_ROWS.toLocaleString('en-US')} rows; split it into several files.`,
      )
    return { columns, rows }
  } catch (error) {
    if (error instanceof ImportFileError) throw error
    const { code, lines } = error as { code?: string; lines?: number }
    if (code === 'CSV_MAX_RECORD_SIZE')
      throw new ImportFileError(
        `${fileName}, line ${lines ?? 1}: a row is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters, which no calendar or news row is.`,
      )
    throw new ImportFileError(`${fileName} is not readable CSV: ${(error as Error).message}`)
  }
}

/** A calendar or news CSV, told apart by its columns, every row checked. */
export function readMarketEventsCsv(path: string, fileName: string, expected: 'calendar' | 'news'): MarketEventRows {
  const { columns, rows } = rowsOf(path, fileName)
  const needed = expected === 'calendar' ? CALENDAR_COLUMNS : NEWS_COLUMNS
  const missing = needed.filter((column) => !columns.includes(column))
  if (missing.length > 0)
    throw new ImportFileError(
      `${fileName} lacks the column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ${expected === 'calendar' ? 'an economic calendar has (event_time, currency, impact_level, title, and optionally previous_value, forecast_value, actual_value, captured_at)' : 'a news file has (headline, source, symbols, published_at, and optionally captured_at)'}.`,
    )
  const result: MarketEventRows = { kind: expected, calendar: [], news: [], invalid: 0, issues: [] }
  rows.forEach((row, index) => {
    const where = `${fileName}, line ${index + 2}`
    const parsed = (expected === 'calendar' ? calendarRow : newsRow).safeParse(row)
    if (!parsed.success) {
      result.invalid++
      for (const issue of parsed.error.issues)
        result.issues.push({ where, field: String(issue.path[0] ?? ''), message: issue.message })
      return
    }
    if (expected === 'calendar') {
      const event = parsed.data as z.output<typeof calendarRow>
      result.calendar.push({
        eventTime: event.event_time,
        currency: event.currency,
        impact: event.impact_level,
        title: event.title,
        previousValue: event.previous_value ?? null,
        forecastValue: event.forecast_value ?? null,
        actualValue: event.actual_value ?? null,
        capturedAt: event.captured_at ?? null,
      })
    } else {
      const item = parsed.data as z.output<typeof newsRow>
      result.news.push({
        publishedAt: item.published_at,
        source: item.source,
        headline: item.headline,
        symbols: item.symbols,
        capturedAt: item.captured_at ?? null,
      })
    }
  })
  return result
}
