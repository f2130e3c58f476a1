import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { User } from '../../src/main/core/platform/store/repositories/users'
import { RECOUNT_INTERVAL_MS, RealisedTotals } from '../../src/main/core/domains/trading/account-state'
import { postgresStore, sqliteStore, type StoreHarness } from '../helpers/store-harness'

const trade = (realizedPnl: string, fees: string) => ({
  strategyId: null,
  positionId: null,
  tradeIdeaId: null,
  broker: 'paper',
  symbol: 'BTC-PERP',
  direction: 'long' as const,
  quantity: '1',
  entryPrice: '100',
  exitPrice: '110',
  realizedPnl,
  fees,
  exitReason: 'take_profit' as const,
  openedAt: '2026-11-22T10:00:00.000Z',
  closedAt: '2026-11-22T11:00:00.000Z',
})

function realisedTotalsOn(name: string, open: () => Promise<StoreHarness>) {
  describe(`running realised totals on ${name}`, () => {
    let h: StoreHarness
    let user: User
    let clock = 0
    const totals = new RealisedTotals(() => clock)
    const sum = async () => {
      const { realised, fees } = await totals.of(h.store, user.id, 'paper')
      return [realised.toString(), fees.toString()]
    }

    beforeAll(async () => {
      h = await open()
      user = await h.store.users.ensureDefault()
    })
    afterAll(async () => h.close())

    it('adds only new trades, forgets trades rolled back, and catches a trade stored out of order at the next recount', async () => {
      expect(await sum()).toEqual(['0', '0'])
      await h.store.trades.record(user.id, trade('10.5', '0.25'))
      await h.store.trades.record(user.id, trade('-3', '0.25'))
      expect(await sum()).toEqual(['7.5', '0.5'])

      // Read inside a transaction that then rolls back: the phantom trade must not stay in the total.
      await expect(
        h.store.transaction(async (tx) => {
          await tx.trades.record(user.id, trade('1000', '1'))
          expect((await totals.of(tx, user.id, 'paper')).realised.toString()).toBe('1007.5')
          throw new Error('roll back')
        }),
      ).rejects.toThrow('roll back')
      expect(await sum()).toEqual(['7.5', '0.5'])

      // Another writer of a shared database stores a trade whose id sorts before the last one summed.
      const [latest] = (await h.raw('SELECT id FROM trades ORDER BY id DESC LIMIT 1')) as { id: string }[]
      await h.raw(
        `INSERT INTO trades (id, user_id, broker, symbol, direction, quantity, entry_price, exit_price, realized_pnl, fees, exit_reason, opened_at, closed_at)
         VALUES (?, ?, 'paper', 'BTC-PERP', 'long', '1', '100', '101', '1', '0', 'manual', '2026-11-22T10:00:00.000Z', '2026-11-22T11:00:00.000Z')`,
        ['00000000-0000-7000-8000-000000000000', user.id],
      )
      expect((latest?.id ?? '') > '00000000-0000-7000-8000-000000000000').toBe(true)
      clock += RECOUNT_INTERVAL_MS
      expect(await sum()).toEqual(['8.5', '0.5'])
      await h.store.trades.record(user.id, trade('0.5', '0'))
      expect(await sum()).toEqual(['9', '0.5'])
    })
  })
}

realisedTotalsOn('SQLite', sqliteStore)
realisedTotalsOn('PostgreSQL', postgresStore)
