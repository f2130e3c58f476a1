/*
 * When a rules strategy may propose: session windows such as "Mon–Fri 08:00–16:30 Europe/London", several joined by
 * ";". Times are wall-clock times in the window's time zone, so a window keeps its local hours across daylight-saving
 * changes. A window whose end is before its start crosses midnight: "Sun–Thu 22:00–02:00 UTC" is open from Sunday
 * 22:00 to Monday 02:00, and so on, the days naming where each opening starts.
 */

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
const MAX_WINDOWS = 20

export interface SessionWindow {
  /** Days (0 = Sunday) a window opens on. */
  days: number[]
  /** Minutes after local midnight. */
  start: number
  end: number
  timeZone: string
}

export type ParsedWindows = { ok: true; windows: SessionWindow[] } | { ok: false; message: string }

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

function dayOf(text: string): number | null {
  const index = DAYS.indexOf(text.slice(0, 3).toLowerCase() as (typeof DAYS)[number])
  return index >= 0 && text.length >= 3 ? index : null
}

function minutesOf(text: string): number | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text)
  if (match) return Number(match[1]) * 60 + Number(match[2])
  return text === '24:00' ? 24 * 60 : null
}

function parseOne(text: string): SessionWindow | string {
  const match = /^\s*(\S+)\s+(\d{1,2}:\d{2})\s*[-–—]\s*(\d{1,2}:\d{2})\s+(\S+)\s*$/.exec(text)
  if (!match)
    return `“${text.trim()}” is not a window: write the days, the hours and the time zone, like Mon–Fri 08:00–16:30 Europe/London.`
  const [, daysText, startText, endText, timeZone] = match as unknown as [string, string, string, string, string]
  let days: number[]
  if (/^(daily|every-?day|mon[-–—]sun)$/i.test(daysText)) days = [0, 1, 2, 3, 4, 5, 6]
  else {
    const [from, to, extra] = daysText.split(/[-–—]/)
    const first = dayOf(from ?? '')
    const last = to === undefined ? first : dayOf(to)
    if (first === null || last === null || extra !== undefined)
      return `“${daysText}” are not days: write Mon–Fri, Sun–Thu, Sat, or daily.`
    days = []
    for (let day = first; ; day = (day + 1) % 7) {
      days.push(day)
      if (day === last) break
    }
  }
  const start = minutesOf(startText)
  const end = minutesOf(endText)
  if (start === null || end === null || start === 24 * 60)
    return `“${startText}–${endText}” are not times of day: write them as 08:00–16:30.`
  if (start === end) return `${startText}–${endText} is a window of no length.`
  try {
    formatterFor(timeZone)
  } catch {
    return `“${timeZone}” is not a time zone: name one like Europe/London, America/New_York or UTC.`
  }
  return { days, start, end, timeZone }
}

/** Parses the windows a strategy proposes in; an empty text means at any time. */
export function parseSessionWindows(text: string): ParsedWindows {
  const parts = text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
  if (parts.length > MAX_WINDOWS) return { ok: false, message: `At most ${MAX_WINDOWS} windows.` }
  const windows: SessionWindow[] = []
  for (const part of parts) {
    const parsed = parseOne(part)
    if (typeof parsed === 'string') return { ok: false, message: parsed }
    windows.push(parsed)
  }
  return { ok: true, windows }
}

/** The weekday and minute of the day an instant is at in a time zone. */
function localTime(instantMs: number, timeZone: string): { day: number; minute: number } {
  const parts = formatterFor(timeZone).formatToParts(new Date(instantMs))
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? ''
  return {
    day: dayOf(part('weekday')) ?? 0,
    minute: Number(part('hour')) * 60 + Number(part('minute')),
  }
}

/** Whether an instant falls in one of the windows; no windows means always. */
export function inSession(windows: readonly SessionWindow[], instantMs: number): boolean {
  if (windows.length === 0) return true
  return windows.some((window) => {
    const { day, minute } = localTime(instantMs, window.timeZone)
    if (window.start < window.end) return window.days.includes(day) && minute >= window.start && minute < window.end
    // Across midnight: the evening of an opening day, or the early hours after one.
    return (
      (window.days.includes(day) && minute >= window.start) ||
      (window.days.includes((day + 6) % 7) && minute < window.end)
    )
  })
}
