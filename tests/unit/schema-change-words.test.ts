import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { diffFingerprints } from '../../src/main/core/platform/migrations/fingerprint'
import { schemaChangesInWords, columnsOf } from '../../src/main/core/platform/migrations/schema-change-words'
import { sqliteFingerprint, tableRowCount } from '../../src/main/core/platform/migrations/sqlite-driver'

describe('a schema change in words', () => {
  it('reads the columns of a CREATE TABLE, leaving out its constraints', () => {
    expect(
      columnsOf(
        'CREATE TABLE t (id TEXT PRIMARY KEY,"name" TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80), price NUMERIC(18, 8), UNIQUE(id, name), CHECK (price > 0))',
      ),
    ).toEqual(['id', 'name', 'price'])
  })

  it('names the tables, columns, indexes and triggers a rollback changed, and the rows each table holds', () => {
    const db = new Database(':memory:')
    db.exec(`
      CREATE TABLE strategies (id TEXT PRIMARY KEY, name TEXT NOT NULL, archived_at TEXT);
      CREATE UNIQUE INDEX strategies_user_name ON strategies (name) WHERE archived_at IS NULL;
      CREATE TABLE notes (id TEXT PRIMARY KEY);
      INSERT INTO strategies (id, name) VALUES ('a', 'one'), ('b', 'two');
    `)
    const before = sqliteFingerprint(db)
    db.exec(`
      DROP INDEX strategies_user_name;
      CREATE TABLE strategies_old (id TEXT PRIMARY KEY, status TEXT);
      INSERT INTO strategies_old (id) SELECT id FROM strategies;
      DROP TABLE strategies;
      ALTER TABLE strategies_old RENAME TO strategies;
      DROP TABLE notes;
      CREATE TABLE calendar (id TEXT PRIMARY KEY);
    `)
    const diff = diffFingerprints(sqliteFingerprint(db), before)
    expect(diff).not.toBeNull()
    expect(schemaChangesInWords(diff!, (table) => tableRowCount(db, table))).toEqual([
      'Table calendar was added; it holds 0 rows.',
      'Table notes was removed.',
      'Table strategies: columns name and archived_at removed, column status added, 1 index changed; it holds 2 rows.',
    ])
  })
})
