import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0010 indexes the thirteen foreign-key columns that had none: without them,
 * deleting a strategy or checking a reference scans the whole child table.
 */
const INDEXES = [
  'decision_history_snapshot_id',
  'decision_history_strategy_id',
  'decision_history_trade_idea_id',
  'error_logs_strategy_id',
  'indicator_snapshots_market_snapshot_id',
  'orders_strategy_id',
  'orders_trade_idea_id',
  'positions_strategy_id',
  'trade_ideas_snapshot_id',
  'trade_ideas_strategy_id',
  'trades_position_id',
  'trades_strategy_id',
  'trades_trade_idea_id',
]
const USER = '00000000-0000-7000-8000-000000000001'
const STRATEGY = '00000000-0000-7000-8000-0000000000a1'

async function indexes(db: MigrationHarness): Promise<string[]> {
  const names = INDEXES.map((name) => `'${name}'`).join(', ')
  const sql = db.dialect === 'sqlite' ? `SELECT name FROM sqlite_master WHERE type = 'index' AND name IN (${names})` : `SELECT indexname AS name FROM pg_indexes WHERE indexname IN (${names})`
  return (await db.rows<{ name: string }>(sql)).map((row) => row.name).sort()
}

describe.each(DIALECTS)('migration 0010 (indexes on foreign-key columns) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('adds the thirteen indexes and removes them on the way down, keeping every row', async () => {
    db = await open()
    await db.migrateTo(9)
    await db.exec(`
      INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
      INSERT INTO strategies (id, user_id, strategy_name, instrument, environment, config) VALUES ('${STRATEGY}', '${USER}', 'ema_crossover', 'BTC-USD', 'paper', '{}');
    `)
    expect(await indexes(db)).toEqual([])
    await db.migrateTo(10)
    expect(await indexes(db)).toEqual(INDEXES)
    if (db.dialect === 'sqlite') {
      // Deleting a strategy now finds its children through the index, not a scan.
      const plan = await db.rows<{ detail: string }>(`EXPLAIN QUERY PLAN SELECT 1 FROM trade_ideas WHERE strategy_id = '${STRATEGY}'`)
      expect(plan.map((row) => row.detail).join(' ')).toContain('trade_ideas_strategy_id')
    }
    await db.rollbackTo(9)
    expect(await indexes(db)).toEqual([])
    expect(await db.rows(`SELECT id FROM strategies`)).toEqual([{ id: STRATEGY }])
  })
})
