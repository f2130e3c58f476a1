import { redactSecretsWithin } from '../../../../../shared/errors'
import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { redactCredentials } from '../../../../../shared/redact'
import { fromJson, newId, nowIso, toJson } from '../values'

export const AUDIT_SUBJECTS = [
  'settings',
  'risk_config',
  'credentials',
  'backup',
  'restore',
  'migration',
  'rollback',
  'strategy',
  'user',
  'error_log',
] as const
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
      // The audit log is kept for good and copied into every backup: a password in a URL or an exchange key never goes into it.
      const details = redactCredentials(toJson(redactSecretsWithin(entry.details)))
      const row = {
        id: newId(),
        userId: entry.userId,
        actor: entry.actor,
        subject: entry.subject,
        action: entry.action,
        details,
        occurredAt: nowIso(),
      }
      await db.insertInto('auditLog').values(row).execute()
      return { ...row, details: fromJson<Record<string, unknown>>(details) }
    },
    /** Rewrites the details `rewrite` returns a replacement for (null leaves a row as it is); returns how many changed. */
    async redactDetails(
      rewrite: (details: Record<string, unknown>) => Record<string, unknown> | null,
    ): Promise<number> {
      const candidates = await db
        .selectFrom('auditLog')
        .select(['id', 'details'])
        .where('details', 'like', '%://%@%')
        .execute()
      let changed = 0
      for (const row of candidates) {
        const replacement = rewrite(fromJson<Record<string, unknown>>(row.details))
        if (replacement === null) continue
        await db
          .updateTable('auditLog')
          .set({ details: toJson(replacement) })
          .where('id', '=', row.id)
          .execute()
        changed++
      }
      return changed
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
      return rows.map((row) => ({
        ...row,
        subject: row.subject as AuditSubject,
        details: fromJson<Record<string, unknown>>(row.details),
      }))
    },
  }
}
