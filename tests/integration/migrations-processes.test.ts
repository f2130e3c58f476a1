import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqlite, quickCheck, userVersion } from '../../src/main/core/platform/db/sqlite'
import { runTsChild } from '../helpers/child-process'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres'
import { makeTempDir } from '../helpers/temp-dir'

const child = (config: object) => runTsChild('migrate-child.ts', [JSON.stringify(config)])

function parseResult(stdout: string): { applied: number[]; to: number } {
  return JSON.parse(stdout.trim().split('\n').pop() as string)
}

describe('migrations across real OS processes: SQLite', () => {
  it('two processes migrating at once: one applies, the other waits and finds nothing to do', async () => {
    const dir = makeTempDir()
    try {
      const a = child({ dialect: 'sqlite', target: dir.path, set: 'slow', rows: 300_000 })
      await a.waitForStderr('migrating')
      const b = child({ dialect: 'sqlite', target: dir.path, set: 'slow', rows: 300_000 })
      expect(await a.exited).toBe(0)
      expect(await b.exited).toBe(0)
      const results = [parseResult(a.stdout()), parseResult(b.stdout())]
      expect(results.map((r) => r.applied).sort()).toEqual([[], [1]])
      expect(results.every((r) => r.to === 1)).toBe(true)
      const db = openSqlite(join(dir.path, 'tradedeck.sqlite'))
      expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(1)
      expect(db.prepare('SELECT COUNT(*) FROM big').pluck().get()).toBe(300_000)
      db.close()
    } finally {
      dir.remove()
    }
  })

  it('kill -9 during a long migration leaves the database at the old version with quick_check ok', async () => {
    const dir = makeTempDir()
    try {
      const victim = child({ dialect: 'sqlite', target: dir.path, set: 'slow', rows: 3_000_000 })
      await victim.waitForStderr('migrating')
      // Kill once the migration's transaction is writing (its pages spill into the WAL), not after a guess at how long that takes.
      const wal = join(dir.path, 'tradedeck.sqlite-wal')
      while (!existsSync(wal) || statSync(wal).size < 4 * 1024 * 1024) {
        expect(victim.process.exitCode, 'the migration finished before it could be killed').toBeNull()
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      victim.process.kill('SIGKILL')
      expect(await victim.exited).toBeNull()
      const db = openSqlite(join(dir.path, 'tradedeck.sqlite'))
      try {
        expect(quickCheck(db).ok).toBe(true)
        expect(userVersion(db)).toBe(0)
        expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'big'").pluck().get()).toBe(0)
        expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(0)
      } finally {
        db.close()
      }
    } finally {
      dir.remove()
    }
  })
})

describe('migrations across real OS processes: PostgreSQL', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await database.drop()
  })

  async function query<T>(sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      return (await client.query(sql)).rows as T[]
    } finally {
      await client.end()
    }
  }

  it('kill -9 during a long migration leaves the database at the old version', async () => {
    const victim = child({ dialect: 'postgres', target: database.url, set: 'slow', rows: 1_500_000 })
    await victim.waitForStderr('migrating')
    // Kill once the server is running the migration's statement, not after a guess at how long it takes to get there.
    for (let i = 0; i < 200; i++) {
      const running = await query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'tradedeck-migrate' AND state = 'active' AND query ILIKE '%big%'",
      )
      if (running[0]?.n !== '0') break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    victim.process.kill('SIGKILL')
    expect(await victim.exited).toBeNull()
    // The server notices the dead client and rolls its transaction back.
    for (let i = 0; i < 50; i++) {
      const busy = await query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'tradedeck-migrate'",
      )
      if (busy[0]?.n === '0') break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(await query("SELECT to_regclass('big') AS t")).toEqual([{ t: null }])
    const applied = await query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations')
    expect(applied).toEqual([{ n: '0' }])
  })

  it('two processes migrating at once: one applies, the other waits on the advisory lock and finds nothing to do', async () => {
    const a = child({ dialect: 'postgres', target: database.url, set: 'slow', rows: 100_000 })
    await a.waitForStderr('migrating')
    const b = child({ dialect: 'postgres', target: database.url, set: 'slow', rows: 100_000 })
    expect(await a.exited).toBe(0)
    expect(await b.exited).toBe(0)
    const results = [parseResult(a.stdout()), parseResult(b.stdout())]
    expect(results.map((r) => r.applied).sort()).toEqual([[], [1, 2]])
    expect(await query('SELECT version FROM schema_migrations ORDER BY version')).toEqual([
      { version: 1 },
      { version: 2 },
    ])
  })
})
