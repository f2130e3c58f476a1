import { useEffect, useState } from 'react'
import type { CalendarEventView } from '../../../../shared/contract'
import { errorMessage } from '../../../../shared/errors'
import { api } from '../../bridge/client'
import { CalendarTable } from '../../components/market-events/EventLists'

/** The Overview's next high-impact calendar events: what a strategy set to avoid them will stay out around. */
export function UpcomingEventsPanel() {
  const [events, setEvents] = useState<CalendarEventView[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let current = true
    api
      .marketDataUpcomingEvents()
      .then((loaded) => current && setEvents(loaded.events))
      .catch((failure: unknown) => current && setError(errorMessage(failure)))
    return () => {
      current = false
    }
  }, [])
  return (
    <section className="panel" aria-label="Next high-impact events">
      <h2>Next high-impact events</h2>
      {error ? (
        <p className="tone-bad">Could not read the calendar: {error}</p>
      ) : events === null ? null : events.length === 0 ? (
        <p className="muted">
          No high-impact event in the coming week. Import an economic calendar in Settings → Import to see them here.
        </p>
      ) : (
        <CalendarTable events={events} label="Next high-impact events" />
      )}
    </section>
  )
}
