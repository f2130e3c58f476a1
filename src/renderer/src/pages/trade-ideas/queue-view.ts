import type { IdeaMark } from '../../../../shared/contract'
import type { TradeIdea } from '../../../../shared/domain'

/** How long a withdrawn or decided row stays in place, greyed with its reason, before it leaves the list. */
export const DEPARTED_ROW_MS = 6000

/** "1:05 left", "42 s left": the real end of a waiting idea (its deadline is the first of its candles and its minutes). */
export function countdown(expiresAt: string | null, now: number): string {
  if (!expiresAt) return 'no expiry'
  const seconds = Math.ceil((Date.parse(expiresAt) - now) / 1000)
  if (seconds <= 0) return 'ending now'
  if (seconds < 60) return `${seconds} s left`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} left`
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min left`
}

export interface RangeReading {
  where: 'inside' | 'below' | 'above' | 'unknown'
  /** Where the price sits in the range, 0 at the low end and 1 at the high; null when unknown. */
  share: number | null
  text: string
}

/** Where the market is against the idea's entry range, in words. */
export function priceAgainstRange(
  idea: Pick<TradeIdea, 'entryRangeLow' | 'entryRangeHigh'>,
  mark: IdeaMark | undefined,
): RangeReading {
  if (!idea.entryRangeLow || !idea.entryRangeHigh) return { where: 'unknown', share: null, text: 'no entry range' }
  const range = `${idea.entryRangeLow}–${idea.entryRangeHigh}`
  if (!mark?.price) return { where: 'unknown', share: null, text: `range ${range}` }
  const price = Number(mark.price)
  const low = Number(idea.entryRangeLow)
  const high = Number(idea.entryRangeHigh)
  const where = price < low ? 'below' : price > high ? 'above' : 'inside'
  const share = high > low ? Math.min(1, Math.max(0, (price - low) / (high - low))) : null
  return {
    where,
    share,
    text: where === 'inside' ? `${mark.price} in range ${range}` : `${mark.price} ${where} range ${range}`,
  }
}

/** An idea that left the queue, as the trader reads it where it stood. */
export function departureText(idea: Pick<TradeIdea, 'status' | 'decidedAt' | 'decidedBy' | 'decisionNote'>): string {
  const at = idea.decidedAt ? new Date(idea.decidedAt).toLocaleTimeString(undefined, { hour12: false }) : ''
  const when = at ? ` ${at}` : ''
  switch (idea.status) {
    case 'expired':
      return `Withdrawn${when}: ${lowerFirst(idea.decisionNote ?? 'it left the queue; Decision History has the reason.')}`
    case 'approved':
    case 'executed':
      return `Approved${when}${idea.decidedBy?.startsWith('human:') ? '' : ' by the risk engine'}.`
    case 'rejected':
      return `Rejected${when}.`
    case 'failed':
      return `Approved${when}, but the broker failed: ${idea.decisionNote ?? 'see Decision History.'}`
    default:
      return `No longer waiting (${idea.status}).`
  }
}

const lowerFirst = (text: string) => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text)

/** The rows on screen: waiting ones, and departed ones for a few seconds (the selected one as long as it is selected). */
export function visibleRows<T extends { id: string }>(
  rows: readonly T[],
  departedAt: Readonly<Record<string, number>>,
  selectedId: string | null,
  now: number,
): T[] {
  return rows.filter((row) => {
    const left = departedAt[row.id]
    return left === undefined || row.id === selectedId || now - left < DEPARTED_ROW_MS
  })
}
