import type { ErrorLogEntry } from '../../../../shared/domain'
import { Refusal } from '../calls/refusal'
import type { Store } from '../store/store'

/** Marks an error resolved with the trader's note, and records who did it in the audit log, in one transaction. */
export async function resolveError(
  store: Store,
  userId: string,
  errorId: string,
  note: string,
  actor: string,
): Promise<ErrorLogEntry> {
  return store.transaction(async (tx) => {
    const existing = await tx.errorLogs.get(userId, errorId)
    if (!existing) throw new Refusal('not_found', 'There is no such error for this profile.')
    if (existing.resolvedAt)
      throw new Refusal(
        'conflict',
        `This error was already resolved on ${existing.resolvedAt}${existing.resolutionNote ? `: ${existing.resolutionNote}` : ''}.`,
      )
    const at = new Date().toISOString()
    await tx.errorLogs.resolve(userId, errorId, note, at)
    await tx.auditLog.record({
      userId,
      actor,
      subject: 'error_log',
      action: 'resolve',
      details: { errorId, message: existing.message, note },
    })
    return withoutOwner({ ...existing, resolvedAt: at, resolutionNote: note })
  })
}

/** What the renderer sees of an error: the profile is implied. */
export function withoutOwner(entry: ErrorLogEntry & { userId: string | null }): ErrorLogEntry {
  return {
    id: entry.id,
    strategyId: entry.strategyId,
    message: entry.message,
    stack: entry.stack,
    context: entry.context,
    ts: entry.ts,
    resolvedAt: entry.resolvedAt,
    resolutionNote: entry.resolutionNote,
  }
}
