import type { CalendarEventView, NewsItemView } from '../../../../shared/contract'

const IMPACT_TONE = { high: 'bad', medium: 'warn', low: '' } as const

/** "Fri 4 Dec 14:30 (13:30 UTC)": the trader's own clock first, the calendar's UTC beside it. */
export function eventTime(iso: string): string {
  const at = new Date(iso)
  const local = at.toLocaleString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  })
  return `${local} (${iso.slice(11, 16)} UTC)`
}

/** Calendar events as a table: when, which currency, how much they move markets, and their figures. */
export function CalendarTable({ events, label }: { events: CalendarEventView[]; label: string }) {
  return (
    <table className="data-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Currency</th>
          <th scope="col">Impact</th>
          <th scope="col">Event</th>
          <th scope="col" className="num">
            Previous
          </th>
          <th scope="col" className="num">
            Forecast
          </th>
          <th scope="col" className="num">
            Actual
          </th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={`${event.eventTime}|${event.currency}|${event.title}`}>
            <td className="mono">{eventTime(event.eventTime)}</td>
            <td>{event.currency}</td>
            <td>
              <span className={`pill ${IMPACT_TONE[event.impact]}`}>{event.impact}</span>
            </td>
            <td>{event.title}</td>
            <td className="num">{event.previousValue ?? '—'}</td>
            <td className="num">{event.forecastValue ?? '—'}</td>
            <td className="num">{event.actualValue ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** News items, newest last, each with its source and the symbols it names. */
export function NewsList({ items }: { items: NewsItemView[] }) {
  return (
    <ul className="news-list" aria-label="News">
      {items.map((item) => (
        <li key={`${item.publishedAt}|${item.source}|${item.headline}`}>
          <span className="mono muted">{eventTime(item.publishedAt)}</span> {item.headline}{' '}
          <span className="muted">
            ({item.source}
            {item.symbols.length > 0 ? `; ${item.symbols.join(', ')}` : ''})
          </span>
        </li>
      ))}
    </ul>
  )
}
