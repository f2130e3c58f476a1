import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqlite, type SqliteDb } from '../../src/main/core/platform/db/sqlite'
import { bundledMigrations } from '../../src/main/core/platform/migrations/manifest'
import { openPostgresMigrator, sqliteMigrator } from '../../src/main/core/platform/migrations/open'
import type { Migrator } from '../../src/main/core/platform/migrations/migrator'
import type { Dialect } from '../../src/main/core/platform/migrations/types'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres'
import { makeTempDir } from '../helpers/temp-dir'

/** The same checks against both dialects, through plain SQL with `?` placeholders. */
interface SchemaHarness {
  dialect: Dialect
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  runner(): Promise<Migrator>
  close(): Promise<void>
}

const USER_A = '0193a6b0-0000-7000-8000-00000000000a'
const USER_B = '0193a6b0-0000-7000-8000-00000000000b'
const STRATEGY = '0193a6b0-0000-7000-8000-000000000101'
const IDEA = '0193a6b0-0000-7000-8000-000000000201'

async function sqliteHarness(): Promise<SchemaHarness> {
  const dir = makeTempDir()
  const dbPath = join(dir.path, 'tradedeck.sqlite')
  const db: SqliteDb = openSqlite(dbPath)
  return {
    dialect: 'sqlite',
    async query<T>(sql: string, params: unknown[] = []) {
      const statement = db.prepare(sql)
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[]
    },
    async runner() {
      return sqliteMigrator(db, dir.path, { appVersion: 'test', defs: bundledMigrations.sqlite, dbPath })
    },
    async close() {
      db.close()
      dir.remove()
    },
  }
}

async function postgresHarness(database: TestDatabase): Promise<SchemaHarness> {
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  const opened: { close(): Promise<void> }[] = []
  return {
    dialect: 'postgres',
    async query<T>(sql: string, params: unknown[] = []) {
      let n = 0
      return (
        await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows as T[]
    },
    async runner() {
      // One runner at a time: each holds connections, and twenty migrations walked up, down and up again would
      // otherwise outnumber the server's.
      for (const handle of opened.splice(0)) await handle.close()
      const handle = await openPostgresMigrator(database.url, { appVersion: 'test', defs: bundledMigrations.postgres })
      opened.push(handle)
      return handle.migrator
    },
    async close() {
      for (const handle of opened) await handle.close()
      await client.end()
    },
  }
}

const json = (dialect: Dialect, value: unknown) => (dialect === 'sqlite' ? JSON.stringify(value) : value)
const parseJson = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)

