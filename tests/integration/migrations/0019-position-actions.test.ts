import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0019 lets decision history record a trader's control of one position: 'position_closed' and
 * 'position_modified', rebuilding decision_history on SQLite with every index and trigger. The
 * down keeps every row: a position row becomes a 'protection_changed' row with its rationale,
 * actor and order.
 */
const USER = '00000000-0000-7000-8000-000000000001'
const CLOSED = '00000000-0000-7000-8000-0000000000f1'
const MOVED = '00000000-0000-7000-8000-0000000000f2'
const OLDER = '00000000-0000-7000-8000-0000000000f3'

describe.each(DIALECTS)('migration 0019 (position actions) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('adds the actions, keeps decision history append-only, and keeps every row both ways', async () => {
    db = await open()
    await db.migrateTo(18)
    await db.exec(`
      INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
      INSERT INTO decision_history (id, user_id, symbol, action, rationale, actor) VALUES ('${OLDER}', '${USER}', 'BTCUSDT', 'protection_changed', 'The stop-loss was cancelled on the exchange: placed again.', 'system');
    `)
    const closedRow = `INSERT INTO decision_history (id, user_id, symbol, action, rationale, actor, order_id) VALUES ('${CLOSED}', '${USER}', 'BTCUSDT', 'position_closed', 'Close 50% of long 0.004 BTCUSDT at market.', 'human:${USER}', '00000000-0000-7000-8000-0000000000a7')`
    const movedRow = `INSERT INTO decision_history (id, user_id, symbol, action, rationale, actor) VALUES ('${MOVED}', '${USER}', 'BTCUSDT', 'position_modified', 'Stop-loss 59000 → 60500.', 'human:${USER}')`
    expect(await db.refusal(closedRow)).toMatch(/check constraint|CHECK constraint failed/i)

    await db.migrateTo(19)
    await db.exec(closedRow)
    await db.exec(movedRow)
    expect(await db.refusal(`UPDATE decision_history SET rationale = 'changed' WHERE id = '${CLOSED}'`)).toMatch(
      /append-only/,
    )
    expect(await db.refusal(`INSERT INTO decision_history (id, user_id, action, rationale, actor) VALUES ('00000000-0000-7000-8000-0000000000f9', '${USER}', 'position_opened', '', 'system')`)).toMatch(/check constraint|CHECK constraint failed/i)
    if (db.dialect === 'sqlite') {
      const objects = await db.rows<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE tbl_name = 'decision_history' AND type IN ('index', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
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

    await db.rollbackTo(18)
    expect(await db.rows(`SELECT id, action, rationale, actor FROM decision_history ORDER BY id`)).toEqual([
      {
        id: CLOSED,
        action: 'protection_changed',
        rationale: 'Close 50% of long 0.004 BTCUSDT at market.',
        actor: `human:${USER}`,
      },
      { id: MOVED, action: 'protection_changed', rationale: 'Stop-loss 59000 → 60500.', actor: `human:${USER}` },
      {
        id: OLDER,
        action: 'protection_changed',
        rationale: 'The stop-loss was cancelled on the exchange: placed again.',
        actor: 'system',
      },
    ])
    expect(await db.refusal(`DELETE FROM decision_history WHERE id = '${OLDER}'`)).toMatch(/append-only/)
  })
})
