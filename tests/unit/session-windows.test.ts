import { describe, expect, it } from 'vitest'
import { inSession, parseSessionWindows, type SessionWindow } from '../../src/shared/rules/session-windows'

/*
 * Session windows keep their wall-clock hours in their own time zone: through daylight-saving changes, across
 * midnight, and on the days they name.
 */
const windowsOf = (text: string): SessionWindow[] => {
  const parsed = parseSessionWindows(text)
  if (!parsed.ok) throw new Error(parsed.message)
  return parsed.windows
}
const at = (iso: string) => Date.parse(iso)

describe('session windows', () => {
  it('keep London hours in winter (UTC+0) and in summer (UTC+1), and the day the clocks go forward', () => {
    const london = windowsOf('Mon–Fri 08:00–16:30 Europe/London')
    // Winter: 08:00 London is 08:00 UTC.
    expect(inSession(london, at('2026-01-14T07:59:00Z'))).toBe(false)
    expect(inSession(london, at('2026-01-14T08:00:00Z'))).toBe(true)
    expect(inSession(london, at('2026-01-14T16:29:00Z'))).toBe(true)
    expect(inSession(london, at('2026-01-14T16:30:00Z'))).toBe(false)
    // Summer: 08:00 London is 07:00 UTC.
    expect(inSession(london, at('2026-07-15T07:00:00Z'))).toBe(true)
    expect(inSession(london, at('2026-07-15T06:59:00Z'))).toBe(false)
    expect(inSession(london, at('2026-07-15T15:30:00Z'))).toBe(false)
    // Clocks went forward on Sunday 29 March 2026; Monday 30 March opens at 07:00 UTC.
    expect(inSession(london, at('2026-03-27T07:30:00Z'))).toBe(false)
    expect(inSession(london, at('2026-03-30T07:30:00Z'))).toBe(true)
    // The weekend is closed.
    expect(inSession(london, at('2026-07-18T10:00:00Z'))).toBe(false)
  })

  it('cross midnight from the day they name, in their own zone, through the autumn change in New York', () => {
    const evening = windowsOf('Sun–Thu 22:00–02:00 America/New_York')
    // Sunday 23:00 New York (EDT, UTC-4) and the Monday 01:00 after it.
    expect(inSession(evening, at('2026-07-13T03:00:00Z'))).toBe(true)
    expect(inSession(evening, at('2026-07-13T05:00:00Z'))).toBe(true)
    expect(inSession(evening, at('2026-07-13T06:00:00Z'))).toBe(false)
    // Friday 01:00 belongs to Thursday's opening; Saturday 01:00 to Friday's, which there is none of.
    expect(inSession(evening, at('2026-07-17T05:00:00Z'))).toBe(true)
    expect(inSession(evening, at('2026-07-18T05:00:00Z'))).toBe(false)
    // After the clocks went back (1 November 2026, EST, UTC-5): 22:00 New York is 03:00 UTC.
    expect(inSession(evening, at('2026-11-03T02:59:00Z'))).toBe(false)
    expect(inSession(evening, at('2026-11-03T03:00:00Z'))).toBe(true)
  })

  it('join windows with ";", take "daily", and mean "any time" when empty', () => {
    const two = windowsOf('Mon–Fri 08:00–12:00 Europe/London; Sat 10:00–11:00 UTC')
    expect(inSession(two, at('2026-07-18T10:30:00Z'))).toBe(true)
    expect(inSession(windowsOf('daily 00:00–24:00 Asia/Tokyo'), at('2026-07-18T10:30:00Z'))).toBe(true)
    expect(inSession(windowsOf(''), at('2026-07-18T10:30:00Z'))).toBe(true)
  })

  it.each([
    ['Mon–Fri 08:00–16:30 Mars/Olympus', '“Mars/Olympus” is not a time zone'],
    ['Mon–Fry 08:00–16:30 UTC', '“Mon–Fry” are not days'],
    ['Mon–Fri 8 to 4 UTC', 'is not a window: write the days, the hours and the time zone'],
    ['Mon–Fri 08:00–25:00 UTC', 'are not times of day'],
    ['Mon 09:00–09:00 UTC', 'is a window of no length'],
  ])('refuse %s in words', (text, message) => {
    const parsed = parseSessionWindows(text)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.message).toContain(message)
  })
})
