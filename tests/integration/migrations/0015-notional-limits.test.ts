import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0015 gives the risk config two caps, per order and per day, empty (no cap) for
 * every config already there, as the app behaved before. The down drops them
 * (declared lossy) and keeps every config with its other limits.
 */
const USER = '00000000-0000-7000-8000-000000000001'

describe.each(DIALECTS)('migration 0015 (notional caps) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('adds both caps empty for existing configs, takes values, and keeps every config both ways', async () => {
    db = await open()
    await db.migrateTo(14)
    await db.exec(`
      INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
      INSERT INTO risk_config (user_id, max_lot_size, max_concurrent_trades) VALUES ('${USER}', '2.5', 4);
    `)
    expect(await db.refusal(`UPDATE risk_config SET max_order_notional = '1000'`)).toMatch(/max_order_notional/)

    await db.migrateTo(15)
    expect(await db.rows(`SELECT max_order_notional, max_daily_notional FROM risk_config`)).toEqual([{ max_order_notional: null, max_daily_notional: null }])
    await db.exec(`UPDATE risk_config SET max_order_notional = '1000', max_daily_notional = '25000' WHERE user_id = '${USER}'`)
    const [caps] = await db.rows<{ max_order_notional: unknown; max_daily_notional: unknown }>(`SELECT max_order_notional, max_daily_notional FROM risk_config`)
    expect([Number(caps?.max_order_notional), Number(caps?.max_daily_notional)]).toEqual([1000, 25000])

    await db.rollbackTo(14)
    expect(await db.refusal(`SELECT max_order_notional FROM risk_config`)).toMatch(/max_order_notional/)
    const [config] = await db.rows<{ user_id: string; max_lot_size: unknown; max_concurrent_trades: unknown }>(`SELECT user_id, max_lot_size, max_concurrent_trades FROM risk_config`)
    expect({ user: config?.user_id, lot: Number(config?.max_lot_size), trades: Number(config?.max_concurrent_trades) }).toEqual({ user: USER, lot: 2.5, trades: 4 })
  })
})
