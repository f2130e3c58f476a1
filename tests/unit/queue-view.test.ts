import { describe, expect, it } from 'vitest'
import {
  countdown,
  DEPARTED_ROW_MS,
  departureText,
  priceAgainstRange,
  visibleRows,
} from '../../src/renderer/src/pages/trade-ideas/queue-view'

describe('the approval queue as the trader reads it', () => {
  const now = Date.parse('2026-12-05T12:00:00.000Z')

  it('counts down to the idea’s real end', () => {
    expect(countdown(null, now)).toBe('no expiry')
    expect(countdown('2026-12-05T12:00:42.000Z', now)).toBe('42 s left')
    expect(countdown('2026-12-05T12:00:41.200Z', now)).toBe('42 s left')
    expect(countdown('2026-12-05T12:01:05.000Z', now)).toBe('1:05 left')
    expect(countdown('2026-12-05T13:15:00.000Z', now)).toBe('1 h 15 min left')
    expect(countdown('2026-12-05T11:59:59.000Z', now)).toBe('ending now')
  })

  it('says where the price is against the entry range', () => {
    const idea = { entryRangeLow: '64210', entryRangeHigh: '64260' }
    expect(priceAgainstRange(idea, { id: 'x', price: '64235', at: null })).toEqual({
      where: 'inside',
      share: 0.5,
      text: '64235 in range 64210–64260',
    })
    expect(priceAgainstRange(idea, { id: 'x', price: '64300', at: null })).toMatchObject({
      where: 'above',
      share: 1,
      text: '64300 above range 64210–64260',
    })
    expect(priceAgainstRange(idea, { id: 'x', price: '64000', at: null })).toMatchObject({ where: 'below', share: 0 })
    expect(priceAgainstRange(idea, undefined)).toMatchObject({ where: 'unknown', text: 'range 64210–64260' })
    expect(priceAgainstRange({ entryRangeLow: null, entryRangeHigh: null }, undefined).text).toBe('no entry range')
  })

  it('explains a departed idea in words', () => {
    const withdrawn = {
      status: 'expired' as const,
      decidedAt: '2026-12-05T12:03:14.000Z',
      decidedBy: 'system',
      decisionNote: 'The price left the entry range 64210–64260: it closed at 64300.',
    }
    expect(departureText(withdrawn)).toMatch(/^Withdrawn \d\d:\d\d:\d\d: the price left the entry range 64210–64260/)
    expect(departureText({ ...withdrawn, decisionNote: null })).toContain('Decision History has the reason')
    expect(departureText({ ...withdrawn, status: 'approved', decidedBy: 'human:u1' })).toMatch(
      /^Approved \d\d:\d\d:\d\d\.$/,
    )
    expect(departureText({ ...withdrawn, status: 'rejected' })).toMatch(/^Rejected/)
  })

  it('keeps a departed row in place for a few seconds, and the selected one for as long as it is selected', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }]
    const departed = { b: now - 1000, c: now - DEPARTED_ROW_MS }
    expect(visibleRows(rows, departed, null, now).map((row) => row.id)).toEqual(['a', 'b'])
    expect(visibleRows(rows, departed, 'c', now).map((row) => row.id)).toEqual(['a', 'b', 'c'])
  })
})