function contractSuite(name: string, open: () => Promise<SchemaHarness>) {
  describe(`data model schema on ${name}`, () => {
    let h: SchemaHarness
    beforeAll(async () => {
      h = await open()
    })
    afterAll(async () => {
      await h.close()
    })

    it('up → down → up gives the same schema for every bundled migration', async () => {
      const versions = bundledMigrations[h.dialect].map((def) => def.version)
      for (const version of versions) {
        await (await h.runner()).migrate({ to: version })
        const before = (await (await h.runner()).status()).schemaDrift
        expect(before).toBeNull()
        await (await h.runner()).rollback({ steps: 1 }, { force: true })
        await (await h.runner()).migrate({ to: version })
        expect((await (await h.runner()).status()).schemaDrift).toBeNull()
      }
      const tables = await h.query<{ name: string }>(
        h.dialect === 'sqlite'
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
          : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
      )
      // Replication adds the outbox on the desk and the desk-to-user map centrally.
      const replication = h.dialect === 'sqlite' ? ['sync_outbox', 'sync_state'] : ['desk_users']
      expect(tables.map((t) => t.name).sort()).toEqual(
        [
          'account_snapshots',
          'app_meta',
          'audit_log',
          'backtest_runs',
          'calendar_events',
          'credentials',
          'decision_history',
          'error_logs',
          'fills',
          'indicator_snapshots',
          'market_snapshots',
          'migration_log',
          'news_items',
          'notifications',
          'orders',
          'positions',
          'risk_config',
          'schema_migrations',
          'service_logs',
          'settings',
          'strategies',
          'task_runs',
          'trade_ideas',
          'trades',
          'users',
          ...replication,
        ].sort(),
      )
    })

    it('enforces unique, check and foreign-key constraints', async () => {
      await h.query('INSERT INTO users (id, display_name) VALUES (?, ?), (?, ?)', [USER_A, 'Alice', USER_B, 'Bob'])
      await h.query(
        "INSERT INTO strategies (id, user_id, name, strategy_name, instrument, environment, config, updated_at) VALUES (?, ?, 'EMA BTC', 'ema_cross', 'BTC-PERP', 'paper', ?, ?)",
        [STRATEGY, USER_A, json(h.dialect, { fast: 12, slow: 26 }), '2000-01-01T00:00:00.000Z'],
      )
      const duplicate =
        "INSERT INTO strategies (id, user_id, name, strategy_name, instrument, environment) VALUES ('0193a6b0-0000-7000-8000-000000000102', ?, 'EMA BTC', 'ema_cross', 'ETH-PERP', 'paper')"
      await expect(h.query(duplicate, [USER_A])).rejects.toThrow(/unique/i)
      await expect(h.query(duplicate, [USER_B])).resolves.toEqual([])
      await expect(
        h.query(
          "INSERT INTO strategies (id, user_id, name, strategy_name, instrument, environment) VALUES ('0193a6b0-0000-7000-8000-000000000103', ?, 'x', 'x', 'y', 'mainnet')",
          [USER_A],
        ),
      ).rejects.toThrow(/check/i)
      await expect(h.query('UPDATE strategies SET error_count = -1 WHERE id = ?', [STRATEGY])).rejects.toThrow(/check/i)
      await expect(
        h.query(
          "INSERT INTO strategies (id, user_id, name, strategy_name, instrument, environment) VALUES ('0193a6b0-0000-7000-8000-000000000104', '0193a6b0-0000-7000-8000-0000000000ff', 'x', 'x', 'y', 'paper')",
        ),
      ).rejects.toThrow(/foreign key/i)
    })

    it('keeps updated_at current through a trigger', async () => {
      await h.query("UPDATE strategies SET status = 'active' WHERE id = ?", [STRATEGY])
      const [row] = await h.query<{ updated_at: unknown }>('SELECT updated_at FROM strategies WHERE id = ?', [STRATEGY])
      expect(new Date(row?.updated_at as string).getFullYear()).toBeGreaterThan(2000)
    })

    it('round-trips JSON and decimals exactly', async () => {
      const [strategy] = await h.query<{ config: unknown }>('SELECT config FROM strategies WHERE id = ?', [STRATEGY])
      expect(parseJson(strategy?.config)).toEqual({ fast: 12, slow: 26 })
      await h.query(
        "INSERT INTO trade_ideas (id, user_id, strategy_id, symbol, direction, entry_price, stop_loss, take_profit, size, rationale, confidence, status) VALUES (?, ?, ?, 'BTC-PERP', 'long', ?, ?, ?, ?, 'EMA 12 crossed above EMA 26', 0.82, 'needs_approval')",
        [IDEA, USER_A, STRATEGY, '67123.123456789012345678', '66000.5', '70000.25', '0.00000001'],
      )
      const [idea] = await h.query<{ entry_price: unknown; size: unknown }>(
        'SELECT entry_price, size FROM trade_ideas WHERE id = ?',
        [IDEA],
      )
      expect(String(idea?.entry_price)).toBe('67123.123456789012345678')
      expect(String(idea?.size)).toBe('0.00000001')
    })

    it('makes decision_history append-only', async () => {
      await h.query(
        "INSERT INTO decision_history (id, user_id, symbol, action, rationale, confidence, risk_check, strategy_id, trade_idea_id, actor) VALUES ('0193a6b0-0000-7000-8000-000000000301', ?, 'BTC-PERP', 'ai_proposed', 'crossover', 0.82, ?, ?, ?, 'ai')",
        [USER_A, json(h.dialect, { route: 'needs_approval', reasons: ['ai_trading_disabled'] }), STRATEGY, IDEA],
      )
      await expect(h.query("UPDATE decision_history SET rationale = 'rewritten'")).rejects.toThrow(/append-only/)
      await expect(h.query('DELETE FROM decision_history')).rejects.toThrow(/append-only/)
      await expect(
        h.query(
          "INSERT INTO decision_history (id, user_id, action, actor) VALUES ('0193a6b0-0000-7000-8000-000000000302', ?, 'ai_proposed', 'human:')",
          [USER_A],
        ),
      ).rejects.toThrow(/check/i)
      const [row] = await h.query<{ risk_check: unknown }>('SELECT risk_check FROM decision_history')
      expect(parseJson(row?.risk_check)).toEqual({ route: 'needs_approval', reasons: ['ai_trading_disabled'] })
    })

    it('cascades user deletion to strategies but never into decision history', async () => {
      await expect(h.query('DELETE FROM users WHERE id = ?', [USER_A])).rejects.toThrow(/foreign key|append-only/i)
      await h.query('DELETE FROM users WHERE id = ?', [USER_B])
      expect(await h.query('SELECT id FROM strategies WHERE user_id = ?', [USER_B])).toEqual([])
      expect(await h.query('SELECT id FROM strategies WHERE user_id = ?', [USER_A])).toHaveLength(1)
    })

    it('rebuilds strategies (0006) on real tables and keeps every child row', async () => {
      const runner = await h.runner()
      await runner.rollback({ to: 5 }, { force: true })
      const before = await h.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM decision_history')
      await (await h.runner()).migrate()
      expect(await h.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM decision_history')).toEqual(before)
      expect(await h.query('SELECT id FROM trade_ideas WHERE strategy_id = ?', [STRATEGY])).toHaveLength(1)
      expect(await h.query('SELECT id FROM strategies')).toHaveLength(1)
    })
  })
}

contractSuite('SQLite', sqliteHarness)

describe('PostgreSQL', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await database.drop()
  })
  contractSuite('PostgreSQL', () => postgresHarness(database))
})
