import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatRoute, HOME, PAGES, parseRoute } from '../../src/renderer/src/routing/routes'
import { filterToQuery, queryToFilter } from '../../src/renderer/src/routing/history-filter'

describe('every page has a URL', () => {
  it('reads and writes pages, the selected item and the filters', () => {
    expect(parseRoute('#/ideas/0193a6b0-0000-7000-8000-000000000001')).toEqual({
      page: 'ideas',
      item: '0193a6b0-0000-7000-8000-000000000001',
      query: {},
    })
    expect(parseRoute('#/history?symbol=BTC-USD&action=human_rejected')).toEqual({
      page: 'history',
      item: null,
      query: { symbol: 'BTC-USD', action: 'human_rejected' },
    })
    expect(formatRoute({ page: 'backtests', item: 'run-1', query: {} })).toBe('#/backtests/run-1')
    expect(formatRoute({ page: 'history', item: null, query: { symbol: 'ETH', text: '' } })).toBe(
      '#/history?symbol=ETH',
    )
  })

  it('reads anything unknown or malformed as the Overview, never as an error', () => {
    for (const hash of ['', '#', '#/', '#/nowhere', '#/ideas/<script>', '#/../../etc/passwd']) {
      const route = parseRoute(hash)
      expect(PAGES.map((page) => page.id)).toContain(route.page)
      if (hash.startsWith('#/ideas')) expect(route.item).toBeNull()
    }
    expect(parseRoute('#/nowhere')).toEqual(HOME)
    fc.assert(fc.property(fc.string(), (text) => PAGES.some((page) => page.id === parseRoute(text).page)))
  })

  it('round-trips a route through its URL', () => {
    const route = fc.record({
      page: fc.constantFrom(...PAGES.map((page) => page.id)),
      item: fc.option(fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/), { nil: null }),
      query: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ minLength: 1, maxLength: 40 })),
    })
    fc.assert(
      fc.property(route, (value) => {
        expect(parseRoute(formatRoute(value))).toEqual(value)
      }),
    )
  })

  it('keeps Decision History’s filter in the query, leaving out what it cannot mean', () => {
    const filter = {
      symbol: 'SOL-PERP',
      actions: ['human_rejected' as const],
      actor: 'risk engine' as const,
      text: 'session open',
    }
    expect(queryToFilter(filterToQuery(filter))).toEqual(filter)
    expect(queryToFilter({ action: 'drop_table', symbol: 'BTC' })).toEqual({ symbol: 'BTC' })
    expect(queryToFilter({ actor: 'human:someone', symbol: 'BTC' })).toEqual({ symbol: 'BTC' })
  })
})
