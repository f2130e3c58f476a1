import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { compiledOnce } from '../../src/main/core/platform/store/repositories/compiled-once'

interface Schema {
  notes: { id: number; body: string }
}

describe('compiledOnce', () => {
  const database = new Database(':memory:')
  database.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database }) })
  afterEach(() => database.exec('DELETE FROM notes'))

  it('builds a shape once and reruns its SQL with each call’s parameters', async () => {
    const run = compiledOnce(db)
    let built = 0
    for (const [id, body] of [
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ] as const) {
      await run('insert', [id, body], () => {
        built++
        return db.insertInto('notes').values({ id, body })
      })
    }
    expect(built).toBe(1)
    expect(database.prepare('SELECT id, body FROM notes ORDER BY id').all()).toEqual([
      { id: 1, body: 'one' },
      { id: 2, body: 'two' },
      { id: 3, body: 'three' },
    ])
  })

  it('keeps building a statement whose parameters are not the ones passed, in order, and still runs it right', async () => {
    const run = compiledOnce(db)
    let built = 0
    for (const [id, body] of [
      [1, 'one'],
      [2, 'two'],
    ] as const) {
      // The caller lists the parameters in another order than the statement binds them.
      await run('swapped', [body, id], () => {
        built++
        return db.insertInto('notes').values({ id, body })
      })
    }
    expect(built).toBe(2)
    expect(database.prepare('SELECT id, body FROM notes ORDER BY id').all()).toEqual([
      { id: 1, body: 'one' },
      { id: 2, body: 'two' },
    ])
  })
})
