import type { CalendarEventView, NewsItemView } from '../../../../shared/contract'
import { Refusal } from '../../platform/calls/refusal'
import type { Repositories } from '../../platform/store/store'

const HOUR_MS = 3_600_000
const UPCOMING_DAYS = 7
const UPCOMING_SHOWN = 8
const NEAR_IDEA_MS = 2 * HOUR_MS

/** The next high-impact events, soonest first: what the Overview lists. */
export async function upcomingEvents(store: Repositories, now: Date): Promise<{ events: CalendarEventView[] }> {
  const until = new Date(now.getTime() + UPCOMING_DAYS * 24 * HOUR_MS).toISOString()
  const events = await store.marketEvents.calendarBetween(now.toISOString(), until, {
    highOnly: true,
    limit: UPCOMING_SHOWN,
  })
  return { events: events.map(({ capturedAt: _captured, ...event }) => event) }
}

/** The calendar and news within two hours either side of the candle an idea was proposed on (else its creation). */
export async function eventsNearIdea(
  store: Repositories,
  userId: string,
  ideaId: string,
): Promise<{ calendar: CalendarEventView[]; news: NewsItemView[] }> {
  const idea = await store.tradeIdeas.get(userId, ideaId)
  if (!idea) throw new Refusal('not_found', 'No such idea.')
  const snapshot = idea.snapshotId ? await store.marketSnapshots.get(idea.snapshotId) : null
  const at = Date.parse(snapshot?.ts ?? idea.createdAt)
  const from = new Date(at - NEAR_IDEA_MS).toISOString()
  const to = new Date(at + NEAR_IDEA_MS).toISOString()
  const [calendar, news] = await Promise.all([
    store.marketEvents.calendarBetween(from, to, { limit: 50 }),
    store.marketEvents.newsBetween(from, to, 50),
  ])
  return {
    calendar: calendar.map(({ capturedAt: _captured, ...event }) => event),
    news: news.map(({ capturedAt: _captured, ...item }) => item),
  }
}
