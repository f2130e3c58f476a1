import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openPostgresMigrator, type OpenedMigrator } from '../../src/main/core/platform/migrations/open'
import { MIGRATION_LOCK_KEY, PostgresMigrationDriver } from '../../src/main/core/platform/migrations/postgres-driver'
import type { MigrationDef } from '../../src/main/core/platform/migrations/types'
import { expectMigrationError } from '../helpers/migration-assertions'
import { fixtureMigrations, migration } from '../helpers/migrations'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres'

const ledger = fixtureMigrations('ledger', 'postgres')

describe('PostgreSQL migration runner', () => {
  let database: TestDatabase
  let client: pg.Client
  const opened: OpenedMigrator[] = []

  beforeAll(async () => {
    database = await createTestDatabase()
    client = new pg.Client({ connectionString: database.url })
    await client.connect()
  })
  afterEach(async () => {
    for (const runner of opened.splice(0)) await runner.close()
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;')
  })
  afterAll(async () => {
    await client.end()
    await database.drop()
  })

  async function runner(defs: MigrationDef[] = ledger, lockTimeoutMs?: number) {
    const handle = await openPostgresMigrator(database.url, {
      appVersion: 'test',
      defs,
      ...(lockTimeoutMs !== undefined ? { lockTimeoutMs } : {}),
    })
    opened.push(handle)
    return handle.migrator
  }

  async function fingerprint() {
    const driver = await PostgresMigrationDriver.connect(database.url)
    try {
      return await driver.fingerprint()
    } finally {
      await driver.close()
    }
  }

  async function snapshot() {
    const { rows } = await client.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migration_log' ORDER BY table_name",
    )
    const data: Record<string, unknown[]> = {}
    for (const { table_name } of rows as { table_name: string }[])
      data[table_name] = (await client.query(`SELECT * FROM "${table_name}" ORDER BY 1`)).rows
    return { schema: (await fingerprint()).hash, data }
  }

  async function seed() {
    await client.query("INSERT INTO accounts (id, name) VALUES (1, 'a'), (2, 'b')")
    await client.query('INSERT INTO orders (id, account_id, quantity) VALUES (1, 1, 1.5), (2, 1, 2.5), (3, 2, 0.1)')
  }

  it('migrates, records, and says that no backup was taken', async () => {
    const result = await (await runner()).migrate()
    expect(result).toMatchObject({ dialect: 'postgres', from: 0, to: 3, backup: null })
    expect(result.backupNote).toMatch(/No backup was taken/)
    const { rows } = await client.query('SELECT version, checksum FROM schema_migrations ORDER BY version')
    expect(rows).toEqual(ledger.map((def) => ({ version: def.version, checksum: def.up.sha256 })))
    expect((await (await runner()).status()).migrations.every((m) => m.state === 'applied')).toBe(true)
  })

  it('up → down → up gives the same schema fingerprint for every migration', async () => {
    for (const def of ledger) {
      await (await runner()).migrate({ to: def.version })
      const up = await fingerprint()
      await (await runner()).rollback({ steps: 1 }, { force: true })
      await (await runner()).migrate({ to: def.version })
      expect(await fingerprint()).toEqual(up)
    }
  })

  it('rolls back a failure at statement 3 of 5 and leaves the database unchanged', async () => {
    await (await runner()).migrate()
    await seed()
    const before = await snapshot()
    const failing = migration(
      4,
      'five_statements',
      `CREATE TABLE notes (id int);
       INSERT INTO notes VALUES (1);
       INSERT INTO no_such_table VALUES (1);
       DELETE FROM orders;
       UPDATE accounts SET name = 'x';`,
      'DROP TABLE notes;',
    )
    const error = await expectMigrationError((await runner([...ledger, failing])).migrate(), 'migration_failed')
    expect(error.message).toContain('failed at statement 3 of 5')
    expect(error.message).toContain('relation "no_such_table" does not exist')
    expect(error.message).toContain('your data is unchanged')
    expect(await snapshot()).toEqual(before)
    const log = await client.query("SELECT version, statement_index FROM migration_log WHERE outcome = 'failed'")
    expect(log.rows).toEqual([{ version: 4, statement_index: 3 }])
  })

  it('detects checksum drift and missing files, and treats pending as a set difference', async () => {
    const [one, two] = ledger as [MigrationDef, MigrationDef]
    const late = migration(3, 'late', 'CREATE TABLE late (id int);', 'DROP TABLE late;')
    await (await runner([one, late])).migrate()
    expect((await (await runner([one, two, late])).migrate()).applied.map((m) => m.version)).toEqual([2])
    const drifted = migration(
      2,
      two.name,
      two.up.sql.replace('quantity numeric', 'quantity real'),
      two.down?.sql ?? null,
    )
    const error = await expectMigrationError((await runner([one, drifted, late])).migrate(), 'checksum_drift')
    expect(error.message).toMatch(/0002_orders\.up\.sql, line 4/)
    await expectMigrationError(
      (await runner([one, late, migration(4, 'x', 'SELECT 1;', 'SELECT 1;')])).migrate(),
      'missing_migration',
    )
  })

  it('never modifies a database written by a newer version', async () => {
    await (await runner()).migrate()
    await seed()
    const before = await snapshot()
    const error = await expectMigrationError((await runner(ledger.slice(0, 2))).migrate(), 'newer_database')
    expect(error.details.unknownVersions).toEqual([3])
    await expectMigrationError(
      (await runner(ledger.slice(0, 2))).rollback({ steps: 1 }, { force: true }),
      'newer_database',
    )
    expect(await snapshot()).toEqual(before)
  })

  it('runs a no-transaction migration (CREATE INDEX CONCURRENTLY) outside a transaction', async () => {
    const concurrent = migration(
      4,
      'orders_quantity_index',
      '-- tradedeck: no-transaction\nCREATE INDEX CONCURRENTLY orders_quantity ON orders (quantity);',
      '-- tradedeck: no-transaction\nDROP INDEX CONCURRENTLY orders_quantity;',
    )
    const plan = await (await runner([...ledger, concurrent])).plan()
    expect(plan.map((entry) => entry.class)).toEqual(['additive', 'additive', 'additive', 'non_transactional'])
    await (await runner([...ledger, concurrent])).migrate()
    const { rows } = await client.query("SELECT indexname FROM pg_indexes WHERE indexname = 'orders_quantity'")
    expect(rows).toHaveLength(1)
    await (await runner([...ledger, concurrent])).rollback({ steps: 1 })
    expect(
      (await client.query("SELECT indexname FROM pg_indexes WHERE indexname = 'orders_quantity'")).rows,
    ).toHaveLength(0)
  })

  it('warns about volatile defaults and NOT NULL without default', async () => {
    await (await runner()).migrate()
    await seed()
    await client.query('ANALYZE orders')
    const extra = migration(
      4,
      'columns',
      'ALTER TABLE orders ADD COLUMN placed_at timestamptz DEFAULT clock_timestamp();\nALTER TABLE orders ADD COLUMN venue text NOT NULL;',
      'ALTER TABLE orders DROP COLUMN placed_at;\nALTER TABLE orders DROP COLUMN venue;',
    )
    const [entry] = await (await runner([...ledger, extra])).plan()
    expect(entry?.lint.map((finding) => finding.rule)).toEqual(
      expect.arrayContaining(['volatile-default', 'not-null-without-default', 'drop-column']),
    )
  })

  it('shows schema drift made by hand and baselines only a matching schema', async () => {
    await (await runner()).migrate()
    await client.query('CREATE INDEX orders_hand_made ON orders (quantity)')
    const drift = (await (await runner()).status()).schemaDrift
    expect(drift?.onlyInDatabase.join('\n')).toContain('orders_hand_made')
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;')
    for (const def of ledger.slice(0, 2)) await client.query(def.up.sql)
    await expectMigrationError((await runner()).baseline(3), 'baseline_mismatch')
    expect((await (await runner()).baseline(2)).baselined).toEqual([1, 2])
    expect((await (await runner()).migrate()).applied.map((m) => m.version)).toEqual([3])
  })

  it('waits for the advisory lock with a timeout that names the holder', async () => {
    const holder = new pg.Client({ connectionString: database.url })
    await holder.connect()
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY])
      const pid = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number
      const error = await expectMigrationError((await runner(ledger, 600)).migrate(), 'lock_timeout')
      expect(error.message).toContain(`server process pid ${pid}`)
      expect((await client.query("SELECT to_regclass('accounts') AS t")).rows[0].t).toBeNull()
    } finally {
      await holder.end()
    }
  })
})
