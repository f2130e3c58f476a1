import type { NotificationPreferences } from './domain'

function minutesIn(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at)
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0)
  return value('hour') * 60 + value('minute')
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5))

/** Whether `at` falls in the quiet hours, read in their own time zone; a span past midnight wraps. */
export function isQuiet(quietHours: NotificationPreferences['quietHours'], at: Date): boolean {
  if (!quietHours) return false
  const now = minutesIn(quietHours.timeZone, at)
  const from = minutesOf(quietHours.from)
  const to = minutesOf(quietHours.to)
  return from < to ? now >= from && now < to : now >= from || now < to
}
