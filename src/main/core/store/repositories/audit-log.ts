import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { fromJson, newId, nowIso, toJson } from '../values'

export const AUDIT_SUBJECTS = ['settings', 'risk_config', 'credentials', 'backup', 'restore', 'migration', 'rollback', 'strategy', 'user'] as const
export type AuditSubject = (typeof AUDIT_SUBJECTS)[number]

export interface AuditEntry {
  id: string
  userId: string | null
  actor: string
  subject: AuditSubject
  action: string
  details: Record<string, unknown>
  occurredAt: string
}

/** Who changed what: settings, risk config, credentials, backups, restores, migrations, rollbacks. */
export function auditLogRepository(db: Kysely<StoreSchema>) {
  return {
    async record(entry: Omit<AuditEntry, 'id' | 'occurredAt'>): Promise<AuditEntry> {
      const row = { id: newId(), userId: entry.userId, actor: entry.actor, subject: entry.subject, action: entry.action, details: toJson(entry.details), occurredAt: nowIso() }
      await db.insertInto('auditLog').values(row).execute()
      return { ...row, details: entry.details }
    },
    /** A user's entries plus the install-wide ones (user_id null: backups, migrations), newest first. */
    async list(userId: string, limit = 200): Promise<AuditEntry[]> {
      const rows = await db
        .selectFrom('auditLog')
        .selectAll()
        .where((eb) => eb.or([eb('userId', '=', userId), eb('userId', 'is', null)]))
        .orderBy('occurredAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
      return rows.map((row) => ({ ...row, subject: row.subject as AuditSubject, details: fromJson<Record<string, unknown>>(row.details) }))
    },
  }
}
