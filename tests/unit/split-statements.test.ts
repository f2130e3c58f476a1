import { describe, expect, it } from 'vitest'
import { leadingKeyword, splitStatements } from '../../src/main/core/platform/migrations/split-statements'

describe('splitStatements', () => {
  it('splits on semicolons outside quotes and comments', () => {
    const sql = `-- header; with a semicolon
CREATE TABLE a (x TEXT DEFAULT 'a;b');
/* block; comment */ INSERT INTO a VALUES ("q;"), ('it''s;');
SELECT 1`
    expect(splitStatements(sql)).toEqual([
      `-- header; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT 'a;b')`,
      `/* block; comment */ INSERT INTO a VALUES ("q;"), ('it''s;')`,
      'SELECT 1',
    ])
  })

  it('keeps SQLite trigger bodies whole, CASE … END included', () => {
    const sql = `CREATE TRIGGER t AFTER UPDATE ON a BEGIN
  UPDATE a SET x = CASE WHEN 1 THEN 'y' ELSE 'z' END WHERE rowid = new.rowid;
  SELECT 1;
END;
CREATE INDEX i ON a (x);`
    const statements = splitStatements(sql)
    expect(statements).toHaveLength(2)
    expect(statements[0]).toMatch(/^CREATE TRIGGER[\s\S]*END$/)
  })

  it('keeps Postgres dollar-quoted bodies whole', () => {
    const sql = `CREATE FUNCTION f() RETURNS trigger AS $fn$ BEGIN NEW.x := 1; RETURN NEW; END; $fn$ LANGUAGE plpgsql;
CREATE TABLE b (y int);`
    expect(splitStatements(sql)).toHaveLength(2)
  })

  it('drops comment-only tails and finds the leading keyword', () => {
    expect(splitStatements('SELECT 1; -- done\n')).toEqual(['SELECT 1'])
    expect(leadingKeyword('-- x\n/* y */ begin transaction')).toBe('BEGIN')
  })
})
