import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres'

describe('PostgreSQL test server', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await database.drop()
  })

  it('accepts a pg connection and runs a query', async () => {
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      const { rows } = await client.query<{ answer: number; version: string }>(
        "SELECT 6 * 7 AS answer, current_setting('server_version') AS version",
      )
      expect(rows[0]?.answer).toBe(42)
      expect(rows[0]?.version).toMatch(/^\d+/)
    } finally {
      await client.end()
    }
  })
})
