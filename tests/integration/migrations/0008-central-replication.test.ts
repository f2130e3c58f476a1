import { afterEach, describe, expect, it } from 'vitest'
import { postgresHarness, sqliteHarness, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0008 prepares replication. On a desk (SQLite) it adds the outbox, its state
 * row and 48 capture triggers; on the central database (PostgreSQL) it adds the
 * desk role, Row-Level Security on every user table and a touch trigger that
 * leaves replicated timestamps alone. Rows written before it must survive it
 * both ways.
 */
const USER = '00000000-0000-7000-8000-000000000001'
const STRATEGY = '00000000-0000-7000-8000-0000000000a1'
const IDEA = '00000000-0000-7000-8000-0000000000b1'
const LATER_IDEA = '00000000-0000-7000-8000-0000000000b2'
const DECISION = '00000000-0000-7000-8000-0000000000c1'

async function seedAtVersion7(db: MigrationHarness): Promise<void> {
  await db.exec(`
    INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
    INSERT INTO strategies (id, user_id, strategy_name, instrument, environment, status, updated_at)
      VALUES ('${STRATEGY}', '${USER}', 'ema_crossover', 'BTC-USD', 'paper', 'stopped', '2026-01-02T03:04:05.000Z');
    INSERT INTO trade_ideas (id, user_id, strategy_id, symbol, direction, entry_price, stop_loss, take_profit, size, rationale, confidence, status)
      VALUES ('${IDEA}', '${USER}', '${STRATEGY}', 'BTC-USD', 'long', '100.5', '95', '110', '0.25', 'crossed', 0.7, 'needs_approval');
    INSERT INTO decision_history (id, user_id, symbol, action, rationale, strategy_id, trade_idea_id, actor)
      VALUES ('${DECISION}', '${USER}', 'BTC-USD', 'ai_proposed', 'crossed', '${STRATEGY}', '${IDEA}', 'ai');
  `)
}

const laterIdea = (id: string) => `INSERT INTO trade_ideas (id, user_id, strategy_id, symbol, direction, entry_price, stop_loss, take_profit, size, rationale, confidence, status)
  VALUES ('${id}', '${USER}', '${STRATEGY}', 'ETH-USD', 'short', '3000', '3100', '2800', '1', 'faded', 0.6, 'needs_approval')`

async function seededRows(db: MigrationHarness) {
  const count = async (table: string) => Number((await db.rows<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n)
  return { users: await count('users'), strategies: await count('strategies'), trade_ideas: await count('trade_ideas'), decision_history: await count('decision_history') }
}

describe('migration 0008 (central replication) on sqlite: the outbox', () => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('captures nothing until sync starts, then every change in its own transaction, and rolls back to 7 keeping the data', async () => {
    db = await sqliteHarness()
    await db.migrateTo(7)
    await seedAtVersion7(db)
    const before = await seededRows(db)

    await db.migrateTo(8)
    expect(await seededRows(db)).toEqual(before)
    expect(await db.rows('SELECT capture, paused, target, initial_done_at FROM sync_state')).toEqual([{ capture: 0, paused: 0, target: null, initial_done_at: null }])
    // Existing rows are the initial copy's job, not the outbox's; and with capture off nothing is queued.
    await db.exec(laterIdea(LATER_IDEA))
    expect(await db.rows('SELECT * FROM sync_outbox')).toEqual([])

    await db.exec('UPDATE sync_state SET capture = 1')
    await db.exec(`UPDATE strategies SET status = 'active' WHERE id = '${STRATEGY}'`)
    await db.exec(`DELETE FROM trade_ideas WHERE id = '${LATER_IDEA}'`)
    await db.exec(`INSERT INTO audit_log (id, user_id, actor, subject, action, details) VALUES ('00000000-0000-7000-8000-0000000000d1', NULL, 'system', 'backup', 'create', '{}')`)
    await db.exec(`INSERT INTO audit_log (id, user_id, actor, subject, action, details) VALUES ('00000000-0000-7000-8000-0000000000d2', '${USER}', 'human:${USER}', 'risk_config', 'update', '{}')`)
    // A row may be queued more than once (the updated_at trigger updates it again); the worker sends it as it is now, once.
    expect(await db.rows('SELECT table_name, row_key FROM sync_outbox GROUP BY table_name, row_key ORDER BY min(seq)')).toEqual([
      { table_name: 'strategies', row_key: STRATEGY },
      { table_name: 'trade_ideas', row_key: LATER_IDEA },
      // An install-wide audit row (no user) stays on the desk.
      { table_name: 'audit_log', row_key: '00000000-0000-7000-8000-0000000000d2' },
    ])
    // A change that rolls back leaves no entry behind.
    const queued = await db.rows('SELECT seq FROM sync_outbox')
    expect(await db.refusal(laterIdea('00000000-0000-7000-8000-0000000000b3'))).toBeNull()
    expect(await db.rows('SELECT seq FROM sync_outbox')).toEqual(queued)

    await db.rollbackTo(7)
    const leftovers = await db.rows("SELECT name FROM sqlite_master WHERE name LIKE 'sync_%' OR name LIKE '%_outbox_%'")
    expect(leftovers).toEqual([])
    expect(await seededRows(db)).toEqual(before)
    await db.exec(laterIdea('00000000-0000-7000-8000-0000000000b4'))
    expect(await db.rows('PRAGMA foreign_key_check')).toEqual([])
  })
})

describe('migration 0008 (central replication) on postgres: isolation for desk roles', () => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  const rowSecurity = async () =>
    (await db.rows<{ relname: string }>("SELECT relname FROM pg_class WHERE relrowsecurity AND relnamespace = 'public'::regnamespace ORDER BY relname")).map((row) => row.relname)

  it('adds Row-Level Security and a touch trigger that keeps replicated timestamps, and rolls back to 7 keeping the data', async () => {
    db = await postgresHarness()
    await db.migrateTo(7)
    await seedAtVersion7(db)
    const before = await seededRows(db)
    expect(await rowSecurity()).toEqual([])

    await db.migrateTo(8)
    expect(await seededRows(db)).toEqual(before)
    expect(await db.rows('SELECT tradedeck_schema_version() AS version')).toEqual([{ version: 8 }])
    expect(await rowSecurity()).toEqual(expect.arrayContaining(['audit_log', 'decision_history', 'desk_users', 'strategies', 'trade_ideas', 'users']))
    // The owner that migrates is not bound by the policies: it still sees every row.
    expect((await db.rows(`SELECT id FROM strategies WHERE id = '${STRATEGY}'`)).length).toBe(1)
    // A row written by sync keeps the desk's updated_at; a row changed on the server gets now().
    await db.exec(`BEGIN; SET LOCAL tradedeck.replicating = 'on'; UPDATE strategies SET status = 'active', updated_at = '2026-01-03T00:00:00Z' WHERE id = '${STRATEGY}'; COMMIT`)
    expect(await db.rows<{ at: string }>(`SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS at FROM strategies WHERE id = '${STRATEGY}'`)).toEqual([{ at: '2026-01-03' }])
    await db.exec(`UPDATE strategies SET status = 'stopped', updated_at = '2026-01-03T00:00:00Z' WHERE id = '${STRATEGY}'`)
    expect(await db.rows<{ fresh: boolean }>(`SELECT updated_at > now() - interval '1 hour' AS fresh FROM strategies WHERE id = '${STRATEGY}'`)).toEqual([{ fresh: true }])

    await db.rollbackTo(7)
    expect(await seededRows(db)).toEqual(before)
    expect(await rowSecurity()).toEqual([])
    expect(await db.rows("SELECT to_regclass('desk_users') AS t, to_regproc('tradedeck_schema_version') AS f")).toEqual([{ t: null, f: null }])
    await db.exec(laterIdea(LATER_IDEA))
  })
})
