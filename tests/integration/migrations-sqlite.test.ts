import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readCatalogue } from '../../src/main/core/platform/backups/catalogue'
import { ensureFreeSpace, BackupError } from '../../src/main/core/platform/backups/sqlite-backup'
import { openSqlite, quickCheck, userVersion, type SqliteDb } from '../../src/main/core/platform/db/sqlite'
import { sqliteMigrator } from '../../src/main/core/platform/migrations/open'
import { sqliteFingerprint } from '../../src/main/core/platform/migrations/sqlite-driver'
import type { MigrationDef } from '../../src/main/core/platform/migrations/types'
import { expectMigrationError } from '../helpers/migration-assertions'
import { fixtureMigrations, migration } from '../helpers/migrations'
import { sha256Of } from '../helpers/sha256'
import { makeTempDir } from '../helpers/temp-dir'

const ledger = fixtureMigrations('ledger', 'sqlite')

interface Env {
  db: SqliteDb
  dir: string
  runner(defs?: MigrationDef[]): ReturnType<typeof sqliteMigrator>
}

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((fn) => fn()))

function setup(): Env {
  const temp = makeTempDir()
  const dbPath = join(temp.path, 'tradedeck.sqlite')
  const db = openSqlite(dbPath)
  cleanups.push(() => {
    db.close()
    temp.remove()
  })
  return {
    db,
    dir: temp.path,
    runner: (defs = ledger) => sqliteMigrator(db, temp.path, { appVersion: 'test', defs, dbPath }),
  }
}

function snapshot(db: SqliteDb) {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'migration_log' ORDER BY name",
    )
    .pluck()
    .all() as string[]
  return {
    schema: sqliteFingerprint(db).hash,
    userVersion: userVersion(db),
    data: Object.fromEntries(
      tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all()]),
    ),
  }
}

function seedLedger(db: SqliteDb, accounts = 3, ordersPerAccount = 4): void {
  const insertAccount = db.prepare('INSERT INTO accounts (id, name) VALUES (?, ?)')
  const insertOrder = db.prepare('INSERT INTO orders (account_id, quantity) VALUES (?, ?)')
  db.transaction(() => {
    for (let a = 1; a <= accounts; a++) {
      insertAccount.run(a, `account ${a}`)
      for (let o = 0; o < ordersPerAccount; o++) insertOrder.run(a, `${o}.5`)
    }
  })()
}

