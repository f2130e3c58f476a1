import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0017 lets decision history record a change to a position's protection
 * ('protection_changed'), rebuilding decision_history on SQLite with every index and
 * trigger, and gives the risk config a maximum daily loss, empty for every config
 * already there. The down keeps every row (a protection row becomes a 'reconciled' row
 * with its rationale) and drops the limit (declared lossy).
 */
const USER = '00000000-0000-7000-8000-000000000001'
const PROTECTED = '00000000-0000-7000-8000-0000000000e1'
const OLDER = '00000000-0000-7000-8000-0000000000e2'

describe.each(DIALECTS)('migration 0017 (protection rows, maximum daily loss) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('adds the action and the limit, keeps decision history append-only, and keeps every row and config both ways', async () => {
    db = await open()
    await db.migrateTo(16)
    await db.exec(`
      INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
      INSERT INTO risk_config (user_id, max_lot_size, max_concurrent_trades, max_daily_notional) VALUES ('${USER}', '2.5', 4, '25000');
      INSERT INTO decision_history (id, user_id, action, rationale, actor) VALUES ('${OLDER}', '${USER}', 'reconciled', 'The desk had long 0.002; Deribit has long 0.003.', 'system');
    `)
    const protectionRow = `INSERT INTO decision_history (id, user_id, symbol, action, rationale, actor) VALUES ('${PROTECTED}', '${USER}', 'BTCUSDT', 'protection_changed', 'The stop-loss was cancelled on the exchange: placed again.', 'system')`
    expect(await db.refusal(protectionRow)).toMatch(/check constraint|CHECK constraint failed/i)
    expect(await db.refusal(`UPDATE risk_config SET max_daily_loss = '500'`)).toMatch(/max_daily_loss/)

    await db.migrateTo(17)
    await db.exec(protectionRow)
    expect(await db.rows(`SELECT max_daily_loss FROM risk_config`)).toEqual([{ max_daily_loss: null }])
    await db.exec(`UPDATE risk_config SET max_daily_loss = '500' WHERE user_id = '${USER}'`)
    const [limits] = await db.rows<{ max_daily_loss: unknown; max_daily_notional: unknown }>(`SELECT max_daily_loss, max_daily_notional FROM risk_config`)
    expect([Number(limits?.max_daily_loss), Number(limits?.max_daily_notional)]).toEqual([500, 25000])
    expect(await db.refusal(`UPDATE decision_history SET rationale = 'changed' WHERE id = '${PROTECTED}'`)).toMatch(/append-only/)
    if (db.dialect === 'sqlite') {
      const objects = await db.rows<{ name: string }>("SELECT name FROM sqlite_master WHERE tbl_name = 'decision_history' AND type IN ('index', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name")
      expect(objects.map((object) => object.name)).toEqual([
        'decision_history_no_delete',
        'decision_history_no_update',
        'decision_history_outbox_insert',
        'decision_history_snapshot_id',
        'decision_history_strategy_id',
        'decision_history_trade_idea_id',
        'decision_history_user_action_time',
        'decision_history_user_symbol_time',
        'decision_history_user_time',
      ])
    }

    await db.rollbackTo(16)
    expect(await db.rows(`SELECT id, action, rationale FROM decision_history ORDER BY id`)).toEqual([
      { id: PROTECTED, action: 'reconciled', rationale: 'The stop-loss was cancelled on the exchange: placed again.' },
      { id: OLDER, action: 'reconciled', rationale: 'The desk had long 0.002; Deribit has long 0.003.' },
    ])
    expect(await db.refusal(`SELECT max_daily_loss FROM risk_config`)).toMatch(/max_daily_loss/)
    const [config] = await db.rows<{ max_daily_notional: unknown }>(`SELECT max_daily_notional FROM risk_config`)
    expect(Number(config?.max_daily_notional)).toBe(25000)
    expect(await db.refusal(`DELETE FROM decision_history WHERE id = '${OLDER}'`)).toMatch(/append-only/)
  })
})
