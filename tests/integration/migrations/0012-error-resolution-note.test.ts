import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0012 keeps a resolution note on error_logs and lets the audit log record a
 * resolved error (subject error_log). On SQLite the CHECK is widened by
 * rebuilding audit_log with its indexes and outbox triggers; the down keeps
 * every audit row, recording the new subject as 'user' (declared lossy).
 */
const USER = '00000000-0000-7000-8000-000000000001'
const ERROR = '00000000-0000-7000-8000-0000000000f1'
const AUDIT = '00000000-0000-7000-8000-0000000000f2'
const OLDER = '00000000-0000-7000-8000-0000000000f3'

describe.each(DIALECTS)('migration 0012 (error resolution notes) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('adds the note and the audit subject, keeps every audit row both ways', async () => {
    db = await open()
    await db.migrateTo(11)
    await db.exec(`
      INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
      INSERT INTO error_logs (id, user_id, message) VALUES ('${ERROR}', '${USER}', 'The feed stopped.');
      INSERT INTO audit_log (id, user_id, actor, subject, action) VALUES ('${OLDER}', '${USER}', 'human:x', 'backup', 'create');
    `)
    const resolveAudit = `INSERT INTO audit_log (id, user_id, actor, subject, action) VALUES ('${AUDIT}', '${USER}', 'human:x', 'error_log', 'resolve')`
    expect(await db.refusal(resolveAudit)).toMatch(/check constraint|CHECK constraint failed/i)

    await db.migrateTo(12)
    await db.exec(`UPDATE error_logs SET resolved_at = '2026-11-28T05:00:00.000Z', resolution_note = 'Restarted it.' WHERE id = '${ERROR}'`)
    await db.exec(resolveAudit)
    expect(await db.rows(`SELECT message, resolution_note FROM error_logs`)).toEqual([{ message: 'The feed stopped.', resolution_note: 'Restarted it.' }])
    if (db.dialect === 'sqlite') {
      const objects = await db.rows<{ name: string }>("SELECT name FROM sqlite_master WHERE tbl_name = 'audit_log' AND type IN ('index', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name")
      expect(objects.map((object) => object.name)).toEqual(['audit_log_occurred', 'audit_log_outbox_delete', 'audit_log_outbox_insert', 'audit_log_outbox_update', 'audit_log_user'])
    }

    await db.rollbackTo(11)
    expect(await db.rows(`SELECT id, subject FROM audit_log ORDER BY id`)).toEqual([
      { id: AUDIT, subject: 'user' },
      { id: OLDER, subject: 'backup' },
    ])
    expect(await db.rows(`SELECT message, resolved_at FROM error_logs`)).toEqual([{ message: 'The feed stopped.', resolved_at: db.dialect === 'sqlite' ? '2026-11-28T05:00:00.000Z' : expect.anything() }])
  })
})
