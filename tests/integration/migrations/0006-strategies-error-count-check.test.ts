import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0006 adds CHECK (error_count >= 0) to strategies. On SQLite that is a table
 * rebuild of a table with many children, the case where other tools have
 * cascaded deletes through every child row; on PostgreSQL it is one ALTER.
 */
const USER = '00000000-0000-7000-8000-000000000001'
const STRATEGY = '00000000-0000-7000-8000-0000000000a1'
const IDEA = '00000000-0000-7000-8000-0000000000b1'
const DECISION = '00000000-0000-7000-8000-0000000000c1'

async function seedAtVersion5(db: MigrationHarness): Promise<void> {
  const autoReconnect = db.dialect === 'sqlite' ? '1' : 'true'
  await db.exec(`
    INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
    INSERT INTO strategies (id, user_id, strategy_name, instrument, environment, config, status, auto_reconnect, error_message, error_count, created_at, updated_at)
      VALUES ('${STRATEGY}', '${USER}', 'ema_crossover', 'BTC-USD', 'paper', '{"fastPeriod":9}', 'error', ${autoReconnect}, 'feed lost', 3, '2026-01-02T03:04:05.000Z', '2026-01-02T03:04:05.000Z');
    INSERT INTO trade_ideas (id, user_id, strategy_id, symbol, direction, entry_price, stop_loss, take_profit, size, rationale, confidence, status)
      VALUES ('${IDEA}', '${USER}', '${STRATEGY}', 'BTC-USD', 'long', '100.5', '95', '110', '0.25', 'crossed', 0.7, 'needs_approval');
    INSERT INTO decision_history (id, user_id, symbol, action, rationale, strategy_id, trade_idea_id, actor)
      VALUES ('${DECISION}', '${USER}', 'BTC-USD', 'ai_proposed', 'crossed', '${STRATEGY}', '${IDEA}', 'ai');
  `)
}

async function strategyRow(db: MigrationHarness) {
  const [row] = await db.rows<Record<string, unknown>>(`SELECT id, strategy_name, instrument, status, error_message, error_count, config FROM strategies WHERE id = '${STRATEGY}'`)
  return { ...row, config: typeof row?.config === 'string' ? JSON.parse(row.config) : row?.config }
}

async function children(db: MigrationHarness) {
  const ideas = await db.rows<{ strategy_id: string }>(`SELECT strategy_id FROM trade_ideas WHERE id = '${IDEA}'`)
  const decisions = await db.rows<{ strategy_id: string; trade_idea_id: string }>(`SELECT strategy_id, trade_idea_id FROM decision_history WHERE id = '${DECISION}'`)
  return { ideas, decisions }
}

describe.each(DIALECTS)('migration 0006 (strategies.error_count must not be negative) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('keeps every strategy and child row through up and down, and enforces the CHECK only while applied', async () => {
    db = await open()
    await db.migrateTo(5)
    await seedAtVersion5(db)
    const expected = { id: STRATEGY, strategy_name: 'ema_crossover', instrument: 'BTC-USD', status: 'error', error_message: 'feed lost', error_count: 3, config: { fastPeriod: 9 } }
    const expectedChildren = { ideas: [{ strategy_id: STRATEGY }], decisions: [{ strategy_id: STRATEGY, trade_idea_id: IDEA }] }
    expect(await db.refusal(`UPDATE strategies SET error_count = -1 WHERE id = '${STRATEGY}'`)).toBeNull()

    await db.migrateTo(6)
    expect(await strategyRow(db)).toEqual(expected)
    expect(await children(db)).toEqual(expectedChildren)
    expect(await db.refusal(`UPDATE strategies SET error_count = -1 WHERE id = '${STRATEGY}'`)).toMatch(/check constraint|CHECK constraint failed/i)
    expect(await db.refusal(`UPDATE strategies SET error_count = 0 WHERE id = '${STRATEGY}'`)).toBeNull()
    if (db.dialect === 'sqlite') {
      // The rebuild recreated the indexes and the updated_at trigger, and left no orphan behind.
      const objects = await db.rows<{ name: string }>("SELECT name FROM sqlite_master WHERE tbl_name = 'strategies' AND type IN ('index', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name")
      expect(objects.map((object) => object.name)).toEqual(['strategies_auto_reconnect', 'strategies_touch_updated_at', 'strategies_updated', 'strategies_user_status'])
      expect(await db.rows('PRAGMA foreign_key_check')).toEqual([])
    }

    await db.rollbackTo(5)
    expect(await strategyRow(db)).toEqual(expected)
    expect(await children(db)).toEqual(expectedChildren)
    expect(await db.refusal(`UPDATE strategies SET error_count = -1 WHERE id = '${STRATEGY}'`)).toBeNull()
    if (db.dialect === 'sqlite') expect(await db.rows('PRAGMA foreign_key_check')).toEqual([])
  })
})
