import { useEffect, useState } from 'react'
import type { CalendarEventView, NewsItemView } from '../../../../shared/contract'
import { api } from '../../bridge/client'
import { CalendarTable, NewsList } from '../../components/market-events/EventLists'

/** The calendar events and news within two hours of an idea's candle, beside its rationale. */
export function IdeaEvents({ ideaId }: { ideaId: string }) {
  // Kept with the idea it was read for: another idea's events are never shown under this one while it loads.
  const [loaded, setLoaded] = useState<{
    ideaId: string
    calendar: CalendarEventView[]
    news: NewsItemView[]
  } | null>(null)
  useEffect(() => {
    let current = true
    api
      .marketDataEventsNearIdea({ id: ideaId })
      .then((near) => current && setLoaded({ ideaId, ...near }))
      .catch(() => current && setLoaded(null))
    return () => {
      current = false
    }
  }, [ideaId])
  const near = loaded?.ideaId === ideaId ? loaded : null
  if (!near) return null
  return (
    <div data-testid="idea-events">
      <h3>Calendar and news around it</h3>
      {near.calendar.length === 0 && near.news.length === 0 ? (
        <p className="muted">No calendar event or news within two hours of its candle.</p>
      ) : (
        <>
          {near.calendar.length > 0 && <CalendarTable events={near.calendar} label="Calendar events around the idea" />}
          {near.news.length > 0 && <NewsList items={near.news} />}
        </>
      )}
    </div>
  )
}
