import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/* 0011 adds task_runs, the desk's record of its background jobs (not replicated). */
const RUN = '00000000-0000-7000-8000-0000000000e1'
const insert = (task: string, outcome = 'ok') =>
  `INSERT INTO task_runs (id, task, started_at, finished_at, outcome, duration_ms, rows_affected, message) VALUES ('${RUN}', '${task}', '2026-11-28T05:00:00.000Z', '2026-11-28T05:00:01.000Z', '${outcome}', 1000, 3, NULL)`

describe.each(DIALECTS)('migration 0011 (task_runs) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('creates task_runs with its checks, and drops it on the way down', async () => {
    db = await open()
    await db.migrateTo(10)
    expect(await db.refusal(insert('idea_expiry'))).toMatch(/task_runs/)
    await db.migrateTo(11)
    expect(await db.refusal(insert('idea_expiry'))).toBeNull()
    expect(await db.refusal(insert('coffee_break'))).toMatch(/check constraint|CHECK constraint failed/i)
    expect(await db.refusal(insert('idea_expiry', 'maybe'))).toMatch(/check constraint|CHECK constraint failed/i)
    await db.exec(insert('sync_batch'))
    expect(await db.rows(`SELECT task, outcome, rows_affected FROM task_runs`)).toEqual([{ task: 'sync_batch', outcome: 'ok', rows_affected: 3 }])
    await db.rollbackTo(10)
    expect(await db.refusal(`SELECT 1 FROM task_runs`)).toMatch(/task_runs/)
  })
})
