import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { fromJson, seriesTimeId, toJson } from '../values'

/** An economic-calendar event: when, for which currency, how much it moves markets, and its figures. */
export interface CalendarEvent {
  eventTime: string
  currency: string
  impact: 'low' | 'medium' | 'high'
  title: string
  previousValue: string | null
  forecastValue: string | null
  actualValue: string | null
  capturedAt: string | null
}

/** A news item and the symbols it names. */
export interface NewsItem {
  publishedAt: string
  source: string
  headline: string
  symbols: string[]
  capturedAt: string | null
}

/** Every desk gives the same event or item the same id, from its natural key, so a central copy holds it once. */
export const calendarEventId = (event: Pick<CalendarEvent, 'eventTime' | 'currency' | 'title'>) =>
  seriesTimeId('calendar', event.currency, event.title, event.eventTime)
export const newsItemId = (item: Pick<NewsItem, 'publishedAt' | 'source' | 'headline'>) =>
  seriesTimeId('news', item.source, item.headline, item.publishedAt)

const ROWS_PER_INSERT = 200

/** What a write found: rows new to the desk, rows it had that the file brings figures for, rows it had as they are. */
export interface EventWriteCount {
  new: number
  updated: number
  duplicate: number
}

const sameFigures = (a: CalendarEvent, b: CalendarEvent) =>
  a.impact === b.impact &&
  a.previousValue === b.previousValue &&
  a.forecastValue === b.forecastValue &&
  a.actualValue === b.actualValue

/**
 * The economic calendar and the news: market data every profile shares. An event already held keeps its row; a file
 * that brings its actual value (known only after it) or corrected figures updates it.
 */
export function marketEventsRepository(db: Kysely<StoreSchema>) {
  const calendarRow = (row: Record<string, unknown>): CalendarEvent => ({
    eventTime: row.eventTime as string,
    currency: row.currency as string,
    impact: row.impact as CalendarEvent['impact'],
    title: row.title as string,
    previousValue: (row.previousValue as string | null) ?? null,
    forecastValue: (row.forecastValue as string | null) ?? null,
    actualValue: (row.actualValue as string | null) ?? null,
    capturedAt: (row.capturedAt as string | null) ?? null,
  })
  const calendarColumns = [
    'eventTime',
    'currency',
    'impact',
    'title',
    'previousValue',
    'forecastValue',
    'actualValue',
    'capturedAt',
  ] as const

  async function calendarByIds(ids: readonly string[]): Promise<Map<string, CalendarEvent>> {
    const found = new Map<string, CalendarEvent>()
    for (let start = 0; start < ids.length; start += ROWS_PER_INSERT) {
      const rows = await db
        .selectFrom('calendarEvents')
        .select(['id', ...calendarColumns])
        .where('id', 'in', ids.slice(start, start + ROWS_PER_INSERT))
        .execute()
      for (const row of rows) found.set(row.id, calendarRow(row))
    }
    return found
  }

  /** What writing these events would do, without writing: the dry run's counts. */
  async function planCalendar(events: readonly CalendarEvent[]): Promise<EventWriteCount> {
    const count: EventWriteCount = { new: 0, updated: 0, duplicate: 0 }
    const held = await calendarByIds(events.map(calendarEventId))
    for (const event of events) {
      const before = held.get(calendarEventId(event))
      if (!before) count.new++
      else if (sameFigures(before, event)) count.duplicate++
      else count.updated++
    }
    return count
  }

  async function planNews(items: readonly NewsItem[]): Promise<EventWriteCount> {
    const ids = items.map(newsItemId)
    const held = new Set<string>()
    for (let start = 0; start < ids.length; start += ROWS_PER_INSERT) {
      const rows = await db
        .selectFrom('newsItems')
        .select('id')
        .where('id', 'in', ids.slice(start, start + ROWS_PER_INSERT))
        .execute()
      for (const row of rows) held.add(row.id)
    }
    const fresh = ids.filter((id) => !held.has(id)).length
    return { new: fresh, updated: 0, duplicate: ids.length - fresh }
  }

  return {
    planCalendar,
    planNews,
    async upsertCalendar(events: readonly CalendarEvent[]): Promise<EventWriteCount> {
      const count = await planCalendar(events)
      for (let start = 0; start < events.length; start += ROWS_PER_INSERT) {
        const rows = events
          .slice(start, start + ROWS_PER_INSERT)
          .map((event) => ({ id: calendarEventId(event), ...event }))
        await db
          .insertInto('calendarEvents')
          .values(rows)
          .onConflict((conflict) =>
            conflict.column('id').doUpdateSet((eb) => ({
              impact: eb.ref('excluded.impact'),
              previousValue: eb.ref('excluded.previousValue'),
              forecastValue: eb.ref('excluded.forecastValue'),
              actualValue: eb.ref('excluded.actualValue'),
            })),
          )
          .execute()
      }
      return count
    },
    /** Events from `from` to `to` (inclusive), oldest first; only high-impact ones with `highOnly`. */
    async calendarBetween(from: string, to: string, options: { highOnly?: boolean; limit?: number } = {}) {
      let query = db
        .selectFrom('calendarEvents')
        .select(calendarColumns)
        .where('eventTime', '>=', from)
        .where('eventTime', '<=', to)
      if (options.highOnly) query = query.where('impact', '=', 'high')
      const rows = await query
        .orderBy('eventTime')
        .orderBy('currency')
        .limit(options.limit ?? 1000)
        .execute()
      return rows.map((row) => calendarRow(row))
    },
    async insertNews(items: readonly NewsItem[]): Promise<EventWriteCount> {
      const count = await planNews(items)
      for (let start = 0; start < items.length; start += ROWS_PER_INSERT) {
        const rows = items
          .slice(start, start + ROWS_PER_INSERT)
          .map((item) => ({ id: newsItemId(item), ...item, symbols: toJson(item.symbols) }))
        await db
          .insertInto('newsItems')
          .values(rows)
          .onConflict((conflict) => conflict.column('id').doNothing())
          .execute()
      }
      return count
    },
    /** News published from `from` to `to` (inclusive), oldest first. */
    async newsBetween(from: string, to: string, limit = 1000): Promise<NewsItem[]> {
      const rows = await db
        .selectFrom('newsItems')
        .select(['publishedAt', 'source', 'headline', 'symbols', 'capturedAt'])
        .where('publishedAt', '>=', from)
        .where('publishedAt', '<=', to)
        .orderBy('publishedAt')
        .limit(limit)
        .execute()
      return rows.map((row) => ({ ...row, symbols: fromJson<string[]>(row.symbols) }))
    },
  }
}
