/**
 * The start of the user's trading day, in UTC, for a day boundary at local
 * midnight in `timeZone` (an IANA name such as Europe/Amsterdam).
 */
// Building an Intl formatter costs far more than using one, and the risk check asks on every idea.
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

export function startOfTradingDay(now: Date, timeZone: string): Date {
  const parts = formatterFor(timeZone)
    .formatToParts(now)
    .reduce<Record<string, number>>(
      (acc, part) => (part.type === 'literal' ? acc : { ...acc, [part.type]: Number(part.value) }),
      {},
    )
  const localAsUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!)
  const offsetMs = localAsUtc - Math.floor(now.getTime() / 1000) * 1000
  const localMidnightAsUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!)
  return new Date(localMidnightAsUtc - offsetMs)
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}
