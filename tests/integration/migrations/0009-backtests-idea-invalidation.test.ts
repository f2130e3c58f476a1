import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0009 lets decision history say why a waiting idea left the queue without a
 * decision (idea_invalidated, idea_superseded) and adds backtest_runs. On
 * SQLite the CHECK is widened by rebuilding decision_history, the append-only,
 * sync-captured table every other table points into; its down keeps every row
 * and records the two new actions as idea_expired.
 */
const USER = '00000000-0000-7000-8000-000000000001'
const STRATEGY = '00000000-0000-7000-8000-0000000000a1'
const IDEA = '00000000-0000-7000-8000-0000000000b1'
const PROPOSED = '00000000-0000-7000-8000-0000000000c1'
const EXPIRED = '00000000-0000-7000-8000-0000000000c2'
const INVALIDATED = '00000000-0000-7000-8000-0000000000c3'
const RUN = '00000000-0000-7000-8000-0000000000d1'

async function seedAtVersion8(db: MigrationHarness): Promise<void> {
  await db.exec(`
    INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
    INSERT INTO strategies (id, user_id, strategy_name, instrument, environment, config) VALUES ('${STRATEGY}', '${USER}', 'ema_crossover', 'BTC-USD', 'paper', '{}');
    INSERT INTO trade_ideas (id, user_id, strategy_id, symbol, direction, entry_price, stop_loss, take_profit, size, rationale, confidence, status)
      VALUES ('${IDEA}', '${USER}', '${STRATEGY}', 'BTC-USD', 'long', '100.5', '95', '110', '0.25', 'crossed', 0.7, 'expired');
    INSERT INTO decision_history (id, user_id, occurred_at, symbol, action, rationale, confidence, strategy_id, trade_idea_id, actor)
      VALUES ('${PROPOSED}', '${USER}', '2026-11-01T10:00:00.000Z', 'BTC-USD', 'ai_proposed', 'crossed', 0.7, '${STRATEGY}', '${IDEA}', 'ai'),
             ('${EXPIRED}', '${USER}', '2026-11-01T10:15:00.000Z', 'BTC-USD', 'idea_expired', 'Not decided in time.', NULL, '${STRATEGY}', '${IDEA}', 'system');
  `)
}

const history = (db: MigrationHarness) =>
  db.rows<{ id: string; action: string; rationale: string; strategy_id: string; trade_idea_id: string }>(`SELECT id, action, rationale, strategy_id, trade_idea_id FROM decision_history ORDER BY id`)

const invalidatedRow = () =>
  `INSERT INTO decision_history (id, user_id, symbol, action, rationale, strategy_id, trade_idea_id, actor) VALUES ('${INVALIDATED}', '${USER}', 'BTC-USD', 'idea_invalidated', 'The market reached the stop-loss 95.', '${STRATEGY}', '${IDEA}', 'system')`

const runRow = () => {
  const json = (value: unknown) => `'${JSON.stringify(value)}'`
  return `INSERT INTO backtest_runs (id, user_id, name, kind, config, symbol, timeframe, source, seed, data_from, data_to, candles, app_version, stats, trades, equity, duration_ms)
    VALUES ('${RUN}', '${USER}', 'EMA on BTC', 'ema_crossover', ${json({ fastPeriod: 12 })}, 'BTC-USD', '1m', 'synthetic', 42, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', 1440, 'test', ${json({ trades: 3 })}, ${json([{ pnl: '1.5' }])}, ${json([[0, '10000']])}, 12)`
}

describe.each(DIALECTS)('migration 0009 (why an idea left the queue; backtest runs) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('keeps all decision history through up and down, accepts the new actions only while applied, and stays append-only', async () => {
    db = await open()
    await db.migrateTo(8)
    await seedAtVersion8(db)
    const before = await history(db)
    expect(await db.refusal(invalidatedRow())).toMatch(/check constraint|CHECK constraint failed/i)

    await db.migrateTo(9)
    expect(await history(db)).toEqual(before)
    expect(await db.refusal(invalidatedRow())).toBeNull()
    await db.exec(invalidatedRow())
    expect(await db.refusal(`UPDATE decision_history SET rationale = 'rewritten' WHERE id = '${PROPOSED}'`)).toMatch(/append-only/)
    expect(await db.refusal(`DELETE FROM decision_history WHERE id = '${PROPOSED}'`)).toMatch(/append-only/)
    await db.exec(runRow())
    expect(await db.rows(`SELECT name, candles, source FROM backtest_runs`)).toEqual([{ name: 'EMA on BTC', candles: 1440, source: 'synthetic' }])
    expect(await db.refusal(`INSERT INTO backtest_runs (id, user_id, name, kind, config, symbol, timeframe, source, data_from, data_to, candles, app_version, stats, trades, equity, duration_ms) VALUES ('00000000-0000-7000-8000-0000000000d2', '${USER}', 'x', 'k', '{}', 'S', '1m', 'guessed', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 0, 't', '{}', '[]', '[]', 0)`)).toMatch(/check constraint|CHECK constraint failed/i)
    if (db.dialect === 'sqlite') {
      // The rebuild recreated every index and trigger, including the one that feeds the sync outbox.
      const objects = await db.rows<{ name: string }>("SELECT name FROM sqlite_master WHERE tbl_name = 'decision_history' AND type IN ('index', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name")
      expect(objects.map((object) => object.name)).toEqual(['decision_history_no_delete', 'decision_history_no_update', 'decision_history_outbox_insert', 'decision_history_user_action_time', 'decision_history_user_symbol_time', 'decision_history_user_time'])
      expect(await db.rows('PRAGMA foreign_key_check')).toEqual([])
    }

    await db.rollbackTo(8)
    // Every row is still there; the one this schema has no word for reads as what it was to it: an expiry.
    expect(await history(db)).toEqual([...before, { id: INVALIDATED, action: 'idea_expired', rationale: 'The market reached the stop-loss 95.', strategy_id: STRATEGY, trade_idea_id: IDEA }].sort((a, b) => a.id.localeCompare(b.id)))
    expect(await db.refusal(`UPDATE decision_history SET rationale = 'rewritten' WHERE id = '${PROPOSED}'`)).toMatch(/append-only/)
    expect(await db.refusal(`SELECT 1 FROM backtest_runs`)).toMatch(/no such table|does not exist/)
  })
})
