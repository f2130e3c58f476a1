import pg from 'pg'
import { expect, inject, it } from 'vitest'

// Never part of `npm test`. `.ci/run` runs it on purpose and requires the run to
// exit non-zero, with the same global setup (and PostgreSQL server) as the real suite.
it('canary: this test must fail, and its failure must fail the run', async () => {
  const client = new pg.Client({ connectionString: inject('pgUrl') })
  await client.connect()
  const { rows } = await client.query<{ one: number }>('SELECT 1 AS one')
  await client.end()
  expect(rows[0]?.one).toBe(2)
})
