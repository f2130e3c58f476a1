import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0013 lets decision history record an import run ('imported'). On SQLite the CHECK
 * is widened by rebuilding decision_history with every index (migration 10's too),
 * the append-only triggers and the outbox trigger; the down keeps every row,
 * recording an import as strategy_stopped with its rationale (declared lossy).
 */
const USER = '00000000-0000-7000-8000-000000000001'
const IMPORTED = '00000000-0000-7000-8000-0000000000e1'
const OLDER = '00000000-0000-7000-8000-0000000000e2'

describe.each(DIALECTS)('migration 0013 (imported decisions) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('adds the imported action, keeps decision history append-only, and keeps every row both ways', async () => {
    db = await open()
    await db.migrateTo(12)
    await db.exec(`
      INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
      INSERT INTO decision_history (id, user_id, action, rationale, actor) VALUES ('${OLDER}', '${USER}', 'ai_halted', 'daily loss limit', 'risk');
    `)
    const importRow = `INSERT INTO decision_history (id, user_id, action, rationale, actor) VALUES ('${IMPORTED}', '${USER}', 'imported', 'Imported tradesv3.sqlite: 2 trades', 'human:x')`
    expect(await db.refusal(importRow)).toMatch(/check constraint|CHECK constraint failed/i)

    await db.migrateTo(13)
    await db.exec(importRow)
    expect(await db.refusal(`UPDATE decision_history SET rationale = 'changed' WHERE id = '${IMPORTED}'`)).toMatch(/append-only/)
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

    await db.rollbackTo(12)
    expect(await db.rows(`SELECT id, action, rationale FROM decision_history ORDER BY id`)).toEqual([
      { id: IMPORTED, action: 'strategy_stopped', rationale: 'Imported tradesv3.sqlite: 2 trades' },
      { id: OLDER, action: 'ai_halted', rationale: 'daily loss limit' },
    ])
    expect(await db.refusal(`DELETE FROM decision_history WHERE id = '${OLDER}'`)).toMatch(/append-only/)
  })
})