describe('SQLite migration runner', () => {
  it('migrates a fresh database and records every migration', async () => {
    const { db, runner } = setup()
    const result = await runner().migrate()
    expect(result).toMatchObject({ dialect: 'sqlite', from: 0, to: 3, backup: null })
    expect(result.applied.map((m) => m.version)).toEqual([1, 2, 3])
    expect(userVersion(db)).toBe(3)
    const rows = db.prepare('SELECT version, name, checksum, app_version FROM schema_migrations ORDER BY version').all()
    expect(rows).toEqual(
      ledger.map((def) => ({ version: def.version, name: def.name, checksum: def.up.sha256, app_version: 'test' })),
    )
    expect(
      db.prepare("SELECT COUNT(*) FROM migration_log WHERE outcome = 'ok' AND direction = 'up'").pluck().get(),
    ).toBe(3)
    expect((await runner().migrate()).applied).toEqual([])
  })

  it('up → down → up gives the same schema fingerprint for every migration', async () => {
    const { db, runner } = setup()
    for (const def of ledger) {
      await runner().migrate({ to: def.version })
      const up = sqliteFingerprint(db)
      await runner().rollback({ steps: 1 }, { force: true })
      await runner().migrate({ to: def.version })
      expect(sqliteFingerprint(db)).toEqual(up)
    }
  })

  it('rebuilds a parent table with ON DELETE CASCADE children and keeps every child row', async () => {
    const { db, runner } = setup()
    await runner().migrate({ to: 2 })
    seedLedger(db, 5, 10)
    await runner().migrate()
    expect(db.prepare('SELECT COUNT(*) FROM orders').pluck().get()).toBe(50)
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'accounts'").pluck().get()).toContain('CHECK')
    expect(
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE tbl_name = 'accounts' AND type IN ('index', 'trigger') ORDER BY name",
        )
        .pluck()
        .all(),
    ).toEqual(['accounts_name', 'accounts_touch'])
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('foreign_key_check')).toEqual([])
  })

  it('fails a rebuild that forgets an index, and changes nothing', async () => {
    const { db, runner } = setup()
    await runner().migrate({ to: 2 })
    seedLedger(db)
    const before = snapshot(db)
    const forgetful = migration(
      3,
      'forgetful_rebuild',
      `CREATE TABLE accounts_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, updated_at TEXT);
       INSERT INTO accounts_new SELECT id, name, updated_at FROM accounts;
       DROP TABLE accounts;
       ALTER TABLE accounts_new RENAME TO accounts;`,
      'SELECT 1;',
    )
    const error = await expectMigrationError(runner([...ledger.slice(0, 2), forgetful]).migrate(), 'migration_failed')
    expect(error.message).toMatch(/does not recreate (index accounts_name|trigger accounts_touch)/)
    expect(snapshot(db)).toEqual(before)
  })

  it('rolls back a failure at statement 3 of 5 and leaves the database exactly as it was', async () => {
    const { db, runner } = setup()
    await runner().migrate()
    seedLedger(db)
    const before = snapshot(db)
    const failing = migration(
      4,
      'five_statements',
      `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
       INSERT INTO notes (body) VALUES ('one');
       INSERT INTO no_such_table VALUES (1);
       DELETE FROM orders;
       UPDATE accounts SET name = 'x';`,
      'DROP TABLE notes;',
    )
    const error = await expectMigrationError(runner([...ledger, failing]).migrate(), 'migration_failed')
    expect(error.message).toContain('Migration 4_five_statements (up) failed at statement 3 of 5')
    expect(error.message).toContain('no such table: no_such_table')
    expect(error.message).toContain('your data is unchanged')
    expect(snapshot(db)).toEqual(before)
    expect(quickCheck(db).ok).toBe(true)
    expect(
      db.prepare("SELECT version, outcome, statement_index FROM migration_log WHERE outcome = 'failed'").all(),
    ).toEqual([{ version: 4, outcome: 'failed', statement_index: 3 }])
  })

  it('aborts a migration that would break a foreign key', async () => {
    const { db, runner } = setup()
    await runner().migrate()
    seedLedger(db)
    const before = snapshot(db)
    const orphaning = migration(4, 'orphan_orders', 'DELETE FROM accounts WHERE id = 1;', 'SELECT 1;')
    const error = await expectMigrationError(runner([...ledger, orphaning]).migrate(), 'foreign_key_violation')
    expect(error.message).toMatch(/would break a foreign key/)
    expect(snapshot(db)).toEqual(before)
  })

  it('stops on checksum drift before applying anything, naming the file and the first differing line', async () => {
    const { db, runner } = setup()
    await runner().migrate({ to: 2 })
    const changed = ledger.map((def) =>
      def.version === 2
        ? migration(
            2,
            def.name,
            def.up.sql.replace('quantity TEXT NOT NULL', 'quantity REAL NOT NULL'),
            def.down?.sql ?? null,
          )
        : def,
    )
    changed[1]!.up.file = 'sqlite/0002_orders.up.sql'
    const error = await expectMigrationError(runner(changed).migrate(), 'checksum_drift')
    expect(error.message).toContain('sqlite/0002_orders.up.sql, line 4')
    expect(error.message).toContain('applied:   quantity TEXT NOT NULL')
    expect(error.message).toContain('file:      quantity REAL NOT NULL')
    expect(userVersion(db)).toBe(2)
    const status = await runner(changed).status()
    expect(status.migrations.map((m) => m.state)).toEqual(['applied', 'drifted', 'pending'])
  })

  it('treats pending as a set difference and names an applied migration with no file', async () => {
    const { db, runner } = setup()
    const [one, two, three] = ledger as [MigrationDef, MigrationDef, MigrationDef]
    const lateThree = migration(3, 'late', 'CREATE TABLE late (id INTEGER PRIMARY KEY);', 'DROP TABLE late;')
    await runner([one, lateThree]).migrate()
    const result = await runner([one, two, lateThree]).migrate()
    expect(result.applied.map((m) => m.version)).toEqual([2])
    expect(userVersion(db)).toBe(3)
    const error = await expectMigrationError(
      runner([one, lateThree, migration(4, 'next', 'SELECT 1;', 'SELECT 1;')]).migrate(),
      'missing_migration',
    )
    expect(error.message).toContain('Migration 2_orders is applied to this database but its file is missing')
    expect((await runner([one, lateThree]).status()).migrations.find((m) => m.version === 2)?.state).toBe('missing')
    void three
  })

  it('never modifies a database written by a newer version', async () => {
    const { db, runner } = setup()
    await runner().migrate()
    seedLedger(db)
    const before = snapshot(db)
    const logRows = db.prepare('SELECT COUNT(*) FROM migration_log').pluck().get()
    const older = ledger.slice(0, 2)
    const error = await expectMigrationError(runner(older).migrate(), 'newer_database')
    expect(error.message).toContain('written by a newer version of Tradedeck (it has migration 3_accounts_name_check')
    expect(error.message).toMatch(/read-only/)
    expect(error.message).not.toMatch(/delete/i)
    await expectMigrationError(runner(older).rollback({ steps: 1 }, { force: true }), 'newer_database')
    await expectMigrationError(runner(older).baseline(2), 'newer_database')
    expect(snapshot(db)).toEqual(before)
    expect(db.prepare('SELECT COUNT(*) FROM migration_log').pluck().get()).toBe(logRows)
    expect((await runner(older).status()).migrations.map((m) => m.state)).toEqual([
      'applied',
      'applied',
      'unknown_newer',
    ])
  })

  it('takes a verified pre-migration backup and records it', async () => {
    const { db, dir, runner } = setup()
    await runner().migrate({ to: 2 })
    seedLedger(db)
    const result = await runner().migrate()
    expect(result.backup).not.toBeNull()
    const backupPath = result.backup?.path as string
    expect(backupPath).toMatch(/backups\/tradedeck-\d{8}T\d{9}Z-pre-migration\.sqlite$/)
    expect(sha256Of(backupPath)).toBe(result.backup?.sha256)
    expect(db.prepare('SELECT backup_path FROM schema_migrations WHERE version = 3').pluck().get()).toBe(backupPath)
    const [record] = readCatalogue(join(dir, 'backups'))
    expect(record).toMatchObject({
      reason: 'pre-migration',
      sha256: result.backup?.sha256,
      schemaVersion: 2,
      quickCheck: 'ok',
      rowCounts: { accounts: 3, orders: 12 },
    })
    const copy = openSqlite(backupPath, { readonly: true })
    expect(quickCheck(copy).ok).toBe(true)
    expect(copy.prepare('SELECT COUNT(*) FROM orders').pluck().get()).toBe(12)
    copy.close()
    expect(existsSync(`${backupPath}-wal`)).toBe(false)
  })

  it('refuses when free disk space is below twice the database size', () => {
    const { dir } = setup()
    expect(() => ensureFreeSpace(dir, join(dir, 'tradedeck.sqlite'), 1e15)).toThrow(BackupError)
    expect(() => ensureFreeSpace(dir, join(dir, 'tradedeck.sqlite'), 1e15)).toThrow(/Not enough free disk space/)
  })

  it('rolls back by steps or to a version, refusing irreversible and demanding --force for lossy', async () => {
    const { db, runner } = setup()
    await runner().migrate()
    seedLedger(db)
    const lossy = await expectMigrationError(runner().rollback({ to: 1 }), 'lossy_needs_force')
    expect(lossy.message).toContain('Rolling back 2_orders loses data')
    expect(userVersion(db)).toBe(3)
    const step = await runner().rollback({ steps: 1 })
    expect(step.rolledBack.map((m) => m.version)).toEqual([3])
    expect(step.backup?.path).toMatch(/pre-rollback\.sqlite$/)
    expect(step.schemaChanges?.onlyInDatabase.join('\n')).not.toContain('CHECK')
    expect(step.schemaChanges?.onlyInMigrations.join('\n')).toContain('CHECK')
    expect(db.prepare('SELECT COUNT(*) FROM orders').pluck().get()).toBe(12)
    const forced = await runner().rollback({ to: 0 }, { force: true })
    expect(forced.rolledBack.map((m) => m.version)).toEqual([2, 1])
    expect(userVersion(db)).toBe(0)
    const irreversible = [migration(1, 'one_way', '-- tradedeck: irreversible\nCREATE TABLE t (id INTEGER);')]
    await runner(irreversible).migrate()
    const refused = await expectMigrationError(runner(irreversible).rollback({ steps: 1 }), 'irreversible')
    expect(refused.message).toContain('Restore a backup taken before it')
  })

  it('baselines an existing database only when its schema matches', async () => {
    const { db, runner } = setup()
    for (const def of ledger.slice(0, 2)) db.exec(def.up.sql)
    const mismatch = await expectMigrationError(runner().baseline(3), 'baseline_mismatch')
    expect(mismatch.message).toContain('CHECK')
    const result = await runner().baseline(2)
    expect(result.baselined).toEqual([1, 2])
    expect((await runner().status()).migrations.map((m) => m.state)).toEqual(['applied', 'applied', 'pending'])
    expect((await runner().migrate()).applied.map((m) => m.version)).toEqual([3])
  })

  it('shows a readable diff when someone changed the schema by hand', async () => {
    const { db, runner } = setup()
    await runner().migrate()
    expect((await runner().status()).schemaDrift).toBeNull()
    db.exec('CREATE INDEX orders_quantity ON orders (quantity)')
    const drift = (await runner().status()).schemaDrift
    expect(drift?.onlyInDatabase).toEqual(['index orders_quantity: CREATE INDEX orders_quantity ON orders(quantity)'])
  })

  it('lints out transaction control and PRAGMA foreign_keys, but not a trigger body', async () => {
    const { runner } = setup()
    for (const sql of [
      'BEGIN;\nCREATE TABLE a (id INTEGER);\nCOMMIT;',
      'PRAGMA foreign_keys = OFF;\nCREATE TABLE a (id INTEGER);',
    ]) {
      const error = await expectMigrationError(runner([migration(1, 'bad', sql, 'SELECT 1;')]).migrate(), 'lint_failed')
      expect(error.message).toMatch(/BEGIN is not allowed|PRAGMA foreign_keys is not allowed/)
    }
    const plan = await runner().plan()
    expect(plan.flatMap((entry) => entry.lint.filter((finding) => finding.severity === 'error'))).toEqual([])
  })

  it('classifies the plan and warns about what can lose data', async () => {
    const { db, runner } = setup()
    await runner().migrate()
    seedLedger(db)
    const extra = [
      migration(
        4,
        'add_note',
        'ALTER TABLE orders ADD COLUMN note TEXT NOT NULL;',
        'ALTER TABLE orders DROP COLUMN note;',
      ),
      migration(5, 'drop_orders', 'DROP TABLE orders;', '-- tradedeck: irreversible\nSELECT 1;'),
      migration(6, 'rebuild_accounts', ledger[2]!.up.sql, ledger[2]!.down!.sql),
      migration(
        7,
        'concurrent_index',
        '-- tradedeck: no-transaction\nCREATE INDEX accounts_x ON accounts (name);',
        'DROP INDEX accounts_x;',
      ),
    ]
    const plan = await runner([...ledger, ...extra]).plan()
    expect(plan.map((entry) => [entry.version, entry.class])).toEqual([
      [4, 'additive'],
      [5, 'destructive'],
      [6, 'table_rebuild'],
      [7, 'non_transactional'],
    ])
    const rules = (version: number) =>
      plan.find((entry) => entry.version === version)?.lint.map((finding) => finding.rule)
    expect(rules(4)).toEqual(expect.arrayContaining(['not-null-without-default', 'drop-column']))
    expect(plan[0]?.lint.find((f) => f.rule === 'not-null-without-default')?.message).toContain('12 rows')
    expect(rules(5)).toContain('drop-table')
    expect(rules(6)).toContain('rebuild-with-cascade-children')
    expect(rules(7)).toContain('no-transaction-sqlite')
    expect(plan[1]?.statements).toEqual(['DROP TABLE orders'])
    const dry = await runner([...ledger, extra[0]!]).migrate({ dryRun: true })
    expect(dry).toMatchObject({ dryRun: true, applied: [], from: 3, to: 3 })
    expect(userVersion(db)).toBe(3)
    expect(
      readFileSync(
        join(__dirname, '..', 'fixtures', 'migrations', 'ledger', 'sqlite', '0003_accounts_name_check.up.sql'),
        'utf8',
      ),
    ).toContain('CHECK')
  })
})
