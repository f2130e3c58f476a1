import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0016 lets decision history record a reconciliation ('reconciled'). On SQLite the
 * CHECK is widened by rebuilding decision_history with every index, the
 * append-only triggers and the outbox trigger; the down keeps every row,
 * recording a reconciliation as strategy_stopped with its rationale (declared lossy).
 */
const USER = '00000000-0000-7000-8000-000000000001'
const RECONCILED = '00000000-0000-7000-8000-0000000000d1'
const OLDER = '00000000-0000-7000-8000-0000000000d2'

describe.each(DIALECTS)('migration 0016 (reconciled decisions) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('adds the reconciled action, keeps decision history append-only, and keeps every row both ways', async () => {
    db = await open()
    await db.migrateTo(15)
    await db.exec(`
      INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
      INSERT INTO decision_history (id, user_id, action, rationale, actor) VALUES ('${OLDER}', '${USER}', 'imported', 'Imported tradesv3.sqlite: 2 trades', 'human:x');
    `)
    const reconcileRow = `INSERT INTO decision_history (id, user_id, symbol, action, rationale, actor) VALUES ('${RECONCILED}', '${USER}', 'BTC-PERPETUAL', 'reconciled', 'Deribit holds 0.003 BTC-PERPETUAL the desk did not know of; adopted.', 'system')`
    expect(await db.refusal(reconcileRow)).toMatch(/check constraint|CHECK constraint failed/i)

    await db.migrateTo(16)
    await db.exec(reconcileRow)
    expect(await db.refusal(`UPDATE decision_history SET rationale = 'changed' WHERE id = '${RECONCILED}'`)).toMatch(/append-only/)
    expect(await db.refusal(`DELETE FROM decision_history WHERE id = '${OLDER}'`)).toMatch(/append-only/)
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

    await db.rollbackTo(15)
    expect(await db.rows(`SELECT id, action, rationale FROM decision_history ORDER BY id`)).toEqual([
      { id: RECONCILED, action: 'strategy_stopped', rationale: 'Deribit holds 0.003 BTC-PERPETUAL the desk did not know of; adopted.' },
      { id: OLDER, action: 'imported', rationale: 'Imported tradesv3.sqlite: 2 trades' },
    ])
    expect(await db.refusal(`DELETE FROM decision_history WHERE id = '${OLDER}'`)).toMatch(/append-only/)
  })
})
