import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0014 archives a deleted profile (users.archived_at) instead of erasing it, and
 * gives account snapshots the margin still free. The rows already there get it
 * worked out: the exact equity where no margin was used, equity less margin
 * otherwise. The down drops both columns (declared lossy) and keeps every row.
 */
const USER = '00000000-0000-7000-8000-000000000001'
const FLAT = '00000000-0000-7000-8000-0000000000a1'
const MARGINED = '00000000-0000-7000-8000-0000000000a2'

const numeric = (value: unknown) => Number(value)

describe.each(DIALECTS)('migration 0014 (archived profiles, free margin) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('works out the free margin of the snapshots already there, archives profiles, and keeps every row both ways', async () => {
    db = await open()
    await db.migrateTo(13)
    await db.exec(`
      INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
      INSERT INTO account_snapshots (id, user_id, broker, environment, balance, equity, margin_used, captured_at) VALUES
        ('${FLAT}', '${USER}', 'paper', 'paper', '10000', '10012.125', '0', '2026-11-28T05:00:00.000Z'),
        ('${MARGINED}', '${USER}', 'deribit', 'testnet', '500', '512.5', '100', '2026-11-28T05:01:00.000Z');
    `)
    expect(await db.refusal(`UPDATE users SET archived_at = '2026-11-29T00:00:00.000Z'`)).toMatch(/archived_at/)

    await db.migrateTo(14)
    const snapshots = await db.rows<{ id: string; equity: unknown; margin_free: unknown }>(`SELECT id, equity, margin_free FROM account_snapshots ORDER BY id`)
    expect(snapshots.map((row) => ({ id: row.id, equity: numeric(row.equity), marginFree: numeric(row.margin_free) }))).toEqual([
      { id: FLAT, equity: 10012.125, marginFree: 10012.125 },
      { id: MARGINED, equity: 512.5, marginFree: 412.5 },
    ])
    // No margin used: the equity's own text carries over, not a float's rendering of it.
    if (db.dialect === 'sqlite') expect(snapshots[0]?.margin_free).toBe('10012.125')
    await db.exec(`UPDATE users SET archived_at = '2026-11-29T00:00:00.000Z' WHERE id = '${USER}'`)
    expect((await db.rows<{ archived_at: unknown }>(`SELECT archived_at FROM users`))[0]?.archived_at).toBeTruthy()

    await db.rollbackTo(13)
    expect(await db.refusal(`SELECT margin_free FROM account_snapshots`)).toMatch(/margin_free/)
    expect(await db.rows(`SELECT id, display_name FROM users`)).toEqual([{ id: USER, display_name: 'Migration trader' }])
    expect((await db.rows<{ id: string }>(`SELECT id FROM account_snapshots ORDER BY id`)).map((row) => row.id)).toEqual([FLAT, MARGINED])
  })
})
